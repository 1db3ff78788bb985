// Range requests against the real flag_server (RFC 9110 §14): 206 with
// Content-Range, 416, If-Range, Accept-Ranges, and real clients (curl -C -,
// wget -c) resuming a cut download, cached and with --no-cache.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "http.hpp"
#include "services.hpp"

using namespace platespin;
namespace fs = std::filesystem;

namespace {

// A tree with one 300 KB file of random bytes; the server runs cached or --no-cache.
class FlagServerRanges : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    root_ = test::temp_dir("ranges");
    fs::create_directories(root_ / "flags" / "big");
    std::mt19937 random(15);
    content_.resize(300 * 1000);
    for (auto& c : content_) c = static_cast<char>(random());
    const fs::path file = root_ / "flags" / "big" / "big.bin";
    std::ofstream(file, std::ios::binary) << content_;
    // An hour old: a Last-Modified a second or more in the past is a strong validator (If-Range).
    fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(1));
    std::vector<std::string> args{"--port", "0", "--threads", "1", "--root", root_.string(), "--access-log"};
    if (GetParam()) args.push_back("--no-cache");
    server_ = test::start_service("flag_server", args);
  }
  std::uint16_t port() const { return server_.port(); }
  std::string url() const { return server_.url(0, "/flags/big/big.bin"); }
  test::HttpReply get(const std::map<std::string, std::string>& headers) {
    return test::http_get(port(), "/flags/big/big.bin", headers);
  }
  // The status of the next access log line.
  std::string next_logged_status() {
    const std::string line = server_.process->read_line(std::chrono::seconds(10));
    const auto quote = line.rfind('"');
    return quote == std::string::npos ? line : line.substr(quote + 2, 3);
  }

  fs::path root_;
  std::string content_;
  test::Service server_;
};

TEST_P(FlagServerRanges, OneRangeIs206WithContentRange) {
  struct Case {
    std::string range;
    std::size_t first, length;
  };
  const std::size_t size = content_.size();
  for (const Case& c : std::vector<Case>{{"bytes=0-10", 0, 11},
                                         {"bytes=-10", size - 10, 10},
                                         {"bytes=10-", 10, size - 10},
                                         {"bytes=299990-400000", 299990, 10},
                                         {"bytes=-400000", 0, size},
                                         {"BYTES = 5-5", 5, 1}}) {
    const auto reply = get({{"Range", c.range}});
    ASSERT_EQ(reply.status, 206) << c.range;
    EXPECT_EQ(reply.header("content-range"), "bytes " + std::to_string(c.first) + "-" +
                                                 std::to_string(c.first + c.length - 1) + "/" + std::to_string(size))
        << c.range;
    EXPECT_EQ(reply.header("content-length"), std::to_string(c.length)) << c.range;
    EXPECT_EQ(reply.body, content_.substr(c.first, c.length)) << c.range;
    EXPECT_FALSE(reply.header("etag").empty()) << c.range;
  }
}

TEST_P(FlagServerRanges, AWholeFileSays200AcceptRangesBytes) {
  const auto reply = get({});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("accept-ranges"), "bytes");
  EXPECT_EQ(reply.body, content_);
}

TEST_P(FlagServerRanges, AnUnsatisfiableRangeIs416WithTheLength) {
  for (const std::string range : {"bytes=300000-", "bytes=400000-500000", "bytes=-0"}) {
    const auto reply = get({{"Range", range}});
    EXPECT_EQ(reply.status, 416) << range;
    EXPECT_EQ(reply.header("content-range"), "bytes */300000") << range;
  }
  EXPECT_EQ(get({}).status, 200) << "the connection and the server go on";
}

TEST_P(FlagServerRanges, SeveralRangesOrAnInvalidOneGetTheWholeFile) {
  for (const std::string range : {"bytes=0-1,5-6", "bytes=5-1", "bytes=x-", "items=0-1", "bytes=0-1, -3"}) {
    const auto reply = get({{"Range", range}});
    EXPECT_EQ(reply.status, 200) << range;
    EXPECT_EQ(reply.body.size(), content_.size()) << range;
  }
}

TEST_P(FlagServerRanges, HeadIgnoresRange) {
  const std::string raw = test::raw_exchange(
      port(), "HEAD /flags/big/big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-10\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << raw;
  EXPECT_EQ(raw.size(), raw.find("\r\n\r\n") + 4) << "no body after the head";
}

TEST_P(FlagServerRanges, IfRangeComparesStrongly) {
  const auto first = get({});
  const std::string etag = first.header("etag"), modified = first.header("last-modified");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get({{"Range", "bytes=0-9"}, {"If-Range", etag}}).status, 206);
  EXPECT_EQ(get({{"Range", "bytes=0-9"}, {"If-Range", "\"other\""}}).status, 200);
  EXPECT_EQ(get({{"Range", "bytes=0-9"}, {"If-Range", "W/" + etag}}).status, 200) << "a weak tag never matches";
  EXPECT_EQ(get({{"Range", "bytes=0-9"}, {"If-Range", modified}}).status, 206);
  EXPECT_EQ(get({{"Range", "bytes=0-9"}, {"If-Range", "Thu, 01 Jan 1970 00:00:00 GMT"}}).status, 200);
}

bool have(const std::string& tool) { return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0; }

// The file cut after `kept` bytes, as an interrupted download leaves it.
fs::path cut_download(const std::string& content, std::size_t kept, const std::string& name) {
  const fs::path path = test::temp_dir("resume") / name;
  std::ofstream(path, std::ios::binary) << content.substr(0, kept);
  return path;
}

TEST_P(FlagServerRanges, CurlResumesACutDownloadByteExact) {
  if (!have("curl")) GTEST_SKIP() << "curl is not installed";
  const fs::path partial = cut_download(content_, 123457, "curl.bin");
  const std::string command = "curl -s -S -f -C - -o '" + partial.string() + "' '" + url() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_EQ(test::read_file(partial), content_);
  EXPECT_EQ(next_logged_status(), "206");
}

TEST_P(FlagServerRanges, WgetResumesACutDownloadByteExact) {
  if (!have("wget")) GTEST_SKIP() << "wget is not installed";
  const fs::path partial = cut_download(content_, 200001, "wget.bin");
  const std::string command = "wget -q -c -O '" + partial.string() + "' '" + url() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_EQ(test::read_file(partial), content_);
  EXPECT_EQ(next_logged_status(), "206");
}

INSTANTIATE_TEST_SUITE_P(CachedAndNoCache, FlagServerRanges, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "no_cache" : "cached"; });

}  // namespace
