// chaos_proxy as a client sees it: the real binary in front of the real
// flag_server, both on port 0.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "country_codes.hpp"
#include "control_api.hpp"
#include "http.hpp"
#include "load.hpp"
#include "listening_line.hpp"
#include "process_setup.hpp"
#include "raw_backend.hpp"
#include "run_command.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;
using namespace std::chrono_literals;

namespace {

const Service& backend() {
  static const Service server = start_service("flag_server", {"--port", "0"});
  return server;
}

std::string backend_address() { return "127.0.0.1:" + std::to_string(backend().port()); }

// chaos_proxy with the Vaurien command line plus `extra`, and its API: ports (proxy, api).
Service start_proxy(std::vector<std::string> extra) {
  std::vector<std::string> args{"--protocol", "http", "--backend", backend_address(), "--proxy", "127.0.0.1:0",
                                "--api",      "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_service("chaos_proxy", args, 2);
}

// The API of a proxy started with an API port (its second listening socket).
ControlApi api_of(const Service& proxy) { return ControlApi{proxy.port(1)}; }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

CommandResult run_proxy_cli(const std::vector<std::string>& args) {
  return run_command(binary("chaos_proxy").string(), args, {}, 10s);
}

}  // namespace

TEST(ChaosProxy, BookDelayCommandLineDelaysEveryResponse) {
  auto proxy = start_service("chaos_proxy", {"--protocol", "http", "--backend", backend_address(), "--proxy",
                                             "localhost:0", "--behavior", "100:delay", "--behavior-delay-sleep", ".5"});
  const auto start = std::chrono::steady_clock::now();
  const auto reply = http_get(proxy.port(), flag_path("BR"));
  const double took = seconds_since(start);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, read_file(data_root() / "flags" / "br" / "br.gif"));
  EXPECT_GE(took, 0.5);
  EXPECT_LT(took, 5.0);
  EXPECT_EQ(http_get(proxy.port(), "/flags/zz/zz.gif").status, 404);  // statuses pass through
}

TEST(ChaosProxy, BookErrorCommandLineMixesErrorsAndDelaysNearTheWeights) {
  // The book's ERROR line, with a short delay so thousands of requests are quick.
  auto proxy = start_proxy({"--behavior", "25:error,50:delay", "--behavior-delay-sleep", ".01", "--seed", "7"});
  std::vector<std::string> targets;
  for (int round = 0; round < 3; ++round)
    for (const auto& cc : every_two_letter_code()) targets.push_back(flag_path(cc));
  const auto fetched = fetch_all(proxy.port(), targets, 100);
  std::map<int, int> seen;
  for (const auto& f : fetched) ++seen[f.status];
  const int n = static_cast<int>(fetched.size());
  const int errors = seen[500] + seen[501] + seen[502] + seen[503];
  EXPECT_EQ(seen[0], 0);
  EXPECT_NEAR(errors, n / 4, n / 25);
  EXPECT_EQ(errors + seen[200] + seen[404], n);
  for (int code : {500, 501, 502, 503}) EXPECT_GT(seen[code], 0) << code;

  // The metrics count what the client saw.
  const auto counters = api_of(proxy).get("/proxies/proxy")["counters"];
  EXPECT_EQ(counters["requests"], n);
  EXPECT_EQ(counters["by_behavior"]["error"], errors);
  EXPECT_NEAR(counters["by_behavior"]["delay"].get<int>(), n / 2, n / 25);
  EXPECT_EQ(counters["by_status"]["200"], seen[200]);
  EXPECT_EQ(counters["by_status"]["503"], seen[503]);
  const auto metrics = http_get(proxy.port(1), "/metrics").body;
  EXPECT_NE(metrics.find("chaos_proxy_requests_total{listener=\"proxy\",behavior=\"error\",status=\"500\"} " +
                         std::to_string(seen[500]) + "\n"),
            std::string::npos)
      << metrics;
}

TEST(ChaosProxy, SeededFatesAreTheSameAtAnyConcurrency) {
  const auto outcomes = [&](std::size_t concurrency) {
    auto proxy = start_proxy({"--behavior", "25:error,50:delay", "--behavior-delay-sleep", ".005", "--seed", "42"});
    std::vector<std::string> targets;
    for (const auto& cc : every_two_letter_code()) targets.push_back(flag_path(cc));
    std::map<std::string, int> by_url;
    for (const auto& f : fetch_all(proxy.port(), targets, concurrency)) by_url[f.target] = f.status;
    return by_url;
  };
  const auto one = outcomes(1);
  const auto many = outcomes(200);
  EXPECT_EQ(one, many);
  int errors = 0;
  for (const auto& [url, status] : one) errors += status >= 500;
  EXPECT_GT(errors, 100);  // the seed does inject faults (about 169 of 676)
  EXPECT_LT(errors, 250);
}

TEST(ChaosProxy, ErrorAnswersAConfiguredCodeWithHtml) {
  auto proxy = start_proxy({"--behavior", "100:error", "--behavior-error-codes", "503"});
  const auto reply = http_get(proxy.port(), flag_path("BR"));
  EXPECT_EQ(reply.status, 503);
  EXPECT_NE(reply.body.find("<h1>503 Service Unavailable</h1>"), std::string::npos);
  // Keep-alive is kept: two pipelined requests, two answers.
  const auto raw = raw_exchange(proxy.port(), "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(parse_responses(raw).size(), 2u);
}

TEST(ChaosProxy, DelayAfterTheBackendAndJitter) {
  // A backend that notes when the request reached it: at once, not after the delay.
  std::mutex mutex;
  std::optional<std::chrono::steady_clock::time_point> arrived;
  RawBackend raw([&](const std::string&, std::size_t, std::size_t) {
    const std::lock_guard lock(mutex);
    arrived = std::chrono::steady_clock::now();
    return RawBackend::Reply{RawBackend::ok("ok")};
  });
  auto proxy = start_service("chaos_proxy", {"--protocol", "http", "--backend", raw.address(), "--proxy",
                                             "127.0.0.1:0", "--behavior", "100:delay", "--behavior-delay-sleep", "0.3",
                                             "--behavior-delay-before", "false", "--jitter", "0.1"});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(proxy.port(), "/x").body, "ok");
  const double took = seconds_since(start);
  EXPECT_GE(took, 0.2);  // 0.3 give or take 0.1
  EXPECT_LT(took, 4.0);
  const std::lock_guard lock(mutex);
  ASSERT_TRUE(arrived);
  // A delay before the backend would have held the request at least 0.2 s.
  EXPECT_LT(std::chrono::duration<double>(*arrived - start).count(), 0.15);
}

TEST(ChaosProxy, DelayAfterGivesTheBackendConnectionBackBeforeWaiting) {
  auto proxy = start_proxy(
      {"--behavior", "100:delay", "--behavior-delay-sleep", "30", "--behavior-delay-before", "false"});
  const OpenConnection waiting(proxy.port(), "GET " + flag_path("FR") + " HTTP/1.1\r\nHost: x\r\n\r\n");
  // The flag came whole with its header: the proxy holds it, not the backend connection.
  EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) {
    return c["waiting"] == 1 && c["backend_connections_idle"] == 1;
  }));
}

TEST(ChaosProxy, HangHoldsTheConnectionWithoutAnswer) {
  auto proxy = start_proxy({"--behavior", "100:hang"});
  const auto ending = exchange_until_end(proxy.port(), "GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n", 300ms);
  EXPECT_EQ(ending.how, "timeout");
  EXPECT_EQ(ending.received, "");
  // The client gave up: its connection is freed at once.
  EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) {
    return c["client_connections_open"] == 0 && c["waiting"] == 0 && c["requests"] == 1;
  }));
}

TEST(ChaosProxy, BlackoutClosesAndAbortResets) {
  auto blackout = start_proxy({"--behavior", "100:blackout"});
  const auto closed = exchange_until_end(blackout.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_EQ(closed.how, "eof");
  EXPECT_EQ(closed.received, "");
  auto abort = start_proxy({"--behavior", "100:abort"});
  const auto reset = exchange_until_end(abort.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_EQ(reset.how, "reset");
  EXPECT_EQ(reset.received, "");
}

TEST(ChaosProxy, TruncateSendsHeadersAndPartOfTheBody) {
  auto proxy = start_proxy({"--behavior", "100:truncate", "--behavior-truncate-bytes", "100"});
  const auto ending = exchange_until_end(proxy.port(), "GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_EQ(ending.how, "eof");
  const auto header_end = ending.received.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  EXPECT_EQ(ending.received.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(ending.received.size() - header_end - 4, 100u);
  EXPECT_TRUE(parse_responses(ending.received).empty());  // not a whole response
}

TEST(ChaosProxy, BandwidthThrottlesTheResponse) {
  const std::string body = read_file(data_root() / "flags" / "br" / "br.gif");
  ASSERT_GE(body.size(), 100u);
  // As many bytes per second as the flag has: the response takes about a second.
  auto proxy = start_proxy({"--behavior", "100:bandwidth", "--behavior-bandwidth", std::to_string(body.size())});
  const auto start = std::chrono::steady_clock::now();
  const auto reply = http_get(proxy.port(), flag_path("BR"));
  const double took = seconds_since(start);
  EXPECT_EQ(reply.body, body);
  EXPECT_GE(took, 0.9);  // the first twentieth goes at once
  EXPECT_LT(took, 10.0);
}

TEST(ChaosProxy, TcpProtocolRelaysBytesAndSlices) {
  auto plain = start_service("chaos_proxy", {"--protocol", "tcp", "--backend", backend_address(), "--proxy",
                                             "127.0.0.1:0", "--behavior", "100:dummy"});
  const std::string flag = read_file(data_root() / "flags" / "br" / "br.gif");
  EXPECT_EQ(http_get(plain.port(), flag_path("BR")).body, flag);
  auto sliced = start_service("chaos_proxy", {"--protocol", "tcp", "--backend", backend_address(), "--proxy",
                                              "127.0.0.1:0", "--behavior", "100:slicer", "--behavior-slice-bytes",
                                              "64", "--behavior-slice-gap", "0.01"});
  // The flag alone (a few hundred bytes) is several slices: several pauses, not none.
  const std::size_t slices = flag.size() / 64;
  ASSERT_GE(slices, 3u);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(sliced.port(), flag_path("BR")).body, flag);
  EXPECT_GE(seconds_since(start), 0.01 * static_cast<double>(slices));
  auto delayed = start_service("chaos_proxy", {"--protocol", "tcp", "--backend", backend_address(), "--proxy",
                                               "127.0.0.1:0", "--behavior", "100:delay", "--behavior-delay-sleep", "0.2"});
  const auto start2 = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(delayed.port(), flag_path("BR")).status, 200);
  EXPECT_GE(seconds_since(start2), 0.4);  // the request and the response chunk each waited
}

TEST(ChaosProxy, YamlListenersRunInOneProcess) {
  const auto dir = temp_dir("proxy-yaml");
  std::ofstream(dir / "p.yaml") << "backend: " << backend_address()
                                << "\napi: 127.0.0.1:0\nseed: 1\nlisteners:\n"
                                   "  - name: DELAY\n    listen: 127.0.0.1:0\n    behavior: \"100:delay\"\n"
                                   "    delay: 0.3\n"
                                   "  - name: ERROR\n    listen: 127.0.0.1:0\n    behavior: \"100:error\"\n"
                                   "    error_codes: [502]\n";
  ChildProcess child(binary("chaos_proxy"), {"--config", (dir / "p.yaml").string()});
  std::vector<std::string> lines;
  for (int i = 0; i < 3; ++i) lines.push_back(child.read_line(20s));
  EXPECT_NE(lines[0].find(" (DELAY)"), std::string::npos);
  EXPECT_NE(lines[1].find(" (ERROR)"), std::string::npos);
  EXPECT_NE(lines[2].find(" (api)"), std::string::npos);
  std::vector<std::uint16_t> ports;
  for (const auto& line : lines) {
    Endpoint where;
    std::string name;
    ASSERT_TRUE(parse_listening_line(line, where, name)) << line;
    ports.push_back(where.port);
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(ports[0], flag_path("BR")).status, 200);
  EXPECT_GE(seconds_since(start), 0.3);
  EXPECT_EQ(http_get(ports[1], flag_path("BR")).status, 502);
  const auto all = nlohmann::json::parse(http_get(ports[2], "/proxies").body);
  EXPECT_EQ(all["DELAY"]["counters"]["requests"], 1);
  EXPECT_EQ(all["ERROR"]["counters"]["by_status"]["502"], 1);
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(10s).exit_code, 0);
}

TEST(ChaosProxy, ApiChangesBehaviorLiveAndTakesListenersDown) {
  auto proxy = start_proxy({});
  EXPECT_EQ(http_get(proxy.port(), flag_path("BR")).status, 200);
  EXPECT_EQ(api_of(proxy).put("proxy", {{"behavior", "100:error"}, {"error_codes", {500}}}).status, 200);
  EXPECT_EQ(http_get(proxy.port(), flag_path("BR")).status, 500);
  EXPECT_EQ(api_of(proxy).put("proxy", {{"behavior", "150:error"}}).status, 400);
  EXPECT_EQ(api_of(proxy).put("proxy", {{"bogus", 1}}).status, 400);
  EXPECT_EQ(http_get(proxy.port(1), "/proxies/nobody").status, 404);
  EXPECT_EQ(api_of(proxy).get("/proxies/proxy")["behavior"], "100:error");

  EXPECT_EQ(api_of(proxy).put("proxy", {{"enabled", false}}).status, 200);
  EXPECT_THROW(http_get(proxy.port(), flag_path("BR")), std::exception);  // connection refused
  EXPECT_EQ(api_of(proxy).put("proxy", {{"enabled", true}, {"behavior", ""}}).status, 200);
  EXPECT_EQ(http_get(proxy.port(), flag_path("BR")).status, 200);

  EXPECT_EQ(http_request(proxy.port(1), "POST", "/reset").status, 204);
  const auto counters = api_of(proxy).get("/proxies/proxy")["counters"];
  for (const char* zeroed : {"requests", "bytes_to_client", "bytes_to_backend", "connections_accepted"})
    EXPECT_EQ(counters[zeroed], 0) << zeroed;
  EXPECT_EQ(http_get(proxy.port(1), "/healthz").status, 200);
}

TEST(ChaosProxy, DeadBackendGives502AndKeepsRunning) {
  // A port nothing listens on: bind one, note it, close it.
  std::uint16_t dead = 0;
  {
    auto gone = start_service("flag_server", {"--port", "0"});
    dead = gone.port();
  }
  auto proxy = start_service("chaos_proxy", {"--backend", "127.0.0.1:" + std::to_string(dead), "--proxy",
                                             "127.0.0.1:0", "--api", "127.0.0.1:0"},
                             2);
  EXPECT_EQ(http_get(proxy.port(), flag_path("BR")).status, 502);
  EXPECT_EQ(http_get(proxy.port(), flag_path("BR")).status, 502);
  EXPECT_EQ(api_of(proxy).get("/proxies/proxy")["counters"]["backend_errors"], 2);
  EXPECT_TRUE(proxy.process->running());
}

TEST(ChaosProxy, ClientAbortingMidDelayFreesEverythingAtOnce) {
  auto proxy = start_proxy({"--behavior", "100:delay", "--behavior-delay-sleep", "30"});
  const auto start = std::chrono::steady_clock::now();
  {
    OpenConnection client(proxy.port(), "GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) { return c["waiting"] == 1; }));
    client.reset();  // (a FIN is only a half-close: the delay would run its 30 s and answer)
  }
  EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) {
    return c["client_connections_open"] == 0 && c["waiting"] == 0 && c["backend_connections_open"] == 0;
  }));
  EXPECT_LT(seconds_since(start), 15.0);
  EXPECT_EQ(api_of(proxy).get("/proxies/proxy")["counters"]["by_status"]["0"], 1);
}

TEST(ChaosProxy, TwoThousandConcurrentDelayedConnectionsAllComplete) {
  raise_open_file_limit(4096);  // this test process holds 2,000 sockets
  auto proxy = start_proxy({"--behavior", "100:delay", "--behavior-delay-sleep", "0.5"});
  std::vector<std::string> targets(2000, flag_path("BR"));
  const auto start = std::chrono::steady_clock::now();
  const auto fetched = fetch_all(proxy.port(), targets, 2000, std::chrono::seconds(60));
  int ok = 0;
  for (const auto& f : fetched) ok += f.status == 200;
  EXPECT_EQ(ok, 2000);
  EXPECT_LT(seconds_since(start), 30.0);  // one delay, not 2,000 of them in a row
  const auto counters = api_of(proxy).get("/proxies/proxy")["counters"];
  EXPECT_LE(counters["backend_connections_open"].get<int>(), 1024);  // the pool's bound, over all threads
}

// A backend that reads request bodies: another chaos_proxy's control API,
// whose PUT /proxies/NAME takes JSON. Returns {that proxy, a plain proxy in front of its API}.
std::pair<Service, Service> proxy_in_front_of_an_api() {
  Service inner = start_proxy({});
  Service front = start_service(
      "chaos_proxy", {"--backend", "127.0.0.1:" + std::to_string(inner.port(1)), "--proxy", "127.0.0.1:0"});
  return {std::move(inner), std::move(front)};
}

TEST(ChaosProxy, RequestBodiesReachTheBackendWholeSizedOrChunked) {
  const auto [inner, front] = proxy_in_front_of_an_api();
  const std::string sized = R"({"delay": 0.25})";
  auto replies = parse_responses(raw_exchange(
      front.port(), "PUT /proxies/proxy HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(sized.size()) +
                        "\r\nConnection: close\r\n\r\n" + sized));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 200) << replies[0].body;
  EXPECT_EQ(api_of(inner).get("/proxies/proxy")["delay"].get<double>(), 0.25);

  replies = parse_responses(raw_exchange(front.port(),
                                         "PUT /proxies/proxy HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                         "Connection: close\r\n\r\n"
                                         "6\r\n{\"dela\r\n9\r\ny\": 0.125\r\n1\r\n}\r\n0\r\n\r\n"));
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].status, 200) << replies[0].body;
  EXPECT_EQ(api_of(inner).get("/proxies/proxy")["delay"].get<double>(), 0.125);
}

TEST(ChaosProxy, ExpectContinueIsAnsweredByTheProxyAndTheBodyForwarded) {
  const auto [inner, front] = proxy_in_front_of_an_api();
  const std::string body = R"({"jitter": 0.5})";
  const auto replies = parse_responses(raw_exchange(
      front.port(), "PUT /proxies/proxy HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].status, 100);
  EXPECT_EQ(replies[1].status, 200) << replies[1].body;
  EXPECT_EQ(api_of(inner).get("/proxies/proxy")["jitter"].get<double>(), 0.5);
}

TEST(ChaosProxy, ABackendRefusingTheBodyIsHeardNotTurnedInto502) {
  auto proxy = start_proxy({});
  const std::string body(512 * 1024, 'x');  // more than the sockets buffer between us and flag_server
  const auto start = std::chrono::steady_clock::now();
  const auto raw = raw_exchange(proxy.port(),
                                // GET: flag_server refuses a body over 64 KiB with 413 (another method gets 405 first)
                                "GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body,
                                std::chrono::seconds(30));
  EXPECT_EQ(raw.rfind("HTTP/1.1 413", 0), 0u) << raw.substr(0, 200);
  // Whether the proxy saw the answer early (and stopped sending) or only after
  // the whole body went out, it answers and closes: no waiting for a timeout.
  EXPECT_LT(seconds_since(start), 20.0);
  EXPECT_EQ(api_of(proxy).get("/proxies/proxy")["counters"]["backend_errors"].get<int>(), 0);
}

TEST(ChaosProxy, CountersAddUpOverEveryEventLoop) {
  auto proxy = start_proxy({"--threads", "4", "--behavior", "50:error", "--seed", "3"});
  const std::vector<std::string> targets(400, flag_path("BR"));
  const auto fetched = fetch_all(proxy.port(), targets, 40);
  std::map<int, int> seen;
  std::uint64_t body_bytes = 0;
  for (const auto& f : fetched) {
    ++seen[f.status];
    body_bytes += f.body_bytes;
  }
  EXPECT_EQ(seen[200] + seen[500] + seen[501] + seen[502] + seen[503], 400);
  const auto counters = api_of(proxy).get("/proxies/proxy")["counters"];
  EXPECT_EQ(counters["requests"], 400);
  EXPECT_EQ(counters["by_status"].value("200", 0), seen[200]);
  EXPECT_EQ(counters["by_behavior"].value("error", 0), 400 - seen[200]);
  EXPECT_EQ(counters["connections_accepted"], 400);
  EXPECT_GT(counters["bytes_to_client"].get<std::uint64_t>(), body_bytes);  // the bodies and their headers
}

TEST(ChaosProxy, MaxConnectionsClosesTheOnesOver) {
  auto proxy = start_proxy({"--behavior", "100:hang", "--max-connections", "1"});
  const OpenConnection first(proxy.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");  // hangs, holding the one slot
  EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) { return c["waiting"] == 1; }));
  const auto second = exchange_until_end(proxy.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_NE(second.how, "timeout");  // closed at once (a reset when our request was already in)
  EXPECT_EQ(second.received, "");
  EXPECT_EQ(api_of(proxy).get("/proxies/proxy")["counters"]["connections_rejected"], 1);
}

TEST(ChaosProxy, MaxConnectionsHoldsForABurstOverSeveralEventLoops) {
  auto proxy = start_proxy({"--threads", "4", "--behavior", "100:hang", "--max-connections", "10"});
  std::vector<std::unique_ptr<OpenConnection>> burst;
  for (int i = 0; i < 40; ++i)
    burst.push_back(std::make_unique<OpenConnection>(proxy.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(api_of(proxy).eventually("proxy", [](const nlohmann::json& c) { return c["connections_accepted"] == 40; }));
  const auto counters = api_of(proxy).get("/proxies/proxy")["counters"];
  EXPECT_EQ(counters["connections_rejected"], 30);
  EXPECT_EQ(counters["client_connections_open"], 10);
}

TEST(ChaosProxy, MalformedRequestIs400AndHugeHeaderIs431) {
  auto proxy = start_proxy({});
  EXPECT_EQ(raw_exchange(proxy.port(), "NOT HTTP AT ALL\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  const std::string huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_EQ(raw_exchange(proxy.port(), huge).rfind("HTTP/1.1 431", 0), 0u);
}

TEST(ChaosProxy, UsageErrorsExit2WithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--backend", "127.0.0.1:1", "--proxy", ":0", "--behavior", "60:error,50:delay"},
           {"--backend", "127.0.0.1:1", "--proxy", ":0", "--behavior", "25:explode"},
           {"--backend", "127.0.0.1:1"},
           {"--config", "/nonexistent.yaml"},
           {"--config", "x.yaml", "--proxy", ":0"},
           {"--backend", "127.0.0.1:1", "--proxy", "nowhere"},
           {"--backend", "127.0.0.1:1", "--proxy", ":0", "--threads", "0"}}) {
    const auto run = run_proxy_cli(args);
    EXPECT_EQ(run.exit_code, 2) << args.back();
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  EXPECT_EQ(run_proxy_cli({"--version"}).exit_code, 0);
  const auto help = run_proxy_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--behavior-delay-sleep"), std::string::npos);
}

TEST(ChaosProxy, BadYamlNamesFileLineAndColumn) {
  const auto dir = temp_dir("proxy-badyaml");
  const auto file = (dir / "p.yaml").string();
  std::ofstream(file) << "backend: 127.0.0.1:1\nlisteners:\n  - name: A\n    listen: :0\n    behavior: 10:nope\n";
  const auto run = run_proxy_cli({"--config", file});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(file + ":5:15: unknown behavior 'nope'"), std::string::npos) << run.err;
}

TEST(ChaosProxy, BadToxicAttributeInYamlExits2AtItsValue) {
  const auto dir = temp_dir("proxy-badtoxic");
  const auto file = (dir / "p.yaml").string();
  std::ofstream(file) << "backend: 127.0.0.1:1\nlisteners:\n  - name: A\n    listen: :0\n    toxics:\n"
                         "      - type: slicer\n        attributes:\n          average_size: 0\n";
  const auto run = run_proxy_cli({"--config", file});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find(file + ":8:25: toxic 'slicer_downstream' (slicer): attribute 'average_size' must be a whole "
                                "number of bytes from 1 to 1048576, not 0"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}
