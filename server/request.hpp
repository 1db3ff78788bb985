#pragma once
// What flag_server needs from a request head, and what it answers: the
// socket-free interface between the connection loop and the request handler.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace platespin {

class OpenFile;

// How a request's body is delimited (RFC 9112 §6), decided once from all of its
// Transfer-Encoding and Content-Length lines. flag_server takes no bodies, but
// it must know where one ends, or the body's bytes would be read as the next
// request (request smuggling): anything it cannot frame for sure is refused.
enum class BodyFraming {
  none,                // no body: the next request starts right after the head
  content_length,      // Content-Length > 0
  chunked,             // Transfer-Encoding whose one chunked coding is the last
  invalid,             // the length cannot be known reliably: 400, then close
  unsupported_coding,  // another coding before the final chunked: 501, then close
};

// The framing of a request of HTTP `version` (10, 11) whose Transfer-Encoding
// and Content-Length lines, each field's lines joined with ", " (nullopt when
// the field is absent), are `transfer_encoding` and `content_length`.
// Socket-free and total over any bytes, for tests and fuzzers.
BodyFraming decide_body_framing(int version, std::optional<std::string_view> transfer_encoding,
                                std::optional<std::string_view> content_length);

struct ParsedRequest {
  std::string method;             // "GET", as sent
  std::string target;             // "/flags/ad/ad.gif"
  int version = 11;               // 10 or 11
  bool keep_alive = true;         // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
  BodyFraming framing = BodyFraming::none;  // from the two fields below, once the head is complete
  bool has_transfer_encoding = false;
  std::string transfer_encoding;  // every Transfer-Encoding line, joined with ", "
  bool has_content_length = false;
  std::string content_length;     // every Content-Length line, joined with ", "
  std::string if_none_match;      // empty when absent
  std::string if_modified_since;  // empty when absent

  bool has_body() const { return framing == BodyFraming::content_length || framing == BodyFraming::chunked; }

  // Empties every field but keeps the strings' capacity (one object per connection).
  void clear() {
    method.clear();
    target.clear();
    version = 11;
    keep_alive = true;
    framing = BodyFraming::none;
    has_transfer_encoding = false;
    transfer_encoding.clear();
    has_content_length = false;
    content_length.clear();
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
  std::string_view body;           // empty for HEAD and 304, and when body_file is set
  const OpenFile* body_file = nullptr;  // --no-cache: the body, read a piece at a time as it is sent
  std::shared_ptr<const void> owner;  // keeps head and body alive when they were built for this request
  bool close = false;              // the connection cannot go on (e.g. after a malformed request)

  std::uint64_t body_size() const;
};

}  // namespace platespin
