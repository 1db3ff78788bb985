#pragma once
// The files flag_server serves: ROOT/<url path>, either all loaded into memory
// at start (the default, what makes the server fast) or opened per request
// and sent from disk a piece at a time (--no-cache). Nothing outside ROOT/PREFIX is ever served: files
// whose real path (symlinks resolved) leaves it are skipped.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "static_file.hpp"

namespace platespin {

class FileStore {
 public:
  // Loads every regular file under ROOT/`prefix` unless `cache` is false.
  // Throws std::runtime_error when `root` is not a readable directory.
  FileStore(const std::filesystem::path& root, const std::string& prefix, bool cache);

  // The file at `url_path` (a sanitised "/flags/ad/ad.gif"), or nullptr.
  std::shared_ptr<const StaticFile> find(std::string_view url_path) const;

  std::size_t cached_files() const { return files_.size(); }
  std::uint64_t cached_bytes() const { return cached_bytes_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::shared_ptr<const StaticFile> open_from_disk(std::string_view url_path) const;

  std::filesystem::path root_;  // canonical
  std::filesystem::path top_;   // canonical ROOT/PREFIX; empty when it is missing or leaves the root
  bool cache_;
  std::uint64_t cached_bytes_ = 0;
  std::unordered_map<std::string, StaticFile, Hash, std::equal_to<>> files_;
};

}  // namespace platespin
