#include <gtest/gtest.h>

#include <string>

#include "request.hpp"

using namespace platespin;

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
  EXPECT_FALSE(r.has_body);
  EXPECT_EQ(r.if_none_match, "\"a-1\"");
  EXPECT_EQ(r.if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(RequestParser, KeepAliveRules) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.version, 10);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, NoticesABody) {
  ParsedRequest r;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", r), ParseOutcome::complete);
  EXPECT_TRUE(r.has_body);
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_TRUE(r.has_body);
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_FALSE(r.has_body);
}

TEST(RequestParser, ReusesTheRequestObject) {
  ParsedRequest r;
  ASSERT_EQ(parse("GET /a HTTP/1.1\r\nIf-None-Match: *\r\n\r\n", r), ParseOutcome::complete);
  ASSERT_EQ(parse("HEAD /b HTTP/1.1\r\n\r\n", r), ParseOutcome::complete);
  EXPECT_EQ(r.method, "HEAD");
  EXPECT_EQ(r.target, "/b");
  EXPECT_TRUE(r.if_none_match.empty());
}

TEST(RequestParser, IncompleteMalformedAndTooLarge) {
  ParsedRequest r;
  EXPECT_EQ(parse("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n", r), ParseOutcome::incomplete);
  EXPECT_EQ(parse("GARBAGE\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(parse("GET / HTTP/9.9\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nBad Header\r\n\r\n", r), ParseOutcome::malformed);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", r),
            ParseOutcome::headers_too_large);
}
