// Request rows. Targets are /healthz?N so flag_server answers 200 and the
// recording backend echoes a target we can tell apart. A hidden request
// (kSmuggledRequest) sits where a server that frames the message wrongly
// would read it as a request of its own.
#include <cstdio>

#include "cases.hpp"

namespace platespin::framing {

namespace {

const std::string T1 = "/healthz?1", T2 = "/healthz?2", T3 = "/healthz?3";
const std::string& S = kSmuggledRequest;

// A request head with Host and `fields` (each ending CRLF).
std::string head(const std::string& method, const std::string& target, const std::string& fields = "",
                 const std::string& version = "HTTP/1.1") {
  return method + " " + target + " " + version + "\r\nHost: t\r\n" + fields + "\r\n";
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

std::string chunk(const std::string& data) { return hex(data.size()) + "\r\n" + data + "\r\n"; }
const std::string kLast = "0\r\n\r\n";
std::string cl(const std::string& body) { return "Content-Length: " + std::to_string(body.size()) + "\r\n"; }
const std::string kChunked = "Transfer-Encoding: chunked\r\n";

// A chunked body whose one chunk carries the hidden request: read as chunked, it is data.
std::string chunked_smuggled() { return chunk(S) + kLast; }

std::vector<RequestCase> build() {
  using E = Expect;
  std::vector<RequestCase> c;
  auto add = [&c](std::string name, std::string bytes, E expect, std::vector<Sent> intended = {}) {
    c.push_back({std::move(name), std::move(bytes), expect, std::move(intended)});
  };

  // Well-framed requests: the baseline every server must get right.
  add("get_plain", head("GET", T1), E::accept, {{"GET", T1, "", ""}});
  add("post_content_length", head("POST", T1, cl("hello")) + "hello", E::accept, {{"POST", T1, "hello", ""}});
  add("post_content_length_zero", head("POST", T1, "Content-Length: 0\r\n"), E::accept, {{"POST", T1, "", ""}});
  add("post_chunked", head("POST", T1, kChunked) + chunk("hello") + kLast, E::accept, {{"POST", T1, "hello", ""}});
  add("post_chunked_three_chunks", head("POST", T1, kChunked) + chunk("he") + chunk("ll") + chunk("o") + kLast,
      E::accept, {{"POST", T1, "hello", ""}});
  add("get_with_content_length_body", head("GET", T1, cl("hello")) + "hello", E::accept, {{"GET", T1, "hello", ""}});
  add("get_with_chunked_body", head("GET", T1, kChunked) + chunk("hello") + kLast, E::accept,
      {{"GET", T1, "hello", ""}});
  add("head_with_content_length_body", head("HEAD", T1, cl("hello")) + "hello", E::accept, {{"HEAD", T1, "hello", ""}});
  add("post_body_is_a_request", head("POST", T1, cl(S)) + S, E::accept, {{"POST", T1, S, ""}});
  add("post_chunk_is_a_request", head("POST", T1, kChunked) + chunked_smuggled(), E::accept, {{"POST", T1, S, ""}});
  add("content_length_leading_spaces", head("POST", T1, "Content-Length:     5\r\n") + "hello", E::accept,
      {{"POST", T1, "hello", ""}});
  add("content_length_leading_zeros", head("POST", T1, "Content-Length: 005\r\n") + "hello", E::accept,
      {{"POST", T1, "hello", ""}});
  add("te_chunked_upper_case", head("POST", T1, "Transfer-Encoding: CHUNKED\r\n") + chunked_smuggled(), E::accept,
      {{"POST", T1, S, ""}});
  add("te_chunked_surrounding_spaces", head("POST", T1, "Transfer-Encoding:   chunked   \r\n") + chunked_smuggled(),
      E::accept, {{"POST", T1, S, ""}});
  add("chunk_size_upper_case_hex", head("POST", T1, kChunked) + "A\r\n0123456789\r\n" + kLast, E::accept,
      {{"POST", T1, "0123456789", ""}});
  add("chunk_size_leading_zeros", head("POST", T1, kChunked) + "0005\r\nhello\r\n" + kLast, E::accept,
      {{"POST", T1, "hello", ""}});
  add("chunk_extension_valid", head("POST", T1, kChunked) + "5;name=value\r\nhello\r\n" + kLast, E::accept,
      {{"POST", T1, "hello", ""}});
  add("chunk_extension_quoted", head("POST", T1, kChunked) + "5;name=\"a b;c\"\r\nhello\r\n" + kLast, E::accept,
      {{"POST", T1, "hello", ""}});
  add("chunk_extension_without_value", head("POST", T1, kChunked) + "5;flag\r\nhello\r\n" + kLast, E::accept,
      {{"POST", T1, "hello", ""}});
  add("chunked_with_trailer", head("POST", T1, kChunked) + chunk("hello") + "0\r\nX-Trailer: t\r\n\r\n", E::accept,
      {{"POST", T1, "hello", "x-trailer"}});
  add("expect_100_continue_content_length", head("POST", T1, "Expect: 100-continue\r\n" + cl("hello")) + "hello",
      E::accept, {{"POST", T1, "hello", ""}});
  add("expect_100_continue_chunked", head("POST", T1, "Expect: 100-continue\r\n" + kChunked) + chunked_smuggled(),
      E::accept, {{"POST", T1, S, ""}});
  add("http10_content_length", head("POST", T1, cl("hello"), "HTTP/1.0") + "hello", E::accept,
      {{"POST", T1, "hello", ""}});

  // Pipelined: each request is answered once, in order, with its own answer.
  add("pipelined_two_gets", head("GET", T1) + head("GET", T2), E::accept, {{"GET", T1, "", ""}, {"GET", T2, "", ""}});
  add("pipelined_content_length_then_get", head("POST", T1, cl("hello")) + "hello" + head("GET", T2), E::accept,
      {{"POST", T1, "hello", ""}, {"GET", T2, "", ""}});
  add("pipelined_chunked_then_get", head("POST", T1, kChunked) + chunked_smuggled() + head("GET", T2), E::accept,
      {{"POST", T1, S, ""}, {"GET", T2, "", ""}});
  add("pipelined_three_with_bodies",
      head("POST", T1, cl("one")) + "one" + head("POST", T2, kChunked) + chunk("two") + kLast +
          head("POST", T3, cl("three")) + "three",
      E::accept, {{"POST", T1, "one", ""}, {"POST", T2, "two", ""}, {"POST", T3, "three", ""}});

  // Transfer-Encoding lists, split over lines or not: the combined list decides, and its last coding.
  add("te_gzip_then_chunked_two_lines",
      head("POST", T1, "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n") + chunked_smuggled(), E::either,
      {{"POST", T1, S, ""}});
  // The chunk's data is itself a whole chunked body and a request: only a proxy that strips the
  // chunking but keeps saying "chunked" makes the backend read the request out of it.
  add("te_gzip_then_chunked_data_looks_chunked",
      head("POST", T1, "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n") + chunk(kLast + S) + kLast,
      E::either, {{"POST", T1, kLast + S, ""}});
  add("te_gzip_chunked_one_line", head("POST", T1, "Transfer-Encoding: gzip, chunked\r\n") + chunked_smuggled(),
      E::either, {{"POST", T1, S, ""}});
  add("te_empty_element_then_chunked", head("POST", T1, "Transfer-Encoding: , chunked\r\n") + chunked_smuggled(),
      E::either, {{"POST", T1, S, ""}});
  // Chunked then something else: the final coding is not chunked, the length unknown: 400.
  add("te_chunked_then_gzip_two_lines",
      head("POST", T1, "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n") + chunk("hello") + kLast + S,
      E::reject);
  add("te_chunked_twice_two_lines",
      head("POST", T1, "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + chunk("hello") + kLast + S,
      E::reject);
  add("te_chunked_chunked_one_line",
      head("POST", T1, "Transfer-Encoding: chunked, chunked\r\n") + chunk("hello") + kLast + S, E::reject);
  add("te_chunked_gzip_one_line", head("POST", T1, "Transfer-Encoding: chunked, gzip\r\n") + S, E::reject);
  add("te_gzip_only", head("POST", T1, "Transfer-Encoding: gzip\r\n") + S, E::reject);
  add("te_xchunked", head("POST", T1, "Transfer-Encoding: xchunked\r\n") + S, E::reject);
  add("te_identity", head("POST", T1, "Transfer-Encoding: identity\r\n") + S, E::reject);
  add("te_chunked_with_parameter", head("POST", T1, "Transfer-Encoding: chunked;foo\r\n") + kLast + S, E::reject);
  add("te_quoted_chunked", head("POST", T1, "Transfer-Encoding: \"chunked\"\r\n") + S, E::reject);
  add("te_empty_value", head("POST", T1, "Transfer-Encoding: \r\n") + kLast + S, E::reject);
  add("te_vertical_tab_before_chunked",
      head("POST", T1,
           "Transfer-Encoding:\x0b"
           "chunked\r\n") +
          kLast + S,
      E::reject);
  add("te_space_before_colon", head("POST", T1, "Transfer-Encoding : chunked\r\n") + kLast + S, E::reject);
  add("te_name_with_inner_space", head("POST", T1, "Transfer Encoding: chunked\r\n") + kLast + S, E::reject);
  add("http10_te_chunked", head("POST", T1, kChunked, "HTTP/1.0") + chunk("hello") + kLast + S, E::either,
      {{"POST", T1, "hello", ""}});

  // Transfer-Encoding with Content-Length: read as chunked the hidden request is data; read by
  // Content-Length (4 bytes: the chunk-size line) it is the next request.
  const std::string te_cl_body = chunked_smuggled();
  const std::string cl4 = "Content-Length: " + std::to_string(hex(S.size()).size() + 2) + "\r\n";
  add("te_then_content_length", head("POST", T1, kChunked + cl4) + te_cl_body, E::either, {{"POST", T1, S, ""}});
  add("content_length_then_te", head("POST", T1, cl4 + kChunked) + te_cl_body, E::either, {{"POST", T1, S, ""}});
  add("http10_te_and_content_length", head("POST", T1, cl4 + kChunked, "HTTP/1.0") + te_cl_body, E::either,
      {{"POST", T1, S, ""}});

  // Content-Length lists and malformed values: one number or an error, never a guess.
  add("content_length_list_same", head("POST", T1, "Content-Length: 5, 5\r\n") + "hello", E::either,
      {{"POST", T1, "hello", ""}});
  add("content_length_two_lines_same", head("POST", T1, "Content-Length: 5\r\nContent-Length: 5\r\n") + "hello",
      E::either, {{"POST", T1, "hello", ""}});
  add("content_length_list_different", head("POST", T1, "Content-Length: 5, 6\r\n") + "hellox" + S, E::reject);
  add("content_length_two_lines_different",
      head("POST", T1, "Content-Length: 5\r\nContent-Length: 6\r\n") + "hellox" + S, E::reject);
  add("content_length_not_a_number", head("POST", T1, "Content-Length: abc\r\n") + S, E::reject);
  add("content_length_plus_sign", head("POST", T1, "Content-Length: +5\r\n") + "hello" + S, E::reject);
  add("content_length_negative", head("POST", T1, "Content-Length: -1\r\n") + S, E::reject);
  add("content_length_overflow", head("POST", T1, "Content-Length: 18446744073709551621\r\n") + "hello" + S, E::reject);
  add("content_length_hex", head("POST", T1, "Content-Length: 0x5\r\n") + "hello" + S, E::reject);
  add("content_length_inner_space", head("POST", T1, "Content-Length: 1 0\r\n") + "0123456789" + S, E::reject);
  add("content_length_empty", head("POST", T1, "Content-Length: \r\n") + S, E::reject);
  add("content_length_space_before_colon", head("POST", T1, "Content-Length : 5\r\n") + "hello" + S, E::reject);

  // Header syntax that parsers disagree on.
  add("obs_fold_in_header", head("GET", T1, "X-Folded: a\r\n b\r\n"), E::either, {{"GET", T1, "", ""}});
  add("obs_fold_tab_in_header", head("GET", T1, "X-Folded: a\r\n\tb\r\n"), E::either, {{"GET", T1, "", ""}});
  add("obs_fold_transfer_encoding", head("POST", T1, "Transfer-Encoding:\r\n chunked\r\n") + chunked_smuggled(),
      E::either, {{"POST", T1, S, ""}});
  add("obs_fold_content_length", head("POST", T1, "Content-Length:\r\n 5\r\n") + "hello", E::either,
      {{"POST", T1, "hello", ""}});
  // RFC 9112 2.2: reject, or ignore the whitespace-preceded line; never take it as framing.
  add("space_before_first_header", "GET " + T1 + " HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: t\r\n\r\n",
      E::either, {{"GET", T1, "", ""}});
  add("bare_lf_line_endings", "GET " + T1 + " HTTP/1.1\nHost: t\n\n", E::either, {{"GET", T1, "", ""}});
  add("bare_lf_in_chunked_body", head("POST", T1, kChunked) + "5\nhello\n0\n\n", E::either,
      {{"POST", T1, "hello", ""}});
  add("bare_cr_in_header_value", head("GET", T1, "X-Bad: a\rb\r\n"), E::either, {{"GET", T1, "", ""}});
  add("nul_in_header_value", head("GET", T1, std::string("X-Bad: a\0b\r\n", 12)), E::either, {{"GET", T1, "", ""}});
  add("bare_cr_before_transfer_encoding", head("POST", T1, "X-Bad: a\rTransfer-Encoding: chunked\r\n") + kLast + S,
      E::reject);

  // Chunk lines: sizes that overflow or carry junk, data that overruns its size.
  add("chunk_size_overflow", head("POST", T1, kChunked) + "ffffffffffffffffffff\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_size_wraps_to_5", head("POST", T1, kChunked) + "10000000000000005\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_size_trailing_junk", head("POST", T1, kChunked) + "5x\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_size_0x_prefix", head("POST", T1, kChunked) + "0x5\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_size_leading_space", head("POST", T1, kChunked) + " 5\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_size_negative", head("POST", T1, kChunked) + "-5\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_extension_bare_cr", head("POST", T1, kChunked) + "5;a\rb\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_extension_empty_name", head("POST", T1, kChunked) + "5;=x\r\nhello\r\n" + kLast, E::either,
      {{"POST", T1, "hello", ""}});
  add("chunk_data_longer_than_size", head("POST", T1, kChunked) + "3\r\nhello\r\n" + kLast + S, E::reject);
  add("chunk_data_shorter_than_size", head("POST", T1, kChunked) + "7\r\nhello\r\n" + kLast + S, E::reject);
  // The hidden request's lines land in the trailer section: no colon, so not a field.
  add("last_chunk_then_request_as_trailer", head("POST", T1, kChunked) + chunk("hello") + "0\r\n" + S, E::either,
      {{"POST", T1, "hello", ""}});

  // Incomplete messages: the server must wait for the rest (and a proxy forward no more than it has).
  add("missing_final_crlf", head("POST", T1, kChunked) + chunk("hello") + "0\r\n", E::incomplete);
  add("missing_last_chunk", head("POST", T1, kChunked) + chunk("hello"), E::incomplete);
  add("content_length_body_short", head("POST", T1, "Content-Length: 10\r\n") + "hello", E::incomplete);
  add("head_without_final_empty_line", "GET " + T1 + " HTTP/1.1\r\nHost: t\r\n", E::incomplete);
  add("chunk_data_cut", head("POST", T1, kChunked) + "a\r\nhello", E::incomplete);
  return c;
}

}  // namespace

const std::vector<RequestCase>& request_cases() {
  static const std::vector<RequestCase> cases = build();
  return cases;
}

}  // namespace platespin::framing
