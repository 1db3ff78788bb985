#pragma once
// How an HTTP/1.1 message's body is delimited, decided once from its header
// (RFC 9112 §6.1–6.3), so that whoever reads the body and whoever writes the
// message on act on the same decision. A proxy that reads one header line to
// parse and another to forward lets a request hide inside another's body
// (request smuggling). No Beast here: the fuzzers and unit tests call it directly.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace platespin {

struct Framing {
  enum class Body {
    none,         // no body (a request without CL or TE; a response to HEAD, a 1xx, 204 or 304)
    length,       // Content-Length bytes (also a request with Content-Length: 0)
    chunked,      // the chunked coding, last in Transfer-Encoding
    until_close,  // a response delimited by the end of the connection
  };
  Body body = Body::none;
  std::uint64_t length = 0;  // for Body::length
  // Transfer codings applied before chunked (a response's "gzip, chunked"), as
  // the sender listed them: they describe the content and go on with it.
  std::string codings;
  // 0 when the header frames the message unambiguously; else the status to
  // answer instead of passing it on (400/501 for a request, 502 for a response).
  int refusal = 0;
  std::string_view why;  // what was wrong, for the log and the error page

  bool refused() const { return refusal != 0; }
  static Framing refuse(int status, std::string_view why) {
    Framing f;
    f.refusal = status;
    f.why = why;
    return f;
  }
};

// `transfer_encoding` and `content_length`: the values of every such header
// line, in order. `version`: 10 for HTTP/1.0, 11 for HTTP/1.1.
Framing request_framing(int version, std::span<const std::string_view> transfer_encoding,
                        std::span<const std::string_view> content_length);

// `status`: the response's; `to_head`: it answers a HEAD request.
Framing response_framing(int status, bool to_head, std::span<const std::string_view> transfer_encoding,
                         std::span<const std::string_view> content_length);

}  // namespace platespin
