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
  f.size = size;
  f.mtime = mtime;
  f.etag = make_etag(mtime, size);
  const std::string validators = fmt::format("Last-Modified: {}\r\nETag: {}\r\n", format_http_date(mtime), f.etag);
  const std::string_view type = mime_type_for(url_path);
  f.head_ok = fmt::format("HTTP/1.1 200 OK\r\n{}Content-Type: {}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\n{}",
                          kServerHeader, type, size, validators);
  f.head_not_modified = fmt::format("HTTP/1.1 304 Not Modified\r\n{}{}", kServerHeader, validators);
  f.head_partial = fmt::format("HTTP/1.1 206 Partial Content\r\n{}Content-Type: {}\r\n{}", kServerHeader, type,
                               validators);
  f.head_range_not_satisfiable = fmt::format(
      "HTTP/1.1 416 Range Not Satisfiable\r\n{}Content-Range: bytes */{}\r\nContent-Type: text/plain; "
      "charset=utf-8\r\nContent-Length: {}\r\n",
      kServerHeader, size, kRangeNotSatisfiableBody.size());
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
