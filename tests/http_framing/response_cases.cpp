// Response rows: what the scripted backend writes for the client's first
// request. A hidden response (kSmuggledResponse) sits where a proxy that
// frames the message wrongly would take it for the next response.
#include <cstdio>

#include "cases.hpp"

namespace platespin::framing {

namespace {

const std::string& H = kSmuggledResponse;
const std::string kOk = "HTTP/1.1 200 OK\r\n";

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}
std::string chunk(const std::string& data) { return hex(data.size()) + "\r\n" + data + "\r\n"; }
const std::string kLast = "0\r\n\r\n";
std::string cl(const std::string& body) { return "Content-Length: " + std::to_string(body.size()) + "\r\n"; }
const std::string kChunked = "Transfer-Encoding: chunked\r\n";

std::vector<ResponseCase> build() {
  using R = Relay;
  std::vector<ResponseCase> c;
  // GET, the backend keeps the connection open.
  auto get = [&c](std::string name, std::string bytes, R expect, int status = 200, std::string body = "hello") {
    c.push_back({std::move(name), "GET", std::move(bytes), false, expect, status, std::move(body)});
  };
  // GET, the backend closes after writing (close-delimited bodies, cut answers).
  auto get_close = [&c](std::string name, std::string bytes, R expect, int status = 200, std::string body = "hello") {
    c.push_back({std::move(name), "GET", std::move(bytes), true, expect, status, std::move(body)});
  };
  auto head = [&c](std::string name, std::string bytes, R expect, int status = 200) {
    c.push_back({std::move(name), "HEAD", std::move(bytes), false, expect, status, ""});
  };

  // Well-framed answers, including ones whose body looks like a response.
  get("content_length", kOk + cl("hello") + "\r\nhello", R::relay);
  get("chunked", kOk + kChunked + "\r\n" + chunk("hel") + chunk("lo") + kLast, R::relay);
  get("chunked_with_trailer", kOk + kChunked + "\r\n" + chunk("hello") + "0\r\nX-Trailer: t\r\n\r\n", R::relay);
  get("chunked_extension", kOk + kChunked + "\r\n5;name=value\r\nhello\r\n" + kLast, R::relay);
  get("body_is_a_response", kOk + cl(H) + "\r\n" + H, R::relay, 200, H);
  get("chunk_is_a_response", kOk + kChunked + "\r\n" + chunk(H) + kLast, R::relay, 200, H);
  get_close("close_delimited", kOk + "\r\nhello" + H, R::relay, 200, "hello" + H);
  get("te_chunked_upper_case", kOk + "Transfer-Encoding: CHUNKED\r\n\r\n" + chunk("hello") + kLast, R::relay);
  // Valid, but codings the proxy does not know: relayed as they are, or refused (haproxy: 502).
  get("te_gzip_then_chunked_two_lines",
      kOk + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("hello") + kLast, R::either);
  // The chunk's data is itself a chunked body and a response: relayed without its chunking
  // but still labelled chunked, the client would take the hidden response for the next one.
  get("te_gzip_then_chunked_data_looks_chunked",
      kOk + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(kLast + H) + kLast, R::either, 200,
      kLast + H);
  get("http10_content_length", "HTTP/1.0 200 OK\r\n" + cl("hello") + "\r\nhello", R::relay);
  get("continue_then_final", "HTTP/1.1 100 Continue\r\n\r\n" + kOk + cl("hello") + "\r\nhello", R::relay);
  std::string hints;
  for (int i = 0; i < 50; ++i) hints += "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
  get("early_hints_flood_50", hints + kOk + cl("hello") + "\r\nhello", R::either);

  // Something after a complete answer: never part of the next one.
  get("extra_response_appended", kOk + cl("hello") + "\r\nhello" + H, R::relay);
  get("extra_garbage_appended", kOk + cl("hello") + "\r\nhello" + "garbage\r\n\r\n", R::relay);
  get("status_204_with_body", "HTTP/1.1 204 No Content\r\n\r\n" + H, R::either, 204, "");
  get("status_204_with_content_length_body", "HTTP/1.1 204 No Content\r\n" + cl(H) + "\r\n" + H, R::either, 204, "");
  get("status_304_with_body", "HTTP/1.1 304 Not Modified\r\n" + cl(H) + "\r\n" + H, R::either, 304, "");
  head("head_answer_with_body", kOk + cl(H) + "\r\n" + H, R::either);
  head("head_answer_with_chunked_body", kOk + kChunked + "\r\n" + chunk(H) + kLast, R::either);

  // Transfer-Encoding whose final coding is not chunked: the body runs to the close (RFC 9112 6.3).
  const std::string chunked_hello = chunk("hello") + kLast;
  get_close("te_chunked_then_gzip_two_lines",
            kOk + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n" + chunked_hello + H, R::either, 200,
            chunked_hello + H);
  get_close("te_chunked_gzip_one_line", kOk + "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked_hello + H, R::either,
            200, chunked_hello + H);
  get_close("te_gzip_only", kOk + "Transfer-Encoding: gzip\r\n\r\n" + chunked_hello + H, R::either, 200,
            chunked_hello + H);
  get_close("te_xchunked", kOk + "Transfer-Encoding: xchunked\r\n\r\n" + chunked_hello + H, R::either, 200,
            chunked_hello + H);
  get_close("te_identity", kOk + "Transfer-Encoding: identity\r\n\r\n" + chunked_hello + H, R::either, 200,
            chunked_hello + H);
  get_close("te_chunked_with_parameter", kOk + "Transfer-Encoding: chunked;foo\r\n\r\n" + chunked_hello + H, R::either,
            200, chunked_hello + H);
  // Chunked twice: decoded once the body is itself chunked; relayed, it must say so unambiguously.
  get("te_chunked_twice_two_lines",
      kOk + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(chunked_hello) + kLast,
      R::either, 200, chunked_hello);

  // Transfer-Encoding with Content-Length: chunked wins (or 502); the length must not leak through.
  const std::string cl4 = "Content-Length: " + std::to_string(hex(H.size()).size() + 2) + "\r\n";
  get("te_then_content_length", kOk + kChunked + cl4 + "\r\n" + chunk(H) + kLast, R::either, 200, H);
  get("content_length_then_te", kOk + cl4 + kChunked + "\r\n" + chunk(H) + kLast, R::either, 200, H);

  // Content-Length lists and malformed values (RFC 9112 6.3: a proxy answers 502).
  get("content_length_list_same", kOk + "Content-Length: 5, 5\r\n\r\nhello", R::either);
  get("content_length_two_lines_same", kOk + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", R::either);
  get("content_length_list_different", kOk + "Content-Length: 5, 6\r\n\r\nhellox" + H, R::bad);
  get("content_length_two_lines_different", kOk + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhellox" + H, R::bad);
  get("content_length_not_a_number", kOk + "Content-Length: abc\r\n\r\nhello" + H, R::bad);
  get("content_length_plus_sign", kOk + "Content-Length: +5\r\n\r\nhello" + H, R::bad);
  get("content_length_negative", kOk + "Content-Length: -1\r\n\r\nhello" + H, R::bad);
  get("content_length_overflow", kOk + "Content-Length: 18446744073709551621\r\n\r\nhello" + H, R::bad);
  get_close("content_length_space_before_colon", kOk + "Content-Length : 5\r\n\r\nhello" + H, R::either);

  // Status lines.
  get("status_099", "HTTP/1.1 099 Odd\r\n" + cl("hello") + "\r\nhello", R::bad);
  get("status_1000", "HTTP/1.1 1000 Odd\r\n" + cl("hello") + "\r\nhello", R::bad);
  get("status_two_digits", "HTTP/1.1 20 OK\r\n" + cl("hello") + "\r\nhello", R::bad);
  get("status_101_unasked", "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n" + H,
      R::bad);

  // Field syntax: repaired (obs-fold to SP, CR/NUL to SP) or refused, never passed on as it came.
  get("obs_fold", kOk + "X-Folded: a\r\n b\r\n" + cl("hello") + "\r\nhello", R::either);
  get("obs_fold_content_length", kOk + "Content-Length:\r\n 5\r\n\r\nhello", R::either);
  get("bare_lf_line_endings", "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", R::either);
  get("bare_lf_in_chunked_body", kOk + kChunked + "\r\n5\nhello\n0\n\n", R::either);
  get("nul_in_header_value", kOk + std::string("X-Bad: a\0b\r\n", 12) + cl("hello") + "\r\nhello", R::either);
  get("bare_cr_in_header_value", kOk + "X-Bad: a\rb\r\n" + cl("hello") + "\r\nhello", R::either);

  // Cut short, or broken inside the body: the head may be out already, so a close is the answer.
  get_close("closed_before_body_complete", kOk + "Content-Length: 100\r\n\r\nhello", R::truncated);
  get_close("closed_mid_chunk", kOk + kChunked + "\r\na\r\nhello", R::truncated);
  get_close("closed_before_last_chunk", kOk + kChunked + "\r\n" + chunk("hello"), R::truncated);
  get_close("closed_mid_header", kOk + "Content-Le", R::bad);
  get_close("closed_without_answer", "", R::bad);
  get("chunk_size_overflow", kOk + kChunked + "\r\nffffffffffffffffffff\r\nhello\r\n" + kLast + H, R::truncated);
  get("chunk_size_wraps_to_5", kOk + kChunked + "\r\n10000000000000005\r\nhello\r\n" + kLast + H, R::truncated);
  get("chunk_size_trailing_junk", kOk + kChunked + "\r\n5x\r\nhello\r\n" + kLast + H, R::truncated);
  get("chunk_data_longer_than_size", kOk + kChunked + "\r\n3\r\nhello\r\n" + kLast + H, R::truncated);
  return c;
}

}  // namespace

const std::vector<ResponseCase>& response_cases() {
  static const std::vector<ResponseCase> cases = build();
  return cases;
}

}  // namespace platespin::framing
