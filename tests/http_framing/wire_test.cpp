// The oracle's own parser: if it framed messages wrongly, the matrix would
// pass or fail for the wrong reasons.
#include "wire.hpp"

#include <gtest/gtest.h>

namespace platespin::framing {
namespace {

Parsed request(std::string_view bytes) { return parse_message(bytes, true); }
Parsed response(std::string_view bytes, std::string_view method = "GET", bool eof = false) {
  return parse_message(bytes, false, method, eof);
}

TEST(StrictParser, FramesContentLengthAndChunkedRequests) {
  auto p = request("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET");
  ASSERT_EQ(p.state, State::complete);
  EXPECT_EQ(p.message.body, "hello");
  EXPECT_EQ(p.used, std::string_view("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello").size());

  p = request(
      "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;x=\"y\"\r\nhel\r\n2\r\nlo\r\n0\r\nX-T: 1\r\n\r\n");
  ASSERT_EQ(p.state, State::complete) << p.error;
  EXPECT_EQ(p.message.body, "hello");
  EXPECT_TRUE(p.message.has_trailer("x-t"));

  EXPECT_EQ(request("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n").state,
            State::incomplete);
  EXPECT_EQ(request("GET /a HTTP/1.1\r\nHost: t\r\n").state, State::incomplete);
}

TEST(StrictParser, RefusesAmbiguousRequestFraming) {
  for (const char* bad : {
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked;foo\r\n\r\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
           "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
           "POST /a HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n",
           "POST /a HTTP/1.1\r\nContent-Length: +5\r\n\r\n",
           "POST /a HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
           "POST /a HTTP/1.1\r\nContent-Length : 5\r\n\r\n",
           "GET /a HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
           "GET /a HTTP/1.1\nHost: t\n\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n",
           "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n",
       })
    EXPECT_EQ(request(bad).state, State::error) << escape(bad);
  EXPECT_EQ(request(std::string_view("GET /a HTTP/1.1\r\nX: a\0b\r\n\r\n", 27)).state, State::error);
  EXPECT_EQ(request("POST /a HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello").state, State::complete);
}

TEST(StrictParser, FramesResponsesByStatusAndMethod) {
  EXPECT_EQ(response("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1").used, 27u);
  EXPECT_EQ(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD").state, State::complete);
  auto p = response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(p.state, State::incomplete);  // close-delimited: only the close ends it
  p = response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", "GET", true);
  ASSERT_EQ(p.state, State::complete);
  EXPECT_EQ(p.message.body, "0\r\n\r\n");
  p = response("HTTP/1.1 103 Early Hints\r\n\r\n");
  ASSERT_EQ(p.state, State::complete);
  EXPECT_TRUE(p.message.interim());
  EXPECT_EQ(response("HTTP/1.1 099 X\r\n\r\n").state, State::error);
  EXPECT_EQ(response("HTTP/1.1 1000 X\r\n\r\n").state, State::error);
}

}  // namespace
}  // namespace platespin::framing
