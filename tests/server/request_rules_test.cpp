// What flag_server answers to the requests beyond a plain GET, against the
// real binary: preconditions (412), methods and bodies (405, a small body
// discarded, 413), HEAD without a body, request-head limits (414, 431) however
// the head is split, Host rules, versions, empty lines, a trailing slash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http.hpp"
#include "services.hpp"

using namespace platespin;
using platespin::test::read_file;

namespace {

class FlagServerRequests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new test::Service(test::start_flag_server({"--threads", "2"})); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }
  // Every reply to `bytes`, sent at once, until the server closes or 10 s pass.
  static std::vector<test::HttpReply> replies_to(const std::string& bytes) {
    return test::parse_responses(test::raw_exchange_until_close(port(), bytes, std::chrono::seconds(10)).received);
  }
  static int status_of(const std::string& bytes) {
    const auto replies = replies_to(bytes);
    return replies.empty() ? 0 : replies.front().status;
  }
  static test::Service* server_;
};
test::Service* FlagServerRequests::server_ = nullptr;

const std::string kClose = "Host: x\r\nConnection: close\r\n\r\n";
const std::string kHealthz = "GET /healthz HTTP/1.1\r\n" + kClose;

bool has_no_body(const std::string& raw) { return !raw.empty() && raw.size() == raw.find("\r\n\r\n") + 4; }

// RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since, before If-None-Match, else If-Modified-Since.
TEST_F(FlagServerRequests, FailedPreconditionsAre412InTheRfcsOrder) {
  const auto first = test::http_get(port(), "/flags/jp/jp.gif");
  const std::string etag = first.header("etag"), modified = first.header("last-modified");
  ASSERT_FALSE(etag.empty());
  const auto status = [&](const std::map<std::string, std::string>& headers) {
    return test::http_get(port(), "/flags/jp/jp.gif", headers).status;
  };
  const std::string epoch = "Thu, 01 Jan 1970 00:00:00 GMT";
  EXPECT_EQ(status({{"If-Match", etag}}), 200);
  EXPECT_EQ(status({{"If-Match", "*"}}), 200);
  EXPECT_EQ(status({{"If-Match", "\"other\""}}), 412);
  EXPECT_EQ(status({{"If-Match", "W/" + etag}}), 412) << "strong comparison";
  EXPECT_EQ(status({{"If-Unmodified-Since", modified}}), 200);
  EXPECT_EQ(status({{"If-Unmodified-Since", epoch}}), 412);
  EXPECT_EQ(status({{"If-Unmodified-Since", "garbage"}}), 200);
  EXPECT_EQ(status({{"If-Match", etag}, {"If-Unmodified-Since", epoch}}), 200) << "If-Match decides alone";
  EXPECT_EQ(status({{"If-Match", "\"other\""}, {"If-None-Match", etag}}), 412) << "412 before 304";
  EXPECT_EQ(status({{"If-Match", etag}, {"If-None-Match", etag}}), 304);
  EXPECT_EQ(test::http_get(port(), "/flags/zz/zz.gif", {{"If-Match", "*"}}).status, 404);
  const std::string head = test::raw_exchange(
      port(), "HEAD /flags/jp/jp.gif HTTP/1.1\r\nIf-Match: \"other\"\r\n" + kClose);
  EXPECT_EQ(head.rfind("HTTP/1.1 412 ", 0), 0u) << head;
  EXPECT_TRUE(has_no_body(head)) << head;
}

TEST_F(FlagServerRequests, OtherMethodsAre405WithAllowWhateverTheirBody) {
  for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    for (const std::string& body : std::vector<std::string>{
             "Content-Length: 11\r\n\r\nhello world", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
             "Content-Length: 2000000\r\n\r\n" + std::string(1000, 'x')}) {
      const auto replies = replies_to(method + " /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + body);
      ASSERT_FALSE(replies.empty()) << method << " " << body.substr(0, 30);
      EXPECT_EQ(replies[0].status, 405) << method << " " << body.substr(0, 30);
      EXPECT_EQ(replies[0].header("allow"), "GET, HEAD") << method;
    }
  }
}

TEST_F(FlagServerRequests, ASmallBodyIsReadAndDiscardedAndTheConnectionGoesOn) {
  const std::string ad = read_file(test::data_root() / "flags/ad/ad.gif");
  const std::string json = "{\"q\": \"" + std::string(3000, 'a') + "\"}";
  const auto by_length = replies_to("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                    std::to_string(json.size()) + "\r\n\r\n" + json + kHealthz);
  ASSERT_EQ(by_length.size(), 2u);
  EXPECT_EQ(by_length[0].status, 200);
  EXPECT_EQ(by_length[0].body, ad);
  EXPECT_EQ(by_length[1].body, "ok\n");
  const auto post = replies_to("POST /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + kHealthz);
  ASSERT_EQ(post.size(), 2u);
  EXPECT_EQ(post[0].status, 405);
  EXPECT_EQ(post[1].body, "ok\n");
}

// Not read: over 64 KiB (413), or chunked, whose length is unknown until read (411).
TEST_F(FlagServerRequests, ALargeOrChunkedBodyIsRefusedAndCloses) {
  for (const auto& [body, status] : std::vector<std::pair<std::string, int>>{
           {"Content-Length: 65537\r\n\r\n" + std::string(1000, 'x'), 413},
           {"Content-Length: 2000000\r\n\r\n" + std::string(1000, 'x'), 413},
           {"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411}}) {
    const auto exchange = test::raw_exchange_until_close(
        port(), "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n" + body + kHealthz, std::chrono::seconds(10));
    const auto replies = test::parse_responses(exchange.received);
    ASSERT_EQ(replies.size(), 1u) << body.substr(0, 30);
    EXPECT_EQ(replies[0].status, status);
    EXPECT_TRUE(exchange.closed_by_peer);
  }
}

TEST_F(FlagServerRequests, AResponseToHeadNeverHasABody) {
  for (const std::string& request : std::vector<std::string>{
           "HEAD /flags/ad/ad.gif HTTP/1.1\r\nNo colon here\r\n" + kClose,
           "HEAD /flags/ad/ad.gif HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n" + kClose,
           "HEAD /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + kClose,
           "HEAD /flags/ad/ad.gif HTTP/2.0\r\n" + kClose,
           "HEAD /flags/ad/ad.gif HTTP/1.1\r\nContent-Length: 2000000\r\n" + kClose,
           "HEAD /flags/zz/zz.gif HTTP/1.1\r\n" + kClose,
           "HEAD /healthz HTTP/1.1\r\n" + kClose,
       }) {
    const std::string raw = test::raw_exchange(port(), request);
    EXPECT_TRUE(has_no_body(raw)) << request.substr(0, 40) << " -> " << raw;
  }
}

// nginx's limits: 8 KiB a line, 32 KiB the head; 414 for the request line.
TEST_F(FlagServerRequests, HeadLimits) {
  const std::string line(8 * 1024 - 3, 'a');  // "X: " + line is 8 KiB exactly
  std::string fields;
  for (int i = 0; i < 3; ++i) fields += "X" + std::to_string(i) + ": " + line.substr(1) + "\r\n";
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\n" + fields + kClose), 200) << "24 KiB of fields fit";
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nX: " + line + "a\r\n" + kClose), 431) << "one line over 8 KiB";
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\n" + fields + fields + kClose), 431) << "a head over 32 KiB";
  EXPECT_EQ(status_of("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + kClose), 414);
  EXPECT_EQ(status_of("GET /" + std::string(100000, 'a') + " HTTP/1.1\r\n" + kClose), 414);
}

// The same head gets the same answer whether it comes in one write or in
// pieces (Beast's own limit counted what happened to be buffered).
TEST_F(FlagServerRequests, TheAnswerDoesNotDependOnHowTheHeadIsSplit) {
  // 8,499 bytes, a 400-byte request line: Beast's 8 KiB limit let it through
  // in one write and refused it split (the limit then counted from the start).
  const std::string request_line = "GET /flags/ad/ad.gif?" + std::string(370, 'q') + " HTTP/1.1\r\n";
  const std::string fields_start = "Host: x\r\nX-A: ", fields_end = "\r\nConnection: close\r\n\r\n";
  const std::string near_old_limit =
      request_line + fields_start +
      std::string(8499 - request_line.size() - fields_start.size() - fields_end.size(), 'a') + fields_end;
  ASSERT_EQ(near_old_limit.size(), 8499u);
  const std::string fits = "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(8000, 'a') +
                           "\r\nX-B: " + std::string(8000, 'b') + "\r\nConnection: close\r\n\r\n";
  const std::string over = "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(8200, 'a') +
                           "\r\nConnection: close\r\n\r\n";
  for (const auto& [request, status] :
       std::vector<std::pair<std::string, int>>{{near_old_limit, 200}, {fits, 200}, {over, 431}}) {
    for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{20}, std::size_t{4096}, std::size_t{8192}}) {
      const auto replies = test::parse_responses(test::raw_exchange_in_pieces(port(), request, piece).received);
      ASSERT_EQ(replies.size(), 1u) << request.size() << " bytes in pieces of " << piece;
      EXPECT_EQ(replies[0].status, status) << request.size() << " bytes in pieces of " << piece;
    }
  }
}

// RFC 9112 §3.2.
TEST_F(FlagServerRequests, HostIsRequiredOnceAndValid) {
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: a\r\n" + kClose), 400);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nConnection: close\r\n\r\n"), 200);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/1.0\r\n\r\n"), 200) << "HTTP/1.0 needs no Host";
}

TEST_F(FlagServerRequests, AnEmptyLineBeforeTheRequestLineIsIgnored) {
  const auto replies = replies_to("\r\nGET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n\r\n\r\n" + kHealthz);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].status, 200);
  EXPECT_EQ(replies[1].body, "ok\n");
}

TEST_F(FlagServerRequests, Http12IsServedAs11AndHttp2Is505) {
  const std::string raw = test::raw_exchange(port(), "GET /flags/ad/ad.gif HTTP/1.2\r\n" + kClose);
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << raw.substr(0, 100);
  EXPECT_EQ(status_of("GET /flags/ad/ad.gif HTTP/2.0\r\n" + kClose), 505);
  EXPECT_EQ(status_of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505) << "HTTP/2's connection preface";
}

TEST_F(FlagServerRequests, AFileWithATrailingSlashIs404) {
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif/").status, 404);
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif/?x=1").status, 404);
  EXPECT_EQ(test::http_get(port(), "/flags/ad/ad.gif?x=/").status, 200);
}

}  // namespace
