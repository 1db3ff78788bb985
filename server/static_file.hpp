#pragma once
// A file ready to send: its bytes and the header blocks of its 200 and 304
// replies, built once so answering a request copies nothing.
#include <ctime>
#include <string>

namespace platespin {

struct StaticFile {
  std::string body;
  std::string etag;
  std::time_t mtime = 0;
  std::string head_ok;            // "HTTP/1.1 200 OK\r\n" + Server, Content-Type, Content-Length, Last-Modified, ETag
  std::string head_not_modified;  // "HTTP/1.1 304 Not Modified\r\n" + Server, Last-Modified, ETag
};

// `url_path` picks the Content-Type by its extension.
StaticFile make_static_file(const std::string& url_path, std::string body, std::time_t mtime);

// The Server header every reply carries.
inline constexpr const char* kServerHeader = "Server: flag_server/" PLATESPIN_VERSION "\r\n";

}  // namespace platespin
