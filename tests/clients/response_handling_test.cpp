// The clients' response handling without a socket: read_response_bytes() runs
// the code get() runs on a connection, over bytes in memory; and what
// download_one asks of a flag's body and of a metadata file name.
#include <gtest/gtest.h>

#include "flag_files.hpp"
#include "http_client.hpp"

using namespace platespin;

namespace {
const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nGIF89a";
}  // namespace

TEST(ResponseHandling, InterimResponsesBeforeTheFinalOneAreSkipped) {
  const auto hints = read_response_bytes("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + kOk);
  EXPECT_EQ(hints.error_kind, "");
  EXPECT_EQ(hints.status, 200);
  EXPECT_EQ(hints.body, "GIF89a");
  std::string most;
  for (int i = 0; i < kMaxInterimResponses; ++i) most += kContinue;
  EXPECT_EQ(read_response_bytes(most + kOk).status, 200);
}

TEST(ResponseHandling, AFloodOfInterimResponsesIsAProtocolError) {
  std::string flood;
  for (int i = 0; i <= kMaxInterimResponses; ++i) flood += kContinue;
  const auto ex = read_response_bytes(flood + kOk);
  EXPECT_EQ(ex.error_kind, "protocol");
  EXPECT_EQ(ex.status, 0);
}

TEST(ResponseHandling, SwitchingProtocolsIsFinalNotInterim) {
  const auto ex = read_response_bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n" + kOk);
  EXPECT_EQ(ex.status, 101);
  EXPECT_EQ(ex.error_kind, "");
}

TEST(ResponseHandling, BrokenResponsesHaveTheirKinds) {
  EXPECT_EQ(read_response_bytes("").error_kind, "reset");
  EXPECT_EQ(read_response_bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nGIF").error_kind, "truncated");
  EXPECT_EQ(read_response_bytes("SSH-2.0-OpenSSH\r\n\r\n").error_kind, "protocol");
  EXPECT_EQ(read_response_bytes(kContinue).error_kind, "reset");  // the peer closed before the final response
  EXPECT_EQ(read_response_bytes(kOk, 3).error_kind, "protocol");  // over the body limit
}

TEST(FlagPicture, OnlyAGifSignatureIsAFlag) {
  EXPECT_TRUE(is_flag_picture("GIF89a\x10\x00"));
  EXPECT_TRUE(is_flag_picture("GIF87a"));
  EXPECT_FALSE(is_flag_picture("<html>GIF89a</html>"));
  EXPECT_FALSE(is_flag_picture("GIF8"));
  EXPECT_FALSE(is_flag_picture(""));
  EXPECT_FALSE(is_flag_picture("\x89PNG\r\n\x1a\n"));
}

TEST(FlagFileName, ControlCharactersSlashesAndLengthAreMadeSafe) {
  EXPECT_EQ(metadata_file_name("AE", std::string("United\0Arab", 11)), "United_Arab-AE.gif");
  EXPECT_EQ(metadata_file_name("XX", "a\nb\tc\x7f/d"), "a_b_c__d-XX.gif");
  const std::string name = metadata_file_name("AD", std::string(300, 'x'));
  EXPECT_EQ(name.size(), kMaxFileNameBytes);
  EXPECT_TRUE(name.starts_with("xxx") && name.ends_with("x-AD.gif")) << name;
  // Cut on a character boundary: "é" is two bytes and never split.
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "\xc3\xa9";
  const std::string cut = metadata_file_name("FR", accents);
  EXPECT_LE(cut.size(), kMaxFileNameBytes);
  const std::string middle = cut.substr(0, cut.size() - std::string("-FR.gif").size());
  EXPECT_EQ(middle.size() % 2, 0u);
  EXPECT_EQ(middle.substr(middle.size() - 2), "\xc3\xa9");
}
