// Each toxic of an HTTP listener, measured on the wire: the real chaos_proxy
// in front of the real flag_server (or a scripted backend that shows what it
// received), both on port 0. Times are taken where the bytes are: the recv()
// that brought the last body byte, the one that saw the FIN or the reset.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http.hpp"
#include "load.hpp"
#include "raw_backend.hpp"
#include "services.hpp"

using namespace platespin::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBigBody = 200'000;
const std::string kBig = "/flags/big/big.gif";

// The test's own data root: the build's BR flag and a 200 KB file.
const std::filesystem::path& root() {
  static const std::filesystem::path dir = [] {
    const auto d = temp_dir("toxics-root");
    std::filesystem::create_directories(d / "flags" / "br");
    std::filesystem::create_directories(d / "flags" / "big");
    std::filesystem::copy_file(data_root() / "flags" / "br" / "br.gif", d / "flags" / "br" / "br.gif");
    std::string big(kBigBody, '\0');
    std::uint32_t x = 12345;
    for (auto& c : big) c = static_cast<char>((x = x * 1664525 + 1013904223) >> 24);
    std::ofstream(d / "flags" / "big" / "big.gif", std::ios::binary) << big;
    return d;
  }();
  return dir;
}

const Service& flag_server() {
  static const Service server =
      start_service("flag_server", {"--port", "0", "--root", root().string(), "--threads", "1"});
  return server;
}

std::string flag_server_address() { return "127.0.0.1:" + std::to_string(flag_server().port()); }

// chaos_proxy in HTTP mode in front of `backend` with `extra` arguments; ports (proxy, api).
Service start_proxy(const std::string& backend, std::vector<std::string> extra) {
  std::vector<std::string> args{"--protocol", "http", "--backend", backend, "--proxy", "127.0.0.1:0",
                                "--api",      "127.0.0.1:0", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return start_service("chaos_proxy", args, 2);
}
Service start_proxy(std::vector<std::string> extra) { return start_proxy(flag_server_address(), std::move(extra)); }

nlohmann::json counters(const Service& proxy) {
  return nlohmann::json::parse(http_get(proxy.port(1), "/proxies/proxy").body)["counters"];
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string get(const std::string& target, const std::string& extra_fields = "Connection: close\r\n") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra_fields + "\r\n";
}

std::string post(const std::string& target, const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// One exchange on a plain socket, read until the peer closes or resets or
// `timeout` passes, with when each thing happened.
struct Wire {
  std::string head;                     // up to and with the blank line
  std::string body;                     // every byte after it
  std::vector<std::size_t> body_reads;  // the body bytes each recv() brought
  Clock::time_point sent, last_body_byte, end;
  std::string how;  // "eof", "reset" or "timeout"
  bool has_body_byte = false;
};

Wire on_wire(std::uint16_t port, const std::string& request, std::chrono::milliseconds timeout = 10s) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(port);
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  Wire w;
  w.sent = Clock::now();
  for (std::size_t off = 0; off < request.size();) {
    const auto n = ::send(fd, request.data() + off, request.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;  // the proxy cut us off: the reads tell how
    off += static_cast<std::size_t>(n);
  }
  const auto deadline = Clock::now() + timeout;
  std::string all;
  std::size_t head_end = std::string::npos;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
      w.how = "timeout";
      break;
    }
    char buf[65536];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    const auto t = Clock::now();
    if (n <= 0) {
      w.how = n == 0 ? "eof" : errno == ECONNRESET ? "reset" : std::strerror(errno);
      w.end = t;
      break;
    }
    all.append(buf, static_cast<std::size_t>(n));
    std::size_t body_now = static_cast<std::size_t>(n);
    if (head_end == std::string::npos) {
      head_end = all.find("\r\n\r\n");
      body_now = head_end == std::string::npos ? 0 : all.size() - head_end - 4;
    }
    if (body_now > 0) {
      w.body_reads.push_back(body_now);
      w.last_body_byte = t;
      w.has_body_byte = true;
    }
  }
  ::close(fd);
  if (head_end == std::string::npos) {
    w.head = all;
  } else {
    w.head = all.substr(0, head_end + 4);
    w.body = all.substr(head_end + 4);
  }
  return w;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A backend that answers "ok" and notes when each request had come whole.
struct TimedBackend {
  std::mutex mutex;
  std::vector<Clock::time_point> arrivals;
  RawBackend raw{[this](const std::string&, std::size_t, std::size_t) {
    const std::lock_guard lock(mutex);
    arrivals.push_back(Clock::now());
    return RawBackend::Reply{RawBackend::ok("ok"), false};
  }};
  Clock::time_point arrival(std::size_t i) {
    const std::lock_guard lock(mutex);
    return arrivals.at(i);
  }
};

// A backend that reads each connection to its end, answering nothing: what a cut-off request left.
class CaptureBackend {
 public:
  CaptureBackend() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof at;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&at), &size) != 0)
      throw std::runtime_error("CaptureBackend");
    port_ = ntohs(at.sin_port);
    thread_ = std::thread([this] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      char buf[16384];
      for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        const std::lock_guard lock(mutex_);
        got_.append(buf, static_cast<std::size_t>(n));
      }
      ::close(fd);
      done_ = true;
    });
  }
  ~CaptureBackend() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // What the first connection carried, once it ended (10 s at most: a condition, not a sleep).
  std::string received() {
    for (const auto until = Clock::now() + 10s; !done_ && Clock::now() < until;) std::this_thread::sleep_for(5ms);
    const std::lock_guard lock(mutex_);
    return got_;
  }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string got_;
  std::atomic<bool> done_ = false;
};

// `n` requests one after another through the proxy on `port` to `backend`:
// how long each took to its last byte, and to reach the backend.
struct Timings {
  std::vector<double> total, to_backend;
};
Timings time_requests(std::uint16_t port, TimedBackend& backend, std::size_t n) {
  Timings t;
  for (std::size_t i = 0; i < n; ++i) {
    const Wire w = on_wire(port, get("/x"));
    EXPECT_EQ(w.body, "ok") << w.head;
    t.total.push_back(seconds(w.last_body_byte - w.sent));
    t.to_backend.push_back(seconds(backend.arrival(i) - w.sent));
  }
  return t;
}

}  // namespace

// latency downstream: the backend gets the request at once, the client its answer `latency` later.
TEST(HttpToxics, LatencyDownstreamDelaysEachAnswerAfterTheBackend) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "latency:downstream,latency=50"});
  const auto [total, to_backend] = time_requests(proxy.port(), backend, 50);
  EXPECT_GE(*std::min_element(total.begin(), total.end()), 0.050);
  EXPECT_LE(median(total), 0.070);
  EXPECT_LT(median(to_backend), 0.020);  // the wait came after the backend
}

// latency upstream: the request waits before the backend is called.
TEST(HttpToxics, LatencyUpstreamDelaysEachRequestBeforeTheBackend) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "latency:upstream,latency=50"});
  const auto [total, to_backend] = time_requests(proxy.port(), backend, 50);
  EXPECT_GE(*std::min_element(to_backend.begin(), to_backend.end()), 0.050);
  EXPECT_GE(*std::min_element(total.begin(), total.end()), 0.050);
  EXPECT_LE(median(total), 0.070);
}

TEST(HttpToxics, TwoStackedLatencyToxicsAdd) {
  auto proxy = start_proxy({"--toxic", "latency,latency=60,name=a", "--toxic", "latency,latency=40,name=b"});
  std::vector<double> total;
  for (int i = 0; i < 20; ++i) {
    const Wire w = on_wire(proxy.port(), get("/flags/br/br.gif"));
    ASSERT_EQ(w.head.rfind("HTTP/1.1 200", 0), 0u) << w.head;
    total.push_back(seconds(w.last_body_byte - w.sent));
  }
  EXPECT_GE(*std::min_element(total.begin(), total.end()), 0.100);
  EXPECT_LE(median(total), 0.120);
}

TEST(HttpToxics, BandwidthDownstreamThrottlesA200KBBodyWithinTenPercent) {
  auto proxy = start_proxy({"--toxic", "bandwidth,rate=100"});  // 100 KB/s: 2 s for 200 KB
  const Wire w = on_wire(proxy.port(), get(kBig));
  ASSERT_EQ(w.body.size(), kBigBody) << w.head;
  EXPECT_EQ(w.body, read_file(root() / "flags" / "big" / "big.gif"));
  const double took = seconds(w.last_body_byte - w.sent);
  EXPECT_GE(took, 2.0 * 0.9);
  EXPECT_LE(took, 2.0 * 1.1);
}

TEST(HttpToxics, BandwidthUpstreamThrottlesA200KBRequestBodyWithinTenPercent) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "bandwidth:upstream,rate=100"});
  const std::string body(kBigBody, 'u');
  const Wire w = on_wire(proxy.port(), post("/upload", body));
  ASSERT_EQ(w.body, "ok") << w.head;
  const auto requests = backend.raw.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].bytes.substr(requests[0].bytes.size() - body.size()), body);
  const double took = seconds(backend.arrival(0) - w.sent);
  EXPECT_GE(took, 2.0 * 0.9);
  EXPECT_LE(took, 2.0 * 1.1);
}

// slicer downstream: the body comes in many small reads, about average_size each, `delay` apart.
TEST(HttpToxics, SlicerDownstreamSplitsTheBodyIntoManySmallReads) {
  auto proxy = start_proxy({"--toxic", "slicer,average_size=1000,size_variation=200,delay=2000"});
  const Wire w = on_wire(proxy.port(), get(kBig));
  ASSERT_EQ(w.body, read_file(root() / "flags" / "big" / "big.gif"));
  // About 200 slices; a busy machine may join a few in one read, not most.
  EXPECT_GE(w.body_reads.size(), 100u);
  std::vector<double> sizes(w.body_reads.begin(), w.body_reads.end());
  EXPECT_LE(median(sizes), 1200);
  EXPECT_GE(seconds(w.last_body_byte - w.sent), 0.002 * 150);  // the pauses between them
  // Without the toxic the same body comes in a few large reads.
  auto plain = start_proxy({});
  EXPECT_LT(on_wire(plain.port(), get(kBig)).body_reads.size(), 60u);
}

// slicer upstream: the request body goes to the backend in pieces `delay` apart.
TEST(HttpToxics, SlicerUpstreamSpreadsTheRequestBody) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "slicer:upstream,average_size=1000,delay=10000"});
  const std::string body(20'000, 's');  // 20 slices, 19 pauses of 10 ms
  const Wire w = on_wire(proxy.port(), post("/upload", body));
  ASSERT_EQ(w.body, "ok") << w.head;
  ASSERT_EQ(backend.raw.requests().size(), 1u);
  EXPECT_NE(backend.raw.requests()[0].bytes.find(body), std::string::npos);
  const double took = seconds(backend.arrival(0) - w.sent);
  EXPECT_GE(took, 0.010 * 19);
  EXPECT_LT(took, 0.010 * 19 * 10);
}

TEST(HttpToxics, LimitDataDownstreamCutsTheBodyAtExactlyThatManyBytes) {
  auto proxy = start_proxy({"--toxic", "limit_data,bytes=1234"});
  const Wire w = on_wire(proxy.port(), get(kBig));
  EXPECT_EQ(w.head.rfind("HTTP/1.1 200", 0), 0u) << w.head;
  EXPECT_NE(w.head.find("Content-Length: 200000"), std::string::npos) << w.head;
  EXPECT_EQ(w.body, read_file(root() / "flags" / "big" / "big.gif").substr(0, 1234));
  EXPECT_EQ(w.how, "eof");
  // A body under the limit passes whole, and the connection stays.
  const auto replies = parse_responses(
      raw_exchange(proxy.port(), get("/flags/br/br.gif", "") + get("/flags/br/br.gif")));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1].body, read_file(root() / "flags" / "br" / "br.gif"));
}

TEST(HttpToxics, LimitDataUpstreamCutsTheRequestBodyAtExactlyThatManyBytes) {
  CaptureBackend backend;
  auto proxy = start_proxy(backend.address(), {"--toxic", "limit_data:upstream,bytes=1000"});
  std::string body(5000, 'b');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  const Wire w = on_wire(proxy.port(), post("/upload", body));
  EXPECT_EQ(w.head, "");  // no answer: both sides are closed
  EXPECT_NE(w.how, "timeout");
  const std::string got = backend.received();
  const auto head_end = got.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << got;
  EXPECT_EQ(got.substr(head_end + 4), body.substr(0, 1000));
}

TEST(HttpToxics, ResetPeerDownstreamResetsAfterTheBackendAnswered) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "reset_peer,timeout=200"});
  const Wire w = on_wire(proxy.port(), get("/x"));
  EXPECT_EQ(w.how, "reset");
  EXPECT_EQ(w.head, "");
  EXPECT_GE(seconds(w.end - w.sent), 0.2);
  EXPECT_LT(seconds(w.end - w.sent), 2.0);
  EXPECT_EQ(backend.raw.requests().size(), 1u);
}

TEST(HttpToxics, ResetPeerUpstreamResetsWithoutCallingTheBackend) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "reset_peer:upstream,timeout=200"});
  const Wire w = on_wire(proxy.port(), get("/x"));
  EXPECT_EQ(w.how, "reset");
  EXPECT_EQ(w.head, "");
  EXPECT_GE(seconds(w.end - w.sent), 0.2);
  EXPECT_EQ(backend.raw.connections(), 0u);
  EXPECT_EQ(counters(proxy)["bytes_to_backend"], 0);
}

// slow_close: the FIN comes `delay` after the last body byte when the answer ends the connection.
TEST(HttpToxics, SlowCloseSendsTheFinLate) {
  auto proxy = start_proxy({"--toxic", "slow_close,delay=1000"});
  const Wire w = on_wire(proxy.port(), get("/flags/br/br.gif"));
  EXPECT_EQ(w.body, read_file(root() / "flags" / "br" / "br.gif"));
  EXPECT_EQ(w.how, "eof");
  ASSERT_TRUE(w.has_body_byte);
  // (The last body byte's time is when the test read it: on a busy machine a
  // little after it came, so the gap to the close can look a little short.)
  EXPECT_GE(seconds(w.end - w.last_body_byte), 0.8);
  EXPECT_LT(seconds(w.end - w.last_body_byte), 10.0);
  // The body itself is not late: only the close.
  EXPECT_LT(seconds(w.last_body_byte - w.sent), 1.0);
  // A keep-alive answer is not delayed, and the connection serves the next request.
  const Wire two = on_wire(proxy.port(), get("/flags/br/br.gif", "") + get("/flags/br/br.gif"));
  EXPECT_EQ(parse_responses(two.head + two.body).size(), 2u);
}

TEST(HttpToxics, TimeoutUpstreamSendsNothingThenClosesWithoutCallingTheBackend) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "timeout:upstream,timeout=300"});
  const Wire w = on_wire(proxy.port(), get("/x"));
  EXPECT_EQ(w.head, "");
  EXPECT_EQ(w.how, "eof");
  EXPECT_GE(seconds(w.end - w.sent), 0.3);
  EXPECT_LT(seconds(w.end - w.sent), 3.0);
  EXPECT_EQ(backend.raw.connections(), 0u);
}

TEST(HttpToxics, TimeoutDownstreamCallsTheBackendDropsItsAnswerThenCloses) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "timeout,timeout=300"});
  const Wire w = on_wire(proxy.port(), get("/x"));
  EXPECT_EQ(w.head, "");
  EXPECT_EQ(w.how, "eof");
  EXPECT_GE(seconds(w.end - w.sent), 0.3);
  EXPECT_LT(seconds(w.end - w.sent), 3.0);
  EXPECT_EQ(backend.raw.requests().size(), 1u);
  // The dropped answer was read whole: the backend connection went back to the pool.
  EXPECT_EQ(counters(proxy)["backend_connections_idle"], 1);
}

TEST(HttpToxics, TimeoutZeroHoldsUntilTheClientLeaves) {
  auto proxy = start_proxy({"--toxic", "timeout:upstream"});
  const Wire w = on_wire(proxy.port(), get("/flags/br/br.gif"), 500ms);
  EXPECT_EQ(w.how, "timeout");
  EXPECT_EQ(w.head, "");
}

TEST(HttpToxics, HttpErrorAnswersOneOfTheCodesWithTheBodyWithoutTheBackend) {
  TimedBackend backend;
  auto proxy = start_proxy(backend.raw.address(), {"--toxic", "http_error,codes=418,codes=429,body=slow down"});
  std::map<int, int> seen;
  for (int i = 0; i < 20; ++i) {
    const auto reply = http_get(proxy.port(), "/x" + std::to_string(i));
    ++seen[reply.status];
    EXPECT_EQ(reply.body, "slow down");
  }
  EXPECT_EQ(seen[418] + seen[429], 20);
  EXPECT_GT(seen[418], 0);
  EXPECT_GT(seen[429], 0);
  EXPECT_EQ(backend.raw.connections(), 0u);
  auto html = start_proxy({"--toxic", "http_error,codes=503"});
  const auto page = http_get(html.port(), "/flags/br/br.gif");
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.body.find("<h1>503 Service Unavailable</h1>"), std::string::npos);
}

TEST(HttpToxics, HttpHeaderDownstreamSetsAndRemovesResponseFields) {
  const std::string body = "hello";
  RawBackend backend([&](const std::string&, std::size_t, std::size_t) {
    return RawBackend::Reply{"HTTP/1.1 200 OK\r\nServer: raw\r\nX-Twice: 1\r\nX-Twice: 2\r\nX-Keep: k\r\n"
                             "Content-Length: 5\r\n\r\n" + body};
  });
  auto proxy = start_proxy(backend.address(), {"--toxic", "http_header,set=X-Twice:one,set=X-New:n,remove=Server,"
                                                          "set=Content-Length:99,remove=Transfer-Encoding"});
  const Wire w = on_wire(proxy.port(), get("/x"));
  EXPECT_EQ(w.body, body);  // framing fields are never edited
  EXPECT_EQ(w.head.find("Server:"), std::string::npos) << w.head;
  EXPECT_NE(w.head.find("X-Twice: one\r\n"), std::string::npos) << w.head;
  EXPECT_EQ(w.head.find("X-Twice: 1"), std::string::npos) << w.head;
  EXPECT_EQ(w.head.find("X-Twice: 2"), std::string::npos) << w.head;
  EXPECT_NE(w.head.find("X-New: n\r\n"), std::string::npos) << w.head;
  EXPECT_NE(w.head.find("X-Keep: k\r\n"), std::string::npos) << w.head;
  EXPECT_NE(w.head.find("Content-Length: 5\r\n"), std::string::npos) << w.head;
}

TEST(HttpToxics, HttpHeaderUpstreamSetsAndRemovesRequestFields) {
  RawBackend backend([](const std::string&, std::size_t, std::size_t) {
    return RawBackend::Reply{RawBackend::ok("ok")};
  });
  auto proxy = start_proxy(backend.address(),
                           {"--toxic", "http_header:upstream,set=X-A:1,set=Accept:text/plain,remove=User-Agent,"
                                       "set=Content-Length:7"});
  const Wire w = on_wire(proxy.port(), "POST /x HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: */*\r\n"
                                       "Accept: image/gif\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(w.body, "ok");
  const auto requests = backend.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& got = requests[0].bytes;
  EXPECT_NE(got.find("\r\nX-A: 1\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\nAccept: text/plain\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("*/*"), std::string::npos) << got;
  EXPECT_EQ(got.find("image/gif"), std::string::npos) << got;
  EXPECT_EQ(got.find("User-Agent"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\nContent-Length: 3\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.substr(got.size() - 7), "\r\n\r\nabc");
}

// toxicity 0.3 over 1,000 seeded requests: about 300 hit, and the same ones in a second run.
TEST(HttpToxics, ToxicityHitsItsShareAndTheSameRequestsInASecondSeededRun) {
  std::vector<std::string> targets;
  for (int i = 0; i < 1000; ++i) targets.push_back("/flags/br/br.gif?n=" + std::to_string(i % 400));
  const auto run = [&] {
    auto proxy = start_proxy({"--toxic", "http_error@0.3,codes=503", "--seed", "11"});
    std::vector<int> statuses;
    for (const auto& f : fetch_all(proxy.port(), targets, 50)) statuses.push_back(f.status);
    const int hit = static_cast<int>(std::count(statuses.begin(), statuses.end(), 503));
    EXPECT_EQ(counters(proxy)["by_toxic"]["http_error_downstream"], hit);
    const auto metrics = http_get(proxy.port(1), "/metrics").body;
    EXPECT_NE(metrics.find("chaos_proxy_toxic_applied_total{listener=\"proxy\",toxic=\"http_error_downstream\","
                           "type=\"http_error\",stream=\"downstream\"} " + std::to_string(hit) + "\n"),
              std::string::npos)
        << metrics;
    return statuses;
  };
  const auto first = run();
  const auto hit = std::count(first.begin(), first.end(), 503);
  EXPECT_NEAR(static_cast<double>(hit), 300, 45);
  EXPECT_EQ(std::count(first.begin(), first.end(), 200), 1000 - hit);
  EXPECT_EQ(run(), first);  // per URL and occurrence, the same outcome
}

// What Toxiproxy cannot do: one keep-alive connection, a toxic on some of its requests only.
TEST(HttpToxics, KeepAliveConnectionGetsTheToxicOnSomeRequestsNotOthers) {
  auto proxy = start_proxy({"--toxic", "http_error@0.5,codes=503", "--seed", "5"});
  std::string requests;
  for (int i = 0; i < 39; ++i) requests += get("/flags/br/br.gif?n=" + std::to_string(i), "");
  requests += get("/flags/br/br.gif?n=last");
  const auto replies = parse_responses(raw_exchange(proxy.port(), requests, 10s));
  ASSERT_EQ(replies.size(), 40u);
  int errors = 0;
  for (const auto& r : replies) errors += r.status == 503;
  EXPECT_GT(errors, 5);
  EXPECT_LT(errors, 35);
  EXPECT_EQ(counters(proxy)["connections_accepted"], 1);
}
