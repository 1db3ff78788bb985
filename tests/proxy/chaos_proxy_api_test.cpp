// The control API changing the set of listeners while traffic flows, on the
// real chaos_proxy in front of the real flag_server: proxies created and
// deleted under load on another listener, live connections closed by DELETE
// and by enabled: false, an upstream that resolves only at connect time.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <nlohmann/json.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "control_api.hpp"
#include "http.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {


std::uint16_t port_of(const json& proxy) {
  const std::string listen = proxy.at("listen").get<std::string>();
  return static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

bool refused(std::uint16_t port) {
  try {
    http_get(port, "/flags/ad/ad.gif");
  } catch (const std::exception&) {
    return true;
  }
  return false;
}

std::string flag_request() { return "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n\r\n"; }

}  // namespace

TEST(ChaosProxyApi, ProxiesComeAndGoWhileAnotherListenerServesWithoutLosingARequest) {
  const Service server = start_flag_server();
  const std::string upstream = "127.0.0.1:" + std::to_string(server.port());
  const Service proxy =
      start_service("chaos_proxy", {"--backend", upstream, "--proxy", "127.0.0.1:0", "--api", "127.0.0.1:0"}, 2);
  const ControlApi api{proxy.port(1)};
  std::atomic<bool> done = false;
  std::atomic<int> served = 0, lost = 0;
  std::thread load([&] {
    for (int i = 0; i < 5000 && !done; ++i) try {
        (http_get(proxy.port(0), "/flags/ad/ad.gif").status == 200 ? served : lost)++;
      } catch (const std::exception&) {
        ++lost;
      }
  });
  for (int i = 0; i < 100; ++i) {  // enough churn to catch a listener freed under its pools (it crashed)
    const std::string name = fmt::format("p{}", i % 10);  // ("p" + std::to_string: a false -Wrestrict of g++ 12 -O3)
    const auto created = api.call("POST", "/proxies",
                                  json{{"name", name}, {"listen", "127.0.0.1:0"}, {"upstream", upstream},
                                       {"protocol", i % 2 ? "http" : "tcp"}}
                                      .dump());
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) break;  // (not ASSERT: the load thread must be joined)
    const std::uint16_t port = port_of(json::parse(created.body));
    EXPECT_EQ(http_get(port, "/flags/ad/ad.gif").status, 200);
    EXPECT_EQ(api.call("DELETE", "/proxies/" + name).status, 204);
    EXPECT_TRUE(refused(port)) << name;
  }
  done = true;
  load.join();
  EXPECT_GT(served, 0);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(api.get("/proxies").size(), 1u);
}

TEST(ChaosProxyApi, DeleteAndDisableCloseLiveConnections) {
  const Service server = start_flag_server();
  const std::string upstream = "127.0.0.1:" + std::to_string(server.port());
  const Service proxy = start_service("chaos_proxy", {"-port=0"});
  const ControlApi api{proxy.port()};
  for (const std::string how : {"disable", "delete"}) {
    const auto created = api.call("POST", "/proxies",
                                  json{{"name", "held"}, {"listen", "127.0.0.1:0"}, {"upstream", upstream},
                                       {"protocol", "http"}, {"behavior", "100:hang"}}
                                      .dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::uint16_t port = port_of(json::parse(created.body));
    auto held = std::async(std::launch::async, [&] { return raw_exchange_until_close(port, flag_request(), 20s); });
    ASSERT_TRUE(api.eventually("held", [](const json& c) { return c["waiting"] == 1; }));
    if (how == "disable") {
      EXPECT_EQ(api.call("POST", "/proxies/held", R"({"enabled": false})").status, 200);
    } else {
      EXPECT_EQ(api.call("DELETE", "/proxies/held").status, 204);
    }
    const RawExchange ended = held.get();
    EXPECT_TRUE(ended.closed_by_peer) << how << ": the hang outlived the proxy";
    EXPECT_EQ(ended.received, "") << how;
    EXPECT_TRUE(refused(port)) << how;
    if (how == "disable") {
      EXPECT_EQ(api.call("POST", "/proxies/held", R"({"enabled": true, "behavior": ""})").status, 200);
      EXPECT_EQ(http_get(port, "/flags/ad/ad.gif").status, 200);  // the same port again
      EXPECT_EQ(api.call("DELETE", "/proxies/held").status, 204);
    }
  }
}

TEST(ChaosProxyApi, AnUpstreamIsResolvedWhenAClientConnects) {
  const Service proxy = start_service("chaos_proxy", {"-port=0"});
  const ControlApi api{proxy.port()};
  for (const std::string protocol : {"tcp", "http"}) {
    const auto created = api.call("POST", "/proxies",
                                  json{{"name", protocol}, {"listen", "127.0.0.1:0"},
                                       {"upstream", "no-such-host.invalid:80"}, {"protocol", protocol}}
                                      .dump());
    ASSERT_EQ(created.status, 201) << created.body;  // accepted: nothing is resolved yet
    const RawExchange r = raw_exchange_until_close(
        port_of(json::parse(created.body)), "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 20s);
    EXPECT_TRUE(r.closed_by_peer) << protocol;
    const std::string expected = protocol == "http" ? "HTTP/1.1 502" : "";
    EXPECT_EQ(r.received.substr(0, expected.size()), expected) << r.received;

    EXPECT_TRUE(api.eventually(protocol, [](const json& c) { return c["backend_errors"] == 1; })) << protocol;
  }
}

TEST(ChaosProxyApi, TheApiRefusesBrowsersAndWantsItsToken) {
  const Service proxy = start_service("chaos_proxy", {"-port=0", "--api-token", "s3cret"});
  const auto ask = [&](const std::string& headers) {
    const auto replies = parse_responses(
        raw_exchange(proxy.port(), "GET /proxies HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n"));
    return replies.empty() ? 0 : replies.front().status;
  };
  EXPECT_EQ(ask(""), 401);
  EXPECT_EQ(ask("Authorization: Bearer s3cret\r\n"), 200);
  EXPECT_EQ(ask("Authorization: Bearer s3cret\r\nUser-Agent: Mozilla/5.0\r\n"), 403);
  EXPECT_EQ(http_get(proxy.port(), "/healthz").status, 200);
}

// Toxics added and removed act on a live TCP connection from its next chunk
// (as Toxiproxy's do), not only on connections opened afterwards.
TEST(ChaosProxyApi, ToxicChangesReachALiveTcpConnection) {
  namespace asio = boost::asio;
  const Service server = start_flag_server();
  const Service proxy = start_service("chaos_proxy", {"-port=0"});
  const ControlApi api{proxy.port()};
  const auto created = api.call("POST", "/proxies",
                                json{{"name", "live"}, {"listen", "127.0.0.1:0"},
                                     {"upstream", "127.0.0.1:" + std::to_string(server.port())}}
                                    .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_of(json::parse(created.body))});
  // One keep-alive request and its whole answer (a HEAD: the header is all of it); seconds it took.
  const auto ask = [&] {
    const auto start = std::chrono::steady_clock::now();
    asio::write(socket, asio::buffer(std::string("HEAD /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n\r\n")));
    std::string head;
    asio::read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n");
    EXPECT_EQ(head.substr(0, 12), "HTTP/1.1 200") << head;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  EXPECT_LT(ask(), 0.3);
  ASSERT_EQ(api.call("POST", "/proxies/live/toxics", R"({"type": "latency", "attributes": {"latency": 300}})").status, 200);
  EXPECT_GE(ask(), 0.3);  // the same connection, its next chunk
  ASSERT_EQ(api.call("DELETE", "/proxies/live/toxics/latency_downstream").status, 204);
  EXPECT_LT(ask(), 0.3);
}
