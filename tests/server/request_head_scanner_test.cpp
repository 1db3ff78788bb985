// The request-head scanner: limits by byte position, the same verdict however
// the bytes arrive.
#include "request_head_scanner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace platespin;
using Status = RequestHeadScanner::Status;

namespace {

constexpr std::size_t kLine = RequestHeadScanner::kLineLimit;

Status scan_whole(const std::string& bytes) { return RequestHeadScanner().scan(bytes); }

// The verdict when the bytes come `piece` at a time (the scanner sees each longer prefix).
Status scan_in_pieces(const std::string& bytes, std::size_t piece) {
  RequestHeadScanner scanner;
  Status status = Status::incomplete;
  for (std::size_t n = std::min(piece, bytes.size());; n = std::min(n + piece, bytes.size())) {
    status = scanner.scan(std::string_view(bytes).substr(0, n));
    if (status != Status::incomplete || n == bytes.size()) return status;
  }
}

std::string field(std::size_t size) { return "X: " + std::string(size - 3, 'a') + "\r\n"; }  // `size` bytes and CRLF

TEST(RequestHeadScanner, FindsTheEndOfTheHead) {
  RequestHeadScanner scanner;
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(scanner.scan(head.substr(0, 10)), Status::incomplete);
  EXPECT_EQ(scanner.scan(head + "GET /next"), Status::complete);
  EXPECT_EQ(scanner.skipped(), 0u);
  EXPECT_EQ(scanner.head_size(), head.size());
  EXPECT_EQ(scanner.request_line_size(), 14u);
}

TEST(RequestHeadScanner, SkipsEmptyLinesBeforeTheRequestLine) {
  RequestHeadScanner scanner;
  EXPECT_EQ(scanner.scan("\r\n\n\r\nGET / HTTP/1.1\r\n\r\n"), Status::complete);
  EXPECT_EQ(scanner.skipped(), 5u);
  EXPECT_EQ(scanner.head_size(), 18u);
}

TEST(RequestHeadScanner, LimitsEachLineAndTheHead) {
  EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\n" + field(kLine) + "\r\n"), Status::complete);
  EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\n" + field(kLine + 1) + "\r\n"), Status::field_line_too_long);
  EXPECT_EQ(scan_whole("GET /" + std::string(kLine, 'a') + " HTTP/1.1\r\n\r\n"), Status::request_line_too_long);
  std::string fields;
  for (int i = 0; i < 5; ++i) fields += field(kLine - 10);
  EXPECT_EQ(scan_whole("GET / HTTP/1.1\r\n" + fields + "\r\n"), Status::head_too_large);
  EXPECT_EQ(scan_whole(std::string(40000, '\n')), Status::head_too_large) << "empty lines count too";
  // Without its end: refused as soon as the limit is certain to be passed.
  EXPECT_EQ(scan_whole("GET /" + std::string(kLine + 10, 'a')), Status::request_line_too_long);
  EXPECT_EQ(scan_whole("GET /" + std::string(100, 'a')), Status::incomplete);
}

TEST(RequestHeadScanner, TheVerdictDoesNotDependOnHowTheBytesArrive) {
  std::string fields;
  for (int i = 0; i < 3; ++i) fields += field(kLine - 10);
  const std::vector<std::string> heads{
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\n" + field(kLine) + "\r\n",
      "GET / HTTP/1.1\r\n" + field(kLine + 1) + "\r\n",
      "GET /" + std::string(kLine, 'a') + " HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\n" + fields + field(kLine + 50) + "\r\n",  // over both limits: the nearer one decides
      "GET / HTTP/1.1\r\n" + fields + "\r\n",
      "\r\n\r\nGET / HTTP/1.1\r\n\r\n",
  };
  for (const auto& head : heads) {
    const Status whole = scan_whole(head);
    for (const std::size_t piece : {1, 2, 3, 7, 100, 4096, 8192, 8193})
      EXPECT_EQ(scan_in_pieces(head, piece), whole) << head.size() << " bytes in pieces of " << piece;
  }
}

}  // namespace
