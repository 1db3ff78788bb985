#pragma once
// What flag_server needs from a request head, and what it answers: the
// socket-free interface between the connection loop and the request handler.
#include <memory>
#include <string>
#include <string_view>

namespace platespin {

struct ParsedRequest {
  std::string method;             // "GET", as sent
  std::string target;             // "/flags/ad/ad.gif"
  int version = 11;               // 10 or 11
  bool keep_alive = true;         // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
  bool has_body = false;          // Content-Length > 0 or chunked
  std::string if_none_match;      // empty when absent
  std::string if_modified_since;  // empty when absent

  // Empties every field but keeps the strings' capacity (one object per connection).
  void clear() {
    method.clear();
    target.clear();
    version = 11;
    keep_alive = true;
    has_body = false;
    if_none_match.clear();
    if_modified_since.clear();
  }
};

enum class ParseOutcome { complete, incomplete, malformed, headers_too_large };

// Parses one request head from `bytes` into `out` (Beast's parser, 8 KiB header
// limit); `used` is how many bytes it took. For tests and micro benchmarks; the
// server reads from sockets with the same parser (request_head_parser.hpp).
ParseOutcome parse_request_head(std::string_view bytes, ParsedRequest& out, std::size_t& used);

struct Reply {
  int status = 0;
  // Status line and headers, each ending "\r\n", without Date, Connection and
  // the blank line, which the connection adds.
  std::string_view head;
  std::string_view body;           // empty for HEAD and 304
  std::shared_ptr<const void> owner;  // keeps head and body alive when they were built for this request
  bool close = false;              // the connection cannot go on (e.g. after a malformed request)
};

}  // namespace platespin
