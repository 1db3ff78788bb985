#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "request.hpp"

using namespace platespin;

namespace platespin {
// For readable failures.
void PrintTo(BodyFraming framing, std::ostream* os) {
  constexpr const char* names[] = {"none", "content_length", "chunked", "invalid", "unsupported_coding"};
  *os << names[static_cast<int>(framing)];
}
}  // namespace platespin

namespace {

ParseOutcome parse(const std::string& bytes, ParsedRequest& out) {
  std::size_t used = 0;
  return parse_request_head(bytes, out, used);
}

}  // namespace

TEST(RequestParser, ReadsTheFieldsTheServerNeeds) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"a-1\"\r\n"
                  "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
                  r),
            ParseOutcome::complete);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/flags/ad/ad.gif");
  EXPECT_EQ(r.version, 11);
  EXPECT_TRUE(r.keep_alive);
  EXPECT_FALSE(r.has_body());
  EXPECT_EQ(r.if_none_match, "\"a-1\"");
  EXPECT_EQ(r.if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(RequestParser, KeepAliveRules) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.version, 10);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, NoticesABody) {
  ParsedRequest r;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", r), ParseOutcome::complete);
  EXPECT_TRUE(r.has_body());
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_TRUE(r.has_body());
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_FALSE(r.has_body());
}

TEST(RequestParser, ABodyOfAnySizeIsNoticedNotAnError) {
  ParsedRequest r;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.framing, BodyFraming::content_length);
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.framing, BodyFraming::content_length);
}

TEST(RequestParser, ReusesTheRequestObject) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET /a HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n", r), ParseOutcome::complete);
  ASSERT_EQ(parse("HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.method, "HEAD");
  EXPECT_EQ(r.target, "/b");
  EXPECT_TRUE(r.if_none_match.empty());
}

TEST(RequestParser, IncompleteMalformedAndTooLarge) {
  ParsedRequest r;
  EXPECT_EQ(parse("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n", r), ParseOutcome::incomplete);
  EXPECT_EQ(parse("GARBAGE\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(parse("GET / HTTP/9.9\r\n\r\n", r), ParseOutcome::version_not_supported);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nBad Header\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", r),
            ParseOutcome::headers_too_large);
}

TEST(RequestParser, ReadsRangeAndTheOtherPreconditions) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=0-10\r\nIf-Range: \"a-1\"\r\nIf-Match: \"b-2\"\r\n"
                  "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
                  r),
            ParseOutcome::complete);
  EXPECT_EQ(r.range, "bytes=0-10");
  EXPECT_EQ(r.if_range, "\"a-1\"");
  EXPECT_EQ(r.if_match, "\"b-2\"");
  EXPECT_EQ(r.if_unmodified_since, "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(RequestParser, ReadsTheBodyLength) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.body_length, 1234u);
}

// RFC 9112 §3.2: HTTP/1.1 needs exactly one Host, and any request a valid one.
TEST(RequestParser, HostRules) {
  ParsedRequest r;
  const auto with = [&](const std::string& version, const std::string& fields) {
    return parse("GET / " + version + "\r\n" + fields + "\r\n", r);
  };
  EXPECT_EQ(with("HTTP/1.1", ""), ParseOutcome::malformed);
  EXPECT_EQ(with("HTTP/1.1", "Host: a\r\nHost: a\r\n"), ParseOutcome::malformed);
  EXPECT_EQ(with("HTTP/1.0", "Host: a\r\nHost: b\r\n"), ParseOutcome::malformed);
  EXPECT_EQ(with("HTTP/1.0", ""), ParseOutcome::complete);
  for (const std::string ok : {"x", "", "127.0.0.1:8001", "[::1]:8001", "[::1]", "a-b.example.com", "%41b"})
    EXPECT_EQ(with("HTTP/1.1", "Host: " + ok + "\r\n"), ParseOutcome::complete) << ok;
  for (const std::string bad : {"a b", "a/b", "a@b", "a:b", "[::1", "[::1]x", "a:80:80", "a\"b"})
    EXPECT_EQ(with("HTTP/1.1", "Host: " + bad + "\r\n"), ParseOutcome::malformed) << bad;
}

TEST(RequestParser, VersionsOtherThan10And11) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET / HTTP/1.2\r\nHost: x\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.version, 11);
  EXPECT_EQ(parse("GET / HTTP/2.0\r\nHost: x\r\n\r\n", r), ParseOutcome::version_not_supported);
  EXPECT_EQ(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", r), ParseOutcome::version_not_supported);
  EXPECT_EQ(parse("GET / HTTP/0.9\r\nHost: x\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(check_version("GET / HTTP/1.9"), VersionCheck::read_as_1_1);
  EXPECT_EQ(check_version("GET / HTTP/1.1"), VersionCheck::as_is);
  EXPECT_EQ(check_version("GET / HTTP/3.0"), VersionCheck::not_supported);
}

TEST(RequestParser, EmptyLinesBeforeTheRequestLineAreSkipped) {
  ParsedRequest r;
  std::size_t used = 0;
  const std::string bytes = "\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /next";
  ASSERT_EQ(parse_request_head(bytes, r, used), ParseOutcome::complete);
  EXPECT_EQ(r.target, "/a");
  EXPECT_EQ(used, bytes.find("GET /next"));
}

TEST(RequestParser, LineAndHeadLimits) {
  ParsedRequest r;
  const std::string line(8 * 1024 - std::string("X: ").size(), 'a');  // "X: aaa...": 8 KiB exactly
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nX: " + line + "\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nX: " + line + "a\r\n\r\n", r), ParseOutcome::headers_too_large);
  std::string fields;
  for (int i = 0; i < 3; ++i) fields += "X: " + line + "\r\n";  // 24 KiB and a bit: fits in 32
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n" + fields + fields + "\r\n", r), ParseOutcome::headers_too_large);
  EXPECT_EQ(parse("GET /" + std::string(8 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", r),
            ParseOutcome::request_line_too_long);
}

// The framing decision alone (RFC 9112 §6.1-6.3): Transfer-Encoding and
// Content-Length as the joined lists the parser hands it.
struct FramingCase {
  const char* what;
  int version;
  std::optional<std::string_view> transfer_encoding, content_length;
  BodyFraming expected;
};

TEST(BodyFramingDecision, Table) {
  using F = BodyFraming;
  constexpr auto none = std::nullopt;
  const std::vector<FramingCase> cases{
      {"no body fields", 11, none, none, F::none},
      {"Content-Length 0", 11, none, "0", F::none},
      {"Content-Length 5", 11, none, "5", F::content_length},
      {"repeated equal lengths", 11, none, "5, 5", F::content_length},
      {"HTTP/1.0 with a length", 10, none, "5", F::content_length},
      {"differing lengths", 11, none, "5, 6", F::invalid},
      {"differing lengths, zero first", 11, none, "0, 5", F::invalid},
      {"an empty length", 11, none, "", F::invalid},
      {"an empty length element", 11, none, "5,,5", F::invalid},
      {"a signed length", 11, none, "+5", F::invalid},
      {"a negative length", 11, none, "-1", F::invalid},
      {"a hex length", 11, none, "0x5", F::invalid},
      {"a length over 64 bits", 11, none, "18446744073709551616", F::invalid},
      {"two numbers without a comma", 11, none, "5 5", F::invalid},
      {"chunked", 11, "chunked", none, F::chunked},
      {"Chunked, any case", 11, "CHUNKED", none, F::chunked},
      {"chunked with an empty list element", 11, ", chunked", none, F::chunked},
      {"gzip", 11, "gzip", none, F::invalid},
      {"chunked, gzip", 11, "chunked, gzip", none, F::invalid},
      {"xchunked", 11, "xchunked", none, F::invalid},
      {"chunkedx", 11, "chunkedx", none, F::invalid},
      {"identity", 11, "identity", none, F::invalid},
      {"an empty Transfer-Encoding", 11, "", none, F::invalid},
      {"lines gzip + chunked", 11, "gzip, chunked", none, F::unsupported_coding},
      {"lines chunked + gzip", 11, "chunked, gzip", none, F::invalid},
      {"deflate, chunked", 11, "deflate, chunked", none, F::unsupported_coding},
      {"identity, chunked", 11, "identity, chunked", none, F::unsupported_coding},
      {"chunked twice on one line", 11, "chunked, chunked", none, F::invalid},
      {"chunked twice with a coding between", 11, "chunked, gzip, chunked", none, F::invalid},
      {"lines chunked + chunked", 11, "chunked, chunked", none, F::invalid},
      {"a coding that is not a token", 11, "chunked\"", none, F::invalid},
      {"a coding with a space inside", 11, "gzip chunked", none, F::invalid},
      {"a coding with parameters under chunked", 11, "gzip;q=1, chunked", none, F::unsupported_coding},
      {"chunked with Content-Length", 11, "chunked", "5", F::invalid},
      {"chunked with Content-Length 0", 11, "chunked", "0", F::invalid},
      {"gzip with Content-Length", 11, "gzip", "5", F::invalid},
      {"HTTP/1.0 with chunked", 10, "chunked", none, F::invalid},
      {"HTTP/1.0 with gzip", 10, "gzip", none, F::invalid},
      {"HTTP/1.0 with chunked and a length", 10, "chunked", "5", F::invalid},
  };
  for (const auto& c : cases)
    EXPECT_EQ(decide_body_framing(c.version, c.transfer_encoding, c.content_length), c.expected) << c.what;
}

// The same decision reached through the parser, from real header lines: every
// Transfer-Encoding line counts, wherever it is.
TEST(RequestParser, FramesTheBodyFromEveryLineOfBothFields) {
  const auto framing = [](const std::string& fields, const std::string& version = "HTTP/1.1") {
    ParsedRequest r;
    std::size_t used = 0;
    const auto outcome =
        parse_request_head("GET /flags/ad/ad.gif " + version + "\r\nHost: x\r\n" + fields + "\r\n", r, used);
    // Beast's parser refuses some of these heads itself: the server answers 400 to those too.
    return outcome == ParseOutcome::malformed ? BodyFraming::invalid : r.framing;
  };
  using F = BodyFraming;
  EXPECT_EQ(framing(""), F::none);
  EXPECT_EQ(framing("Transfer-Encoding: chunked\r\n"), F::chunked);
  EXPECT_EQ(framing("Transfer-Encoding: gzip\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: chunked, gzip\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: xchunked\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: identity\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: chunked, chunked\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: gzip, chunked\r\n"), F::unsupported_coding);
  EXPECT_EQ(framing("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"), F::unsupported_coding);
  EXPECT_EQ(framing("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: gzip\r\nContent-Length: 5\r\n"), F::invalid);
  EXPECT_EQ(framing("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), F::invalid);
  EXPECT_EQ(framing("Content-Length: 5\r\nContent-Length: 6\r\n"), F::invalid);
  EXPECT_EQ(framing("Content-Length: 5, 6\r\n"), F::invalid);
  EXPECT_EQ(framing("Content-Length: 5\r\nContent-Length: 5\r\n"), F::content_length);
  EXPECT_EQ(framing("Transfer-Encoding: chunked\r\n", "HTTP/1.0"), F::invalid);
  EXPECT_EQ(framing("Transfer-Encoding: gzip\r\n", "HTTP/1.0"), F::invalid);
}
