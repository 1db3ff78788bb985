#include "static_file.hpp"

#include <fmt/format.h>

#include "conditional_request.hpp"
#include "mime_types.hpp"

namespace platespin {

StaticFile make_static_file(const std::string& url_path, std::string body, std::time_t mtime) {
  StaticFile f;
  f.mtime = mtime;
  f.etag = make_etag(mtime, body.size());
  const std::string validators = fmt::format("Last-Modified: {}\r\nETag: {}\r\n", format_http_date(mtime), f.etag);
  f.head_ok = fmt::format("HTTP/1.1 200 OK\r\n{}Content-Type: {}\r\nContent-Length: {}\r\n{}", kServerHeader,
                          mime_type_for(url_path), body.size(), validators);
  f.head_not_modified = fmt::format("HTTP/1.1 304 Not Modified\r\n{}{}", kServerHeader, validators);
  f.body = std::move(body);
  return f;
}

}  // namespace platespin
