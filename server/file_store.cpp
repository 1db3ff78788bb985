#include "file_store.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "path_sanitizer.hpp"

namespace fs = std::filesystem;

namespace platespin {

namespace {

bool is_inside(const fs::path& canonical_root, const fs::path& canonical_path) {
  const auto root = canonical_root.native(), path = canonical_path.native();
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         (root.back() == '/' || path[root.size()] == '/');
}

// The file's bytes and mtime when `path` is a regular file inside `top`
// (symlinks resolved); false otherwise.
bool read_inside(const fs::path& top, const fs::path& path, std::string& bytes, std::time_t& mtime) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec || !is_inside(top, real)) return false;
  struct stat st{};
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream in(real, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  mtime = st.st_mtime;
  return true;
}

}  // namespace

FileStore::FileStore(const fs::path& root, const std::string& prefix, bool cache) : cache_(cache) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_)) throw std::runtime_error("root " + root.string() + " is not a directory");
  top_ = fs::canonical(root_ / fs::path(prefix).relative_path(), ec);
  if (ec || !fs::is_directory(top_) || (top_ != root_ && !is_inside(root_, top_))) {
    top_.clear();  // nothing to serve
    return;
  }
  if (!cache_) return;
  const std::string url_prefix = normalize_prefix(prefix);
  for (auto it = fs::recursive_directory_iterator(top_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string bytes;
    std::time_t mtime = 0;
    if (it->is_directory() || !read_inside(top_, it->path(), bytes, mtime)) continue;
    std::string url_path = url_prefix;  // (not a + "/" + b: g++ 12 -O2 warns falsely about that)
    url_path += '/';
    url_path += it->path().lexically_relative(top_).generic_string();
    files_.emplace(url_path, make_static_file(url_path, std::move(bytes), mtime));
  }
}

std::shared_ptr<const StaticFile> FileStore::find(std::string_view url_path) const {
  if (!cache_) return read_from_disk(url_path);
  const auto it = files_.find(url_path);
  if (it == files_.end()) return nullptr;
  // The store outlives every request: an aliasing pointer with no owner costs
  // no reference counting on the hot path.
  return std::shared_ptr<const StaticFile>(std::shared_ptr<const void>(), &it->second);
}

std::shared_ptr<const StaticFile> FileStore::read_from_disk(std::string_view url_path) const {
  std::string bytes;
  std::time_t mtime = 0;
  if (top_.empty() || !read_inside(top_, root_ / fs::path(url_path).relative_path(), bytes, mtime)) return nullptr;
  return std::make_shared<const StaticFile>(make_static_file(std::string(url_path), std::move(bytes), mtime));
}

}  // namespace platespin
