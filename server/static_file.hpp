#pragma once
// A file ready to send: its bytes (or, with --no-cache, the open file they are
// read from) and the header blocks of its 200 and 304 replies, built once so
// answering a request copies nothing.
#include <cstdint>
#include <ctime>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace platespin {

// A regular file held open while it is sent (--no-cache): its bytes are read
// a piece at a time as the socket takes them, so a slow reader costs the
// server one piece of memory, not a copy of the file.
class OpenFile {
 public:
  // Takes `fd`, open for reading, of a file of `size` bytes.
  OpenFile(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  std::uint64_t size() const { return size_; }
  // Up to buffer.size() bytes from `offset` into `buffer` (pread: safe from any
  // thread). 0 when nothing is left there: the file shrank since it was opened,
  // or it cannot be read.
  std::size_t read_at(std::uint64_t offset, std::span<char> buffer) const;

 private:
  int fd_;
  std::uint64_t size_;  // when opened: what Content-Length promises
};

struct StaticFile {
  std::string body;                      // the bytes, when loaded in memory
  std::unique_ptr<const OpenFile> open;  // or the open file to read them from (--no-cache)
  std::uint64_t size = 0;                // what Content-Length says
  std::string etag;
  std::time_t mtime = 0;
  // "HTTP/1.1 200 OK\r\n" + Server, Content-Type, Content-Length, Accept-Ranges, Last-Modified, ETag
  std::string head_ok;
  std::string head_not_modified;  // "HTTP/1.1 304 Not Modified\r\n" + Server, Last-Modified, ETag
  // "HTTP/1.1 206 Partial Content\r\n" + Server, Content-Type, Last-Modified, ETag: the
  // range's Content-Range and Content-Length follow (Reply::fields).
  std::string head_partial;
  // "HTTP/1.1 416 Range Not Satisfiable\r\n" + Server, "Content-Range: bytes */SIZE",
  // Content-Type and Content-Length of kRangeNotSatisfiableBody.
  std::string head_range_not_satisfiable;
};

// The body of every 416 reply.
inline constexpr std::string_view kRangeNotSatisfiableBody = "416 Range Not Satisfiable\n";

// `url_path` picks the Content-Type by its extension.
StaticFile make_static_file(const std::string& url_path, std::string body, std::time_t mtime);
// The same for a file sent from disk: its size is the one it had when opened.
StaticFile make_streamed_file(const std::string& url_path, std::unique_ptr<const OpenFile> open, std::time_t mtime);

// The Server header every reply carries.
inline constexpr const char* kServerHeader = "Server: flag_server/" PLATESPIN_VERSION "\r\n";

}  // namespace platespin
