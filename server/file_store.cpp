#include "file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <span>
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

// `path` opened for reading when it is a regular file inside `top` (symlinks
// resolved), with its size and mtime taken from the open file; nullptr otherwise.
std::unique_ptr<const OpenFile> open_inside(const fs::path& top, const fs::path& path, std::time_t& mtime) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec || !is_inside(top, real)) return nullptr;
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer (reads of a
  // regular file ignore it).
  const int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return nullptr;
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  mtime = st.st_mtime;
  return std::make_unique<const OpenFile>(fd, static_cast<std::uint64_t>(st.st_size));
}

// The whole file's bytes, as many as there are now (it may have shrunk since it was opened).
std::string read_whole(const OpenFile& file) {
  std::string bytes(file.size(), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const std::size_t n = file.read_at(done, std::span<char>(bytes).subspan(done));
    if (n == 0) break;
    done += n;
  }
  bytes.resize(done);
  return bytes;
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
    if (it->is_directory()) continue;
    std::time_t mtime = 0;
    const auto open = open_inside(top_, it->path(), mtime);
    if (!open) continue;
    std::string bytes = read_whole(*open);
    cached_bytes_ += bytes.size();
    std::string url_path = url_prefix;  // (not a + "/" + b: g++ 12 -O2 warns falsely about that)
    url_path += '/';
    url_path += it->path().lexically_relative(top_).generic_string();
    files_.emplace(url_path, make_static_file(url_path, std::move(bytes), mtime));
  }
}

std::shared_ptr<const StaticFile> FileStore::find(std::string_view url_path) const {
  if (!cache_) return open_from_disk(url_path);
  const auto it = files_.find(url_path);
  if (it == files_.end()) return nullptr;
  // The store outlives every request: an aliasing pointer with no owner costs
  // no reference counting on the hot path.
  return std::shared_ptr<const StaticFile>(std::shared_ptr<const void>(), &it->second);
}

std::shared_ptr<const StaticFile> FileStore::open_from_disk(std::string_view url_path) const {
  if (top_.empty()) return nullptr;
  std::time_t mtime = 0;
  auto open = open_inside(top_, root_ / fs::path(url_path).relative_path(), mtime);
  if (!open) return nullptr;
  return std::make_shared<const StaticFile>(make_streamed_file(std::string(url_path), std::move(open), mtime));
}

}  // namespace platespin
