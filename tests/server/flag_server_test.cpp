// flag_server, the real binary on port 0, over real HTTP.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "country_codes.hpp"
#include "http.hpp"
#include "run_command.hpp"
#include "services.hpp"

using namespace platespin;
using platespin::test::read_file;
using platespin::test::flag_path;
namespace fs = std::filesystem;

namespace {

// One request that closes the connection, sent as raw bytes.
std::string raw_get(std::uint16_t port, const std::string& target, const std::string& version = "HTTP/1.1") {
  return test::raw_exchange(port, "GET " + target + " " + version + "\r\nHost: x\r\nConnection: close\r\n\r\n");
}

int status_of(const std::string& raw) {
  const auto replies = test::parse_responses(raw);
  return replies.empty() ? 0 : replies.front().status;
}

// The default server: no --root, so the build's data set.
class FlagServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new test::Service(test::start_service("flag_server", {"--port", "0", "--threads", "2"})); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }
  static test::Service* server_;
};
test::Service* FlagServer::server_ = nullptr;

TEST_F(FlagServer, ServesAll194FlagsByteExactFromTheDefaultRoot) {
  for (const auto& cc : book_country_codes()) {
    const auto reply = test::http_get(port(), flag_path(cc));
    ASSERT_EQ(reply.status, 200) << cc;
    EXPECT_EQ(reply.header("content-type"), "image/gif") << cc;
    EXPECT_EQ(reply.body, read_file(test::data_root() / flag_path(cc).substr(1))) << cc;
  }
}

TEST_F(FlagServer, ServesMetadataAsJson) {
  const auto reply = test::http_get(port(), "/flags/ad/metadata.json");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(reply.body, R"({"tld_cc": ".ad", "iso_cc": "AD", "country": "Andorra"})");
}

TEST_F(FlagServer, The482OtherCodesAre404) {
  const auto& book = book_country_codes();
  std::size_t not_found = 0;
  for (const auto& cc : every_two_letter_code()) {
    if (std::binary_search(book.begin(), book.end(), cc)) continue;
    const auto reply = test::http_get(port(), flag_path(cc));
    ASSERT_EQ(reply.status, 404) << cc;
    ++not_found;
  }
  EXPECT_EQ(not_found, 482u);
}

TEST_F(FlagServer, Healthz) { EXPECT_EQ(test::http_get(port(), "/healthz").status, 200); }

TEST_F(FlagServer, HeadSendsTheHeadersWithoutTheBody) {
  const auto size = read_file(test::data_root() / "flags/br/br.gif").size();
  const std::string raw =
      test::raw_exchange(port(), "HEAD /flags/br/br.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(raw.find("Content-Length: " + std::to_string(size) + "\r\n"), std::string::npos);
  EXPECT_EQ(raw.size(), raw.find("\r\n\r\n") + 4) << "no body after the head";
}

TEST_F(FlagServer, ConditionalGetsAnswer304) {
  const auto first = test::http_get(port(), "/flags/jp/jp.gif");
  ASSERT_EQ(first.status, 200);
  const std::string etag = first.header("etag"), modified = first.header("last-modified");
  ASSERT_FALSE(etag.empty());
  ASSERT_FALSE(modified.empty());

  const auto by_etag = test::http_get(port(), "/flags/jp/jp.gif", {{"If-None-Match", etag}});
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_TRUE(by_etag.body.empty());
  EXPECT_EQ(by_etag.header("etag"), etag);
  EXPECT_EQ(test::http_get(port(), "/flags/jp/jp.gif", {{"If-Modified-Since", modified}}).status, 304);
  EXPECT_EQ(test::http_get(port(), "/flags/jp/jp.gif", {{"If-None-Match", "\"stale\""}}).status, 200);
  EXPECT_EQ(test::http_get(port(), "/flags/jp/jp.gif", {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}}).status,
            200);
}

TEST_F(FlagServer, OtherMethodsAre405) {
  const auto reply = test::http_request(port(), "PUT", "/flags/ad/ad.gif");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.header("allow"), "GET, HEAD");
}

TEST_F(FlagServer, APostWithABodyIs405) {
  const std::string raw = test::raw_exchange(
      port(), "POST /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
  EXPECT_EQ(status_of(raw), 405);
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif").status, 200);
}

// Request smuggling (RFC 9112 §6.1-6.3): after a head whose body flag_server
// cannot frame for sure comes a complete request of its own, as an attacker
// would hide it in a body. Exactly one reply (400, or 501 for a coding before
// chunked), then the connection closes: the hidden request is never answered.
TEST_F(FlagServer, BodiesThatCannotBeFramedAreRefusedAndNothingIsSmuggled) {
  const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string length = std::to_string(hidden.size());
  struct Case {
    std::string version, fields;
    int status;
  };
  const std::vector<Case> cases{
      {"HTTP/1.1", "Transfer-Encoding: gzip\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: chunked, gzip\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: xchunked\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: identity\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: chunked, chunked\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", 501},
      {"HTTP/1.1", "Transfer-Encoding: gzip, chunked\r\n", 501},
      {"HTTP/1.1", "Transfer-Encoding: gzip\r\nContent-Length: " + length + "\r\n", 400},
      {"HTTP/1.1", "Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n", 400},
      {"HTTP/1.1", "Content-Length: " + length + "\r\nContent-Length: 0\r\n", 400},
      {"HTTP/1.1", "Content-Length: 0, " + length + "\r\n", 400},
      {"HTTP/1.0", "Connection: keep-alive\r\nTransfer-Encoding: gzip\r\n", 400},
      {"HTTP/1.0", "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n", 400},
      {"HTTP/1.1", "Transfer-Encoding: chunked\r\n", 411},  // framed, but chunked bodies are not read
  };
  for (const auto& c : cases) {
    const std::string what = c.version + " " + c.fields;
    const auto exchange = test::raw_exchange_until_close(
        port(), "GET /flags/ad/ad.gif " + c.version + "\r\nHost: x\r\n" + c.fields + "\r\n" + hidden,
        std::chrono::seconds(10));
    const auto replies = test::parse_responses(exchange.received);
    EXPECT_EQ(replies.size(), 1u) << what << exchange.received;
    if (replies.empty()) continue;
    EXPECT_EQ(replies[0].status, c.status) << what;
    EXPECT_EQ(replies[0].header("connection"), "close") << what;
    EXPECT_TRUE(exchange.closed_by_peer) << what;
  }
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif").status, 200);
}

TEST_F(FlagServer, AGetWithABodyOver64KiBIs413) {
  for (const std::string length : {"65537", "1048577", "2000000", "18446744073709551615"}) {
    const auto exchange = test::raw_exchange_until_close(
        port(), "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n" +
                    std::string(64 * 1024, 'x'),
        std::chrono::seconds(10));
    EXPECT_EQ(status_of(exchange.received), 413) << length;
    EXPECT_TRUE(exchange.closed_by_peer) << length;
  }
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif").status, 200);
}

TEST_F(FlagServer, AMalformedRequestIs400AndTheServerGoesOn) {
  EXPECT_EQ(status_of(test::raw_exchange(port(), "GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(status_of(test::raw_exchange(port(), "GET /flags/ad/ad.gif HTTP/1.1\r\nNo colon here\r\n\r\n")), 400);
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif").status, 200);
}

TEST_F(FlagServer, HeadersOver8KiBAre431AndTheServerGoesOn) {
  const std::string raw = test::raw_exchange(
      port(), "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
  EXPECT_EQ(status_of(raw), 431);
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif", {{"X-Fits", std::string(4000, 'a')}}).status, 200);
}

TEST_F(FlagServer, PipelinedRequestsAreAnsweredInOrder) {
  const std::vector<std::string> targets{"/flags/ad/ad.gif", "/flags/zz/zz.gif", "/flags/br/br.gif",
                                         "/flags/ad/metadata.json", "/healthz"};
  std::string requests;
  for (std::size_t i = 0; i < targets.size(); ++i)
    requests += "GET " + targets[i] + " HTTP/1.1\r\nHost: x\r\n" +
                (i + 1 == targets.size() ? "Connection: close\r\n" : "") + "\r\n";
  const auto replies = test::parse_responses(test::raw_exchange(port(), requests));
  ASSERT_EQ(replies.size(), targets.size());
  EXPECT_EQ(replies[0].body, read_file(test::data_root() / "flags/ad/ad.gif"));
  EXPECT_EQ(replies[1].status, 404);
  EXPECT_EQ(replies[2].body, read_file(test::data_root() / "flags/br/br.gif"));
  EXPECT_EQ(replies[3].header("content-type"), "application/json");
  EXPECT_EQ(replies[4].body, "ok\n");
  EXPECT_EQ(replies[4].header("connection"), "close");
}

TEST_F(FlagServer, Http10ClosesUnlessAskedToKeepAlive) {
  const auto closing = test::parse_responses(
      test::raw_exchange(port(), "GET /flags/ad/ad.gif HTTP/1.0\r\n\r\n", std::chrono::seconds(20)));
  ASSERT_EQ(closing.size(), 1u);
  EXPECT_EQ(closing[0].status, 200);
  EXPECT_EQ(closing[0].header("connection"), "close");

  const auto kept = test::parse_responses(test::raw_exchange(
      port(), "GET /flags/ad/ad.gif HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n"));
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].header("connection"), "keep-alive");
  EXPECT_EQ(kept[1].header("connection"), "close");
}

// A tree with a secret beside the root, and symlinks from inside to it.
class Traversal : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    const fs::path top = test::temp_dir("traversal");
    root_ = top / "root";
    fs::create_directories(root_ / "flags" / "ok");
    std::ofstream(root_ / "flags" / "ok" / "ok.txt") << "public";
    std::ofstream(top / "secret.txt") << "TOPSECRET";
    std::ofstream(root_ / "secret-in-root.txt") << "TOPSECRET";  // inside the root, outside the prefix
    fs::create_symlink(top / "secret.txt", root_ / "flags" / "link.txt");
    fs::create_directory_symlink(top, root_ / "flags" / "linkdir");
    secret_ = (top / "secret.txt").string();
    std::vector<std::string> args{"--port", "0", "--threads", "1", "--root", root_.string()};
    if (GetParam()) args.push_back("--no-cache");
    server_ = test::start_service("flag_server", args);
  }
  fs::path root_;
  std::string secret_;
  test::Service server_;
};

TEST_P(Traversal, NoTargetEscapesTheRoot) {
  const std::uint16_t port = server_.port();
  ASSERT_EQ(status_of(raw_get(port, "/flags/ok/ok.txt")), 200);
  EXPECT_EQ(status_of(raw_get(port, "/flags/ok/../ok/./ok.txt")), 200);
  const std::vector<std::string> attacks{
      "/flags/../../secret.txt",
      "/flags/../secret-in-root.txt",
      "/flags/%2e%2e/%2e%2e/secret.txt",
      "/flags/%2E%2E/secret-in-root.txt",
      "/flags/..%2f..%2fsecret.txt",
      "/flags%2f..%2f..%2fsecret.txt",
      "/flags/..\\..\\secret.txt",
      "/flags/%5c..%5c..%5csecret.txt",
      "/flags/ok/ok.txt%00.gif",
      "/flags/%00/../../secret.txt",
      std::string("/flags/ok/ok.txt\0", 17),
      "/" + secret_,
      "/flags/" + secret_,
      "/flags//" + secret_,
      secret_.substr(1),
      "http://x/../secret.txt",
      "/flags/link.txt",
      "/flags/linkdir/secret.txt",
      "/flags/linkdir/root/secret-in-root.txt",
  };
  for (const auto& target : attacks) {
    const std::string raw = raw_get(port, target);
    const int status = status_of(raw);
    EXPECT_TRUE(status == 400 || status == 404) << target << " → " << status;
    EXPECT_EQ(raw.find("TOPSECRET"), std::string::npos) << target;
  }
  EXPECT_EQ(status_of(raw_get(port, "/flags/ok/ok.txt")), 200) << "still serving";
}

INSTANTIATE_TEST_SUITE_P(CachedAndNoCache, Traversal, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "no_cache" : "cached"; });

TEST(FlagServerBookTree, ServesTheBooksFlagsZipByteExact) {
  const fs::path zip = test::book_flags_zip();
  if (zip.empty()) GTEST_SKIP() << "../shared/data/flags.zip is absent: the book's data set is not beside the project";
  const fs::path root = test::temp_dir("bookflags");
  const std::string unzip = "unzip -q -o '" + zip.string() + "' -d '" + root.string() + "'";
  ASSERT_EQ(std::system(unzip.c_str()), 0) << unzip;
  const auto server = test::start_service("flag_server", {"--port", "0", "--threads", "2", "--root", root.string()});
  std::size_t checked = 0;
  for (const auto& dir : fs::directory_iterator(root / "flags")) {
    const std::string cc = dir.path().filename().string();
    const auto gif = test::http_get(server.port(), "/flags/" + cc + "/" + cc + ".gif");
    ASSERT_EQ(gif.status, 200) << cc;
    EXPECT_EQ(gif.body, read_file(dir.path() / (cc + ".gif"))) << cc;
    const auto meta = test::http_get(server.port(), "/flags/" + cc + "/metadata.json");
    EXPECT_EQ(meta.body, read_file(dir.path() / "metadata.json")) << cc;
    ++checked;
  }
  EXPECT_EQ(checked, 194u);
}

TEST(FlagServerOptions, NoCacheSeesFilesChangeOnDisk) {
  const fs::path root = test::temp_dir("nocache");
  fs::create_directories(root / "flags" / "xx");
  std::ofstream(root / "flags" / "xx" / "xx.gif") << "first";
  const auto server = test::start_service("flag_server", {"--port", "0", "--root", root.string(), "--no-cache"});
  EXPECT_EQ(test::http_get(server.port(), "/flags/xx/xx.gif").body, "first");
  std::ofstream(root / "flags" / "xx" / "xx.gif") << "second, longer";
  EXPECT_EQ(test::http_get(server.port(), "/flags/xx/xx.gif").body, "second, longer");
  std::ofstream(root / "flags" / "xx" / "new.txt") << "new";
  EXPECT_EQ(test::http_get(server.port(), "/flags/xx/new.txt").status, 200);
}

TEST(FlagServerOptions, PrefixLimitsWhatIsServed) {
  const fs::path root = test::temp_dir("prefix");
  fs::create_directories(root / "pub");
  fs::create_directories(root / "flags");
  std::ofstream(root / "pub" / "a.txt") << "a";
  std::ofstream(root / "flags" / "b.txt") << "b";
  const auto server = test::start_service("flag_server", {"--port", "0", "--root", root.string(), "--prefix", "/pub"});
  EXPECT_EQ(test::http_get(server.port(), "/pub/a.txt").body, "a");
  EXPECT_EQ(test::http_get(server.port(), "/flags/b.txt").status, 404);
}

TEST(FlagServerOptions, AccessLogPrintsALinePerRequest) {
  auto server = test::start_service("flag_server", {"--port", "0", "--access-log"});
  ASSERT_EQ(test::http_get(server.port(), "/flags/ad/ad.gif").status, 200);
  ASSERT_EQ(test::http_get(server.port(), "/flags/zz/zz.gif").status, 404);
  const auto size = read_file(test::data_root() / "flags/ad/ad.gif").size();
  // Lines are written once each response is sent, by whichever worker thread served it, so the two
  // connections' lines may come in either order.
  std::vector<std::string> lines{server.process->read_line(std::chrono::seconds(10)),
                                 server.process->read_line(std::chrono::seconds(10))};
  std::ranges::sort(lines, {}, [](const std::string& line) { return line.find("ad.gif") == std::string::npos; });
  for (const auto& line : lines) EXPECT_EQ(line.rfind("127.0.0.1 - - [", 0), 0u) << line;
  EXPECT_NE(lines[0].find("\"GET /flags/ad/ad.gif HTTP/1.1\" 200 " + std::to_string(size)), std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("\"GET /flags/zz/zz.gif HTTP/1.1\" 404 "), std::string::npos) << lines[1];
}

TEST(FlagServerOptions, AccessLogEscapesWhatTheClientSent) {
  auto server = test::start_service("flag_server", {"--port", "0", "--access-log"});
  // Beast lets '"', '\\' and bytes over 0x7f through in a target; the sanitiser then refuses it (400).
  const std::string raw = test::raw_exchange(
      server.port(), "GET /flags/\"q\\\xe2\x80\xae.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(raw), 400);
  const std::string line = server.process->read_line(std::chrono::seconds(10));
  EXPECT_NE(line.find("\"GET /flags/\\x22q\\x5C\\xE2\\x80\\xAE.gif HTTP/1.1\" 400 "), std::string::npos) << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '"'), 2) << line;
}

// stdout is a pipe the test stops reading after "listening on": 2,000
// requests, about 150 KB of log and twice what a pipe holds, are all answered,
// and SIGTERM still ends the server.
TEST(FlagServerOptions, AnAccessLogNobodyReadsNeverStallsServing) {
  auto server = test::start_service("flag_server", {"--port", "0", "--threads", "1", "--access-log"});
  constexpr int kRequests = 2000;
  std::string requests;
  for (int i = 0; i < kRequests; ++i)
    requests += std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n") +
                (i + 1 == kRequests ? "Connection: close\r\n" : "") + "\r\n";
  const auto exchange = test::raw_exchange_until_close(server.port(), requests, std::chrono::seconds(20));
  EXPECT_TRUE(exchange.closed_by_peer);
  EXPECT_EQ(test::parse_responses(exchange.received).size(), static_cast<std::size_t>(kRequests));
  // (raw_exchange_until_close, not http_get: its timeout holds even if the server hangs)
  EXPECT_EQ(status_of(test::raw_exchange_until_close(
                          server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                          std::chrono::seconds(10))
                          .received),
            200);
  server.process->signal(SIGTERM);
  const auto exit = server.process->wait(std::chrono::seconds(30));
  EXPECT_EQ(exit.signal, 0);
  EXPECT_EQ(exit.exit_code, 0);
}

TEST(FlagServerLifecycle, SigtermAndSigintExitZero) {
  for (const int signo : {SIGTERM, SIGINT}) {
    auto server = test::start_service("flag_server", {"--port", "0"});
    ASSERT_EQ(test::http_get(server.port(), "/healthz").status, 200);
    server.process->signal(signo);
    const auto exit = server.process->wait(std::chrono::seconds(20));
    EXPECT_EQ(exit.signal, 0) << signo;
    EXPECT_EQ(exit.exit_code, 0) << signo;
  }
}

test::CommandResult run_flag_server(const std::vector<std::string>& args) {
  return test::run_command(test::binary("flag_server").string(), args);
}

TEST(FlagServerCli, HelpAndVersion) {
  const test::CommandResult help = run_flag_server({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--idle-timeout"), std::string::npos);
  const test::CommandResult version = run_flag_server({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("flag_server ", 0), 0u);
}

TEST(FlagServerCli, UsageErrorsExit2WithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--bogus"}, {"--port", "70000"}, {"--threads", "0"}, {"--idle-timeout", "soon"}}) {
    const test::CommandResult r = run_flag_server(args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("flag_server: error: ", 0), 0u) << r.err;
  }
}

TEST(FlagServerCli, RuntimeFailuresExit1) {
  const test::CommandResult no_root = run_flag_server({"--port", "0", "--root", "/nonexistent/platespin"});
  EXPECT_EQ(no_root.exit_code, 1);
  EXPECT_NE(no_root.err.find("/nonexistent/platespin"), std::string::npos) << no_root.err;

  auto first = test::start_service("flag_server", {"--port", "0"});
  const test::CommandResult taken = run_flag_server({"--port", std::to_string(first.port())});
  EXPECT_EQ(taken.exit_code, 1);
  EXPECT_NE(taken.err.find("cannot listen"), std::string::npos) << taken.err;
}

}  // namespace
