// The access log's line format and escaping, without sockets.
#include "access_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

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

ParsedRequest flag_request() {
  ParsedRequest r;
  r.method = "GET";
  r.target = "/flags/ad/ad.gif";
  return r;
}

// A pipe, closed at the end of the test.
struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe(fds) == 0) {
      read_end = fds[0];
      write_end = fds[1];
    }
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
};

// 20,000 lines (about 1.5 MB) into a pipe (64 KiB) nobody reads yet and a
// 16 KiB queue: record() never waits, the lines that do not fit are counted,
// and once someone reads, every line that was kept comes out whole.
TEST(AccessLog, AFullOutputDropsAndCountsLinesInsteadOfWaiting) {
  constexpr std::uint64_t kLines = 20000;
  Pipe pipe;
  ASSERT_GE(pipe.write_end, 0);
  auto log = std::make_unique<AccessLog>(pipe.write_end, 16 * 1024);
  const ParsedRequest request = flag_request();
  for (std::uint64_t i = 0; i < kLines; ++i) log->record("127.0.0.1", request, 200, 371);  // would hang if it waited
  const std::uint64_t dropped = log->dropped_lines();
  EXPECT_GT(dropped, 0u);

  std::string out;
  std::thread reader([&] {
    char buffer[65536];
    for (ssize_t n; (n = ::read(pipe.read_end, buffer, sizeof buffer)) > 0;)
      out.append(buffer, static_cast<std::size_t>(n));
  });
  log.reset();  // writes what is still queued (the reader takes it)
  ::close(pipe.write_end);
  pipe.write_end = -1;
  reader.join();
  const auto lines = static_cast<std::uint64_t>(std::count(out.begin(), out.end(), '\n'));
  EXPECT_EQ(lines + dropped, kLines);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find('\n', at);
    const std::string_view line(out.data() + at, end - at);
    ASSERT_EQ(line.rfind("127.0.0.1 - - [", 0), 0u) << line;
    ASSERT_TRUE(line.ends_with("\"GET /flags/ad/ad.gif HTTP/1.1\" 200 371")) << line;
    at = end + 1;
  }
}

// Nobody ever reads: the log gives up on what is queued after kStopGrace
// instead of holding up the server's exit, and counts it as dropped.
TEST(AccessLog, AnOutputNobodyReadsDoesNotHoldUpTheExit) {
  Pipe pipe;
  ASSERT_GE(pipe.write_end, 0);
  AccessLog log(pipe.write_end, 1 << 20);
  const ParsedRequest request = flag_request();
  for (int i = 0; i < 5000; ++i) log.record("127.0.0.1", request, 200, 371);  // ~370 KB: over what the pipe holds
  EXPECT_EQ(log.dropped_lines(), 0u) << "all of it fits in the queue";
  const auto start = std::chrono::steady_clock::now();
  log.finish();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10 * AccessLog::kStopGrace);
  EXPECT_GT(log.dropped_lines(), 4000u) << "a pipe holds 64 KiB, under 900 of these lines";
  log.record("127.0.0.1", request, 200, 371);  // after finish(): dropped, not queued
  EXPECT_GT(log.dropped_lines(), 4001u);
}

}  // namespace
