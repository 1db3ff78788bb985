// chaos_proxy against clients and backends that do not play by the rules:
// framing that two readers could read two ways (request smuggling), bytes a
// backend slips after its answer, interim floods, stale connections, and a
// control API fed bad input. Real binaries, a scripted raw backend.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "http.hpp"
#include "load.hpp"
#include "raw_backend.hpp"
#include "run_command.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;
using namespace std::chrono_literals;
using Reply = RawBackend::Reply;

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// chaos_proxy (HTTP, one event loop, so every request shares one backend pool) and its API: ports (proxy, api).
Service start_proxy_to(const std::string& backend, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--protocol", "http", "--backend", backend, "--proxy", "127.0.0.1:0",
                                "--api",      "127.0.0.1:0", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_service("chaos_proxy", args, 2);
}

RawBackend answering(const std::string& body) {
  return RawBackend([body](const std::string&, std::size_t, std::size_t) { return Reply{RawBackend::ok(body)}; });
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

std::size_t count_of(const std::vector<RawBackend::Request>& requests, const std::string& start_line) {
  return static_cast<std::size_t>(std::count_if(requests.begin(), requests.end(),
                                                [&](const auto& r) { return starts_with(r.bytes, start_line); }));
}

std::string chunked(const std::string& data) { return fmt::format("{:x}\r\n{}\r\n0\r\n\r\n", data.size(), data); }

const std::string kHiddenRequest = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string kHiddenResponse = "HTTP/1.1 200 OK\r\nX-Smuggled: yes\r\nContent-Length: 0\r\n\r\n";

HttpReply api_send(const Service& proxy, const std::string& method, const std::string& path, const std::string& body) {
  const auto replies = parse_responses(raw_exchange(
      proxy.port(1), method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  return replies.empty() ? HttpReply{} : replies.front();
}

nlohmann::json by_status(const Service& proxy) {
  return nlohmann::json::parse(http_get(proxy.port(1), "/proxies/proxy").body)["counters"]["by_status"];
}

}  // namespace

TEST(ProxyFraming, TransferEncodingSplitOverTwoLinesIsRefusedNotSmuggled) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  const auto got = raw_exchange(proxy.port(),
                                "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                    chunked(kHiddenRequest) + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto replies = parse_responses(got);
  ASSERT_EQ(replies.size(), 1u) << got;
  EXPECT_EQ(replies[0].status, 501);  // a coding under chunked, as nginx answers
  for (const auto& r : backend.requests()) EXPECT_EQ(r.bytes.find("smuggled"), std::string::npos) << r.bytes;
}

TEST(ProxyFraming, AFinalCodingOtherThanChunkedOrTeWithLengthIs400AndCloses) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  for (const std::string framing : {"Transfer-Encoding: chunked, gzip\r\n", "Transfer-Encoding: gzip\r\n",
                                    "Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: identity\r\n",
                                    "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n"}) {
    const auto got = raw_exchange(proxy.port(), "POST /a HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" +
                                                    chunked(kHiddenRequest) + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto replies = parse_responses(got);
    ASSERT_EQ(replies.size(), 1u) << framing << got;
    EXPECT_EQ(replies[0].status, 400) << framing;
  }
  EXPECT_EQ(backend.requests().size(), 0u);
}

TEST(ProxyFraming, TransferEncodingInHttp10Is400) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  const auto got = raw_exchange(proxy.port(), "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("hi"));
  EXPECT_TRUE(starts_with(got, "HTTP/1.1 400")) << got;
  EXPECT_EQ(backend.requests().size(), 0u);
}

TEST(ProxyFraming, MalformedChunksFromTheClientAre400) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  const auto got = raw_exchange(proxy.port(), "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                              "zz\r\nhello\r\n0\r\n\r\n");
  EXPECT_TRUE(starts_with(got, "HTTP/1.1 400")) << got;
}

TEST(ProxyFraming, ChunkedTrailersReachTheBackend) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  const auto got = raw_exchange(proxy.port(), "POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                              "Connection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n");
  EXPECT_TRUE(starts_with(got, "HTTP/1.1 200")) << got;
  const auto requests = backend.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0].bytes.find("\r\n0\r\nX-Checksum: abc\r\n\r\n"), std::string::npos) << requests[0].bytes;
}

TEST(ProxyFraming, AResponseSplittingItsTransferEncodingCannotSlipAResponseIn) {
  RawBackend backend([](const std::string& request, std::size_t, std::size_t) {
    if (starts_with(request, "GET /first"))
      return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   chunked(kHiddenResponse)};
    return Reply{RawBackend::ok("second")};
  });
  auto proxy = start_proxy_to(backend.address());
  const auto got = raw_exchange(proxy.port(), "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
                                              "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto replies = parse_responses(got);
  ASSERT_EQ(replies.size(), 2u) << got;
  EXPECT_EQ(replies[0].header("transfer-encoding"), "gzip, chunked");
  EXPECT_EQ(replies[0].body, kHiddenResponse);  // the content, still gzip-coded as far as the client knows
  EXPECT_EQ(replies[1].body, "second");
  for (const auto& reply : replies) EXPECT_EQ(reply.header("x-smuggled"), "");
}

TEST(ProxyFraming, AmbiguousResponseFramingIs502) {
  for (const std::string framing : {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                    "Content-Length: 5\r\nContent-Length: 6\r\n", "Transfer-Encoding: chunked, gzip\r\n"}) {
    RawBackend backend([&](const std::string&, std::size_t, std::size_t) {
      return Reply{"HTTP/1.1 200 OK\r\n" + framing + "\r\n" + chunked(kHiddenResponse)};
    });
    auto proxy = start_proxy_to(backend.address());
    EXPECT_EQ(http_get(proxy.port(), "/x").status, 502) << framing;
  }
}

// Bytes left on a backend connection after a complete response must not be
// the next client's answer.
TEST(ProxyPool, BytesAfterACompleteResponseNeverReachTheNextRequest) {
  for (const auto& [first, leftover] : std::vector<std::pair<std::string, std::string>>{
           {"GET /first", "HTTP/1.1 204 No Content\r\n\r\n" + RawBackend::ok("poisoned")},
           {"GET /first", "HTTP/1.1 304 Not Modified\r\n\r\n" + RawBackend::ok("poisoned")},
           {"HEAD /first", RawBackend::ok("poisoned")},
           {"GET /first", RawBackend::ok("first") + RawBackend::ok("poisoned")}}) {
    RawBackend backend([&](const std::string& request, std::size_t, std::size_t) {
      return Reply{starts_with(request, first) ? leftover : RawBackend::ok("fresh")};
    });
    auto proxy = start_proxy_to(backend.address());
    const auto method = first.substr(0, first.find(' '));
    EXPECT_LT(http_request(proxy.port(), method, "/first").status, 400) << leftover;
    const auto second = http_get(proxy.port(), "/second");
    EXPECT_EQ(second.status, 200) << leftover;
    EXPECT_EQ(second.body, "fresh") << leftover;
  }
}

TEST(ProxyInterim, EarlyHintsGoOnToTheClientAFloodIs502) {
  const std::string hint = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
  const auto occurrences = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  for (const auto& [hints, final_status] : std::vector<std::pair<int, std::string>>{{2, "200"}, {50, "502"}}) {
    RawBackend backend([&](const std::string&, std::size_t, std::size_t) {
      std::string out;
      for (int i = 0; i < hints; ++i) out += hint;
      return Reply{out + RawBackend::ok("final")};
    });
    auto proxy = start_proxy_to(backend.address());
    const auto got = raw_exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(occurrences(got, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"),
              std::min<std::size_t>(static_cast<std::size_t>(hints), 16)) << hints;
    EXPECT_EQ(occurrences(got, "HTTP/1.1 " + final_status), 1U) << got;
    // An HTTP/1.0 client cannot take an interim response: it gets the final one alone.
    const auto old = raw_exchange(proxy.port(), "GET /x HTTP/1.0\r\n\r\n");
    EXPECT_EQ(occurrences(old, "103 Early Hints"), 0U) << old;
  }
}

TEST(ProxyInterim, StatusesOutOfRangeAnd101Are502) {
  for (const std::string status_line : {"HTTP/1.1 099 Odd\r\n", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"}) {
    RawBackend backend([&](const std::string&, std::size_t, std::size_t) {
      return Reply{status_line + "Content-Length: 2\r\n\r\nhi"};
    });
    auto proxy = start_proxy_to(backend.address());
    const auto got = raw_exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(starts_with(got, "HTTP/1.1 502")) << got;
  }
}

TEST(ProxyRetry, APostIsNeverSentTwiceAGetIsRetriedOnAFreshConnection) {
  // Each connection answers its first request and silently closes on the second,
  // as a backend does that closed an idle keep-alive connection as our request went out.
  RawBackend backend([](const std::string&, std::size_t index, std::size_t) {
    return index == 0 ? Reply{RawBackend::ok("answered")} : Reply{"", true};
  });
  auto proxy = start_proxy_to(backend.address());
  EXPECT_EQ(http_get(proxy.port(), "/warm").status, 200);  // one pooled connection now
  EXPECT_EQ(http_request(proxy.port(), "POST", "/order").status, 502);
  EXPECT_EQ(count_of(backend.requests(), "POST /order"), 1u);
  EXPECT_EQ(http_get(proxy.port(), "/warm-again").status, 200);
  EXPECT_EQ(http_get(proxy.port(), "/get").status, 200);  // the stale connection, then a fresh one
  EXPECT_EQ(count_of(backend.requests(), "GET /get"), 2u);
}

TEST(ProxyBackendFailure, NothingRelayedYetIs502Or504AndCountedSo) {
  RawBackend closes([](const std::string&, std::size_t, std::size_t) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true};
  });
  auto proxy = start_proxy_to(closes.address());
  EXPECT_TRUE(starts_with(raw_exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 502"));
  EXPECT_EQ(by_status(proxy), nlohmann::json({{"502", 1}}));

  RawBackend stalls([](const std::string&, std::size_t, std::size_t) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"};
  });
  auto slow = start_proxy_to(stalls.address(), {"--timeout", "0.3"});
  EXPECT_TRUE(starts_with(raw_exchange(slow.port(), "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 504"));
  EXPECT_EQ(by_status(slow), nlohmann::json({{"504", 1}}));
}

TEST(ProxyClients, AClientThatHalfClosesDuringADelayStillGetsItsAnswer) {
  auto server = start_flag_server();
  auto proxy = start_proxy_to("127.0.0.1:" + std::to_string(server.port()),
                              {"--behavior", "100:delay", "--behavior-delay-sleep", "0.2"});
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy.port()));
  asio::write(socket, asio::buffer("GET " + flag_path("BR") + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  socket.shutdown(tcp::socket::shutdown_send);  // as `nc -N` does: all sent, still listening
  std::string got;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(got), ec);  // until the proxy closes
  EXPECT_TRUE(starts_with(got, "HTTP/1.1 200")) << got.substr(0, 100);
}

TEST(ProxyClients, TcpListenersCloseIdleConnections) {
  auto server = start_flag_server();
  auto proxy = start_service("chaos_proxy", {"--protocol", "tcp", "--backend", "127.0.0.1:" + std::to_string(server.port()),
                                             "--proxy", "127.0.0.1:0", "--idle-timeout", "0.3"});
  const auto ending = exchange_until_end(proxy.port(), "", 10s);
  EXPECT_EQ(ending.how, "eof");
}

TEST(ProxyApi, BadValuesAndBadBodiesGetAnAnswer) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"bandwidth": -1})").status, 400);
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"truncate_bytes": 2.5})").status, 400);
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"error_codes": [500.5]})").status, 400);
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"behavior": "50:delay,"})").status, 400);
  const auto not_utf8 = api_send(proxy, "PUT", "/proxies/proxy", "{\"behavior\": \"\xff\xfe\"}");
  EXPECT_EQ(not_utf8.status, 400);
  // Over the 1 MiB limit; the proxy answers at once and drains the rest (a lingering close).
  const std::string big(1536 * 1024, ' ');
  const auto too_big = exchange_until_end(proxy.port(1), "PUT /proxies/proxy HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                                             std::to_string(big.size()) + "\r\n\r\n" + big, 20s);
  EXPECT_TRUE(starts_with(too_big.received, "HTTP/1.1 413")) << too_big.received.substr(0, 100);
  const auto listener = nlohmann::json::parse(http_get(proxy.port(1), "/proxies/proxy").body);
  EXPECT_EQ(listener["bandwidth"], 10240);  // all or nothing: none of the bad changes stuck
  EXPECT_EQ(listener["behavior"], "");
}

TEST(ProxyApi, ReenablingOnATakenPortIs500AndCanBeRetried) {
  auto backend = answering("seen");
  auto proxy = start_proxy_to(backend.address());
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"enabled": false})").status, 200);
  {
    asio::io_context io;
    tcp::acceptor squatter(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), proxy.port()));
    const auto refused = api_send(proxy, "PUT", "/proxies/proxy", R"({"enabled": true})");
    EXPECT_EQ(refused.status, 500);
    EXPECT_NE(refused.body.find("in use"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(api_send(proxy, "PUT", "/proxies/proxy", R"({"enabled": true})").status, 200);
  EXPECT_EQ(http_get(proxy.port(), "/x").body, "seen");
}

TEST(ProxyApi, ListenerNamesAreCheckedAtStart) {
  const auto run = run_command(binary("chaos_proxy").string(),
                               {"--backend", "127.0.0.1:1", "--proxy", "127.0.0.1:0", "--name", "bad\"name\xff"}, {}, 10s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("listener name"), std::string::npos);
}
