// The access log's line format and escaping, without sockets.
#include "access_log.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace platespin;

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_log_escaped(out, text);
  return out;
}

TEST(AccessLogEscaping, EscapesWhatNginxEscapes) {
  EXPECT_EQ(escaped("/flags/ad/ad.gif?a=1&b=%20~"), "/flags/ad/ad.gif?a=1&b=%20~") << "printable ASCII stays";
  EXPECT_EQ(escaped("a b"), "a b") << "nginx leaves spaces alone";
  EXPECT_EQ(escaped("\""), "\\x22");
  EXPECT_EQ(escaped("\\"), "\\x5C");
  EXPECT_EQ(escaped("\n"), "\\x0A");
  EXPECT_EQ(escaped("\r"), "\\x0D");
  EXPECT_EQ(escaped("\t"), "\\x09");
  EXPECT_EQ(escaped(std::string("\0", 1)), "\\x00");
  EXPECT_EQ(escaped("\x1b[31m"), "\\x1B[31m") << "a terminal escape sequence";
  EXPECT_EQ(escaped("\x7f"), "\\x7F");
  EXPECT_EQ(escaped("\xe2\x80\xae"), "\\xE2\\x80\\xAE") << "U+202E RIGHT-TO-LEFT OVERRIDE";
  EXPECT_EQ(escaped("caf\xc3\xa9"), "caf\\xC3\\xA9") << "any byte over 0x7f";
  EXPECT_EQ(escaped("\xff"), "\\xFF");
}

TEST(AccessLogLine, CommonFormat) {
  ParsedRequest r;
  r.method = "GET";
  r.target = "/flags/ad/ad.gif";
  r.version = 11;
  EXPECT_EQ(format_access_log_line("127.0.0.1", r, 200, 371, 1764599400),
            "127.0.0.1 - - [01/Dec/2025:14:30:00 +0000] \"GET /flags/ad/ad.gif HTTP/1.1\" 200 371\n");
}

TEST(AccessLogLine, WhatTheClientSentCannotForgeFieldsOrLines) {
  ParsedRequest r;
  r.method = "GET";
  r.target = "/x\" 200 1\n10.0.0.1 - - [forged] \"GET /\xe2\x80\xae";
  r.version = 10;
  const std::string line = format_access_log_line("127.0.0.1", r, 404, 14, 0);
  EXPECT_EQ(line,
            "127.0.0.1 - - [01/Jan/1970:00:00:00 +0000] "
            "\"GET /x\\x22 200 1\\x0A10.0.0.1 - - [forged] \\x22GET /\\xE2\\x80\\xAE HTTP/1.0\" 404 14\n");
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
}

TEST(AccessLogLine, AHeadThatNeverParsedLogsDashes) {
  const ParsedRequest r;
  EXPECT_EQ(format_access_log_line("::1", r, 400, 16, 0),
            "::1 - - [01/Jan/1970:00:00:00 +0000] \"- - HTTP/1.1\" 400 16\n");
}

}  // namespace
