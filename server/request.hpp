#pragma once
// What flag_server needs from a request head, and what it answers: the
// socket-free interface between the connection loop and the request handler.
#include <array>
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

// What the HTTP-version at the end of a request line asks for. HTTP/1.2 to
// 1.9 are served as 1.1 (RFC 9110 §2.5: same major version, the highest minor
// we implement): the caller rewrites the last byte of the line to '1' before
// parsing. HTTP/2.0 and up are not HTTP/1.x at all: 505. Anything else is left
// to Beast's parser, which refuses what is not HTTP/1.0 or 1.1.
enum class VersionCheck { as_is, read_as_1_1, not_supported };
VersionCheck check_version(std::string_view request_line);

// Whether a Host field value is a valid uri-host [ ":" port ] (RFC 9112 §3.2,
// RFC 3986 §3.2.2); empty is allowed.
bool is_valid_host(std::string_view value);

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
  std::uint64_t body_length = 0;  // when framing is content_length
  std::string if_none_match;      // empty when absent
  std::string if_modified_since;  // empty when absent
  std::string if_match;           // empty when absent
  std::string if_unmodified_since;  // empty when absent
  std::string range;              // empty when absent
  std::string if_range;           // empty when absent

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
    body_length = 0;
    if_none_match.clear();
    if_modified_since.clear();
    if_match.clear();
    if_unmodified_since.clear();
    range.clear();
    if_range.clear();
  }
};

enum class ParseOutcome {
  complete,
  incomplete,
  malformed,              // 400
  headers_too_large,      // a field line over 8 KiB or a head over 32 KiB: 431
  request_line_too_long,  // over 8 KiB: 414
  version_not_supported,  // HTTP/2.0 and up on an HTTP/1.1 connection: 505
};

// Parses one request head from `bytes` into `out` (request_head_scanner.hpp's
// limits, then Beast's parser); `used` is how many bytes it took, empty lines
// before the request line included. For tests, fuzzers and micro benchmarks;
// the server reads from sockets with the same scanner and parser.
ParseOutcome parse_request_head(std::string_view bytes, ParsedRequest& out, std::size_t& used);

struct Reply {
  int status = 0;
  // Status line and headers, each ending "\r\n", without Date, Connection and
  // the blank line, which the connection adds.
  std::string_view head;
  // Fields of this reply alone (a 206's Content-Range and Content-Length),
  // sent after `head`. Held in the Reply itself so that a range costs no
  // allocation either; see fields().
  std::array<char, 128> fields_buffer;
  std::size_t fields_size = 0;
  std::string_view body;           // empty for HEAD and 304, and when body_file is set
  const OpenFile* body_file = nullptr;  // --no-cache: the body, read a piece at a time as it is sent
  std::uint64_t body_file_offset = 0;   // which bytes of body_file are the body
  std::uint64_t body_file_length = 0;
  std::shared_ptr<const void> owner;  // keeps head and body alive when they were built for this request
  bool close = false;              // the connection cannot go on (e.g. after a malformed request)

  std::uint64_t body_size() const;
  std::string_view fields() const { return {fields_buffer.data(), fields_size}; }
};

}  // namespace platespin
