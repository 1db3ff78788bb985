#include "static_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>

#include "conditional_request.hpp"
#include "mime_types.hpp"

namespace platespin {

OpenFile::~OpenFile() { ::close(fd_); }

std::size_t OpenFile::read_at(std::uint64_t offset, std::span<char> buffer) const {
  for (;;) {
    const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return 0;
  }
}

namespace {

void format_heads(StaticFile& f, const std::string& url_path, std::uint64_t size, std::time_t mtime) {
  f.mtime = mtime;
  f.etag = make_etag(mtime, size);
  const std::string validators = fmt::format("Last-Modified: {}\r\nETag: {}\r\n", format_http_date(mtime), f.etag);
  f.head_ok = fmt::format("HTTP/1.1 200 OK\r\n{}Content-Type: {}\r\nContent-Length: {}\r\n{}", kServerHeader,
                          mime_type_for(url_path), size, validators);
  f.head_not_modified = fmt::format("HTTP/1.1 304 Not Modified\r\n{}{}", kServerHeader, validators);
}

}  // namespace

StaticFile make_static_file(const std::string& url_path, std::string body, std::time_t mtime) {
  StaticFile f;
  format_heads(f, url_path, body.size(), mtime);
  f.body = std::move(body);
  return f;
}

StaticFile make_streamed_file(const std::string& url_path, std::unique_ptr<const OpenFile> open, std::time_t mtime) {
  StaticFile f;
  format_heads(f, url_path, open->size(), mtime);
  f.open = std::move(open);
  return f;
}

}  // namespace platespin
