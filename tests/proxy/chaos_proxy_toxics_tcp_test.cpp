// chaos_proxy's toxics over TCP (--protocol tcp), each in each stream,
// measured on the wire: the real binary between a test client and a backend
// on 127.0.0.1:0 (flag_server, or a scripted socket peer), no sleeps.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http.hpp"
#include "load.hpp"
#include "services.hpp"

using namespace platespin;
using namespace platespin::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// A backend that runs `serve(fd)` for each connection on its own thread; the
// connection is closed when `serve` returns. The destructor ends every session.
class SocketPeer {
 public:
  explicit SocketPeer(std::function<void(int)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof at;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&at), size) != 0 || ::listen(listener_, 128) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&at), &size) != 0)
      throw std::runtime_error("SocketPeer: cannot listen");
    port_ = ntohs(at.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        const std::lock_guard lock(mutex_);
        fds_.push_back(fd);
        sessions_.emplace_back([this, fd] {
          serve_(fd);
          ::shutdown(fd, SHUT_RDWR);
        });
      }
    });
  }
  ~SocketPeer() {
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    {
      const std::lock_guard lock(mutex_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : sessions_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listener_);
  }
  SocketPeer(const SocketPeer&) = delete;
  SocketPeer& operator=(const SocketPeer&) = delete;
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::function<void(int)> serve_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> fds_;
  std::vector<std::thread> sessions_;
};

void send_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// What a socket received until its peer closed or reset it, or `timeout` passed.
struct Received {
  std::string bytes;
  std::vector<std::size_t> reads;  // the size of each read
  Clock::time_point first_byte{}, end{};
  std::string how;  // "eof", "reset", "timeout"
};
Received read_until_end(int fd, std::chrono::milliseconds timeout = 10s) {
  Received r;
  const auto deadline = Clock::now() + timeout;
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) {
      r.how = "timeout";
      break;
    }
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    r.end = Clock::now();
    if (n > 0) {
      if (r.bytes.empty()) r.first_byte = r.end;
      r.bytes.append(buffer, static_cast<std::size_t>(n));
      r.reads.push_back(static_cast<std::size_t>(n));
      continue;
    }
    r.how = n == 0 ? "eof" : errno == ECONNRESET ? "reset" : "error";
    break;
  }
  return r;
}

// A client connection to `port` (TCP_NODELAY), closed at the end of its scope.
struct Client {
  int fd;
  explicit Client(std::uint16_t port) : fd(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    at.sin_port = htons(port);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) throw std::runtime_error("cannot connect");
  }
  ~Client() { ::close(fd); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
};

// One connection to `port`: `data` sent, then all that came back until the end.
struct Exchange {
  Clock::time_point start;  // just before the send
  Received got;
};
Exchange exchange(std::uint16_t port, const std::string& data) {
  Client client(port);
  const auto start = Clock::now();
  send_all(client.fd, data);
  return {start, read_until_end(client.fd)};
}

// Reads from `fd` until `n` bytes came or the peer ended; returns what came.
std::string read_n(int fd, std::size_t n, std::vector<std::size_t>* reads = nullptr) {
  std::string got;
  char buffer[65536];
  while (got.size() < n) {
    const auto k = ::recv(fd, buffer, std::min(sizeof buffer, n - got.size()), 0);
    if (k <= 0) break;
    got.append(buffer, static_cast<std::size_t>(k));
    if (reads) reads->push_back(static_cast<std::size_t>(k));
  }
  return got;
}

// A backend that answers the first bytes it gets with `reply`, then closes (or
// holds the connection until the test ends).
SocketPeer answering(std::string reply, bool close_after) {
  return SocketPeer([reply, close_after](int fd) {
    char buffer[4096];
    if (::recv(fd, buffer, sizeof buffer, 0) <= 0) return;
    send_all(fd, reply);
    if (close_after) return;
    while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
    }
  });
}

const Service& flag_server() {
  static const Service server = start_flag_server({"--max-connections", "5000"});
  return server;
}

// chaos_proxy in TCP mode in front of `backend`, with these --toxic terms (and its API second).
Service start_tcp_proxy(const std::string& backend, const std::vector<std::string>& toxics,
                        std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--protocol", "tcp", "--backend", backend, "--proxy", "127.0.0.1:0",
                                "--api",      "127.0.0.1:0"};
  for (const auto& t : toxics) {
    args.push_back("--toxic");
    args.push_back(t);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return start_service("chaos_proxy", args, 2);
}

std::string flag_backend() { return "127.0.0.1:" + std::to_string(flag_server().port()); }

// 50 GETs of a flag through `proxy`, ten at a time, one connection each: their times, sorted.
std::vector<double> fifty_fetches(const Service& proxy) {
  std::vector<std::string> targets(50, flag_path("BR"));
  const auto fetches = fetch_all(proxy.port(), targets, 10, 30s);
  std::vector<double> seconds;
  for (const auto& f : fetches) {
    EXPECT_EQ(f.status, 200) << f.target;
    seconds.push_back(f.seconds);
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds;
}

// The median time of the same fetches through chaos_proxy without toxics: what
// the exchange itself costs here (connects, flag_server, the client).
double plain_median() {
  static const double median = [] {
    const auto plain = start_tcp_proxy(flag_backend(), {});
    fifty_fetches(plain);  // warm up
    return fifty_fetches(plain).at(25);
  }();
  return median;
}

// Every fetch took at least `latency`, and the median exceeds the plain one
// by less than one and a half times it: the latency once, not once each way.
// (A sanitizer build on a busy machine slows the plain fetches as much as
// the delayed ones: the median's excess is not a measure of the latency.)
void expect_latency(const std::vector<double>& seconds, double latency) {
  ASSERT_EQ(seconds.size(), 50u);
  const double added = seconds[25] - plain_median();
  EXPECT_GE(seconds.front(), latency - 0.001) << "timer granularity at most";
  EXPECT_LT(added, 1.5 * latency) << "median " << seconds[25] << " s, without the toxic " << plain_median() << " s";
  EXPECT_LT(seconds.back(), 10 * latency);
}

TEST(TcpToxics, NoToxicIsAPlainCopy) { EXPECT_LT(plain_median(), 0.2); }

TEST(TcpToxics, DownstreamLatencyDelaysTheResponseOnly) {
  const auto proxy = start_tcp_proxy(flag_backend(), {"latency,latency=200"});
  expect_latency(fifty_fetches(proxy), 0.2);  // 200 ms a request-response, not 400
}

TEST(TcpToxics, UpstreamLatencyDelaysTheRequest) {
  const auto proxy = start_tcp_proxy(flag_backend(), {"latency:upstream,latency=200"});
  expect_latency(fifty_fetches(proxy), 0.2);
}

TEST(TcpToxics, TwoLatencyToxicsAdd) {
  const auto proxy = start_tcp_proxy(flag_backend(), {"latency,name=a,latency=100", "latency,name=b,latency=100"});
  expect_latency(fifty_fetches(proxy), 0.2);
}

TEST(TcpToxics, LatencyIsPipelinedAndKeepsOrder) {
  // Ten chunks 50 ms apart behind a 300 ms latency with jitter: each is delayed
  // from its own arrival (about 0.75 s in all), not after the one before (3 s).
  SocketPeer backend([](int fd) {
    char byte;
    if (::recv(fd, &byte, 1, 0) <= 0) return;
    for (char c = 'a'; c < 'a' + 10; ++c) {
      send_all(fd, std::string(100, c));
      std::this_thread::sleep_for(50ms);  // the backend's pace, not synchronisation
    }
  });
  const auto proxy = start_tcp_proxy(backend.address(), {"latency,latency=300,jitter=40"}, {"--seed", "3"});
  Client client(proxy.port());
  const auto sent = Clock::now();
  send_all(client.fd, "x");
  const auto got = read_until_end(client.fd);
  EXPECT_EQ(got.how, "eof");
  std::string expected;
  for (char c = 'a'; c < 'a' + 10; ++c) expected += std::string(100, c);
  EXPECT_EQ(got.bytes, expected);  // in order whatever the jitter drew
  EXPECT_GE(seconds_between(sent, got.first_byte), 0.26);
  EXPECT_LT(seconds_between(sent, got.end), 1.5);
}

// Downstream bandwidth: 200 KB at 200 KB/s take a second (within 10 %).
TEST(TcpToxics, DownstreamBandwidthThrottles) {
  const auto backend = answering(std::string(200'000, 'b'), true);
  const auto proxy = start_tcp_proxy(backend.address(), {"bandwidth,rate=200"});
  const auto [start, got] = exchange(proxy.port(), "x");
  EXPECT_EQ(got.bytes.size(), 200'000u);
  const double took = seconds_between(start, got.end);
  EXPECT_GE(took, 0.9);
  EXPECT_LE(took, 1.1);
}

TEST(TcpToxics, UpstreamBandwidthThrottles) {
  std::atomic<double> took = 0;
  SocketPeer backend([&took](int fd) {
    const std::string first = read_n(fd, 1);
    const auto start = Clock::now();
    const std::string rest = read_n(fd, 200'000 - 1);
    took = seconds_between(start, Clock::now());
    send_all(fd, std::to_string(first.size() + rest.size()));
  });
  const auto proxy = start_tcp_proxy(backend.address(), {"bandwidth:upstream,rate=200"});
  Client client(proxy.port());
  const auto start = Clock::now();
  send_all(client.fd, std::string(200'000, 'u'));
  const auto got = read_until_end(client.fd);
  EXPECT_EQ(got.bytes, "200000");
  const double elapsed = seconds_between(start, got.end);
  EXPECT_GE(elapsed, 0.9);
  EXPECT_LE(elapsed, 1.1);
  EXPECT_GE(took.load(), 0.85);  // the backend saw the bytes trickle in, not come at once after a wait
}

TEST(TcpToxics, DownstreamSlicerMakesManySmallReads) {
  const auto backend = answering(std::string(10'000, 's'), true);
  const auto proxy = start_tcp_proxy(backend.address(), {"slicer,average_size=100,size_variation=20,delay=1000"});
  const auto got = exchange(proxy.port(), "x").got;
  EXPECT_EQ(got.bytes, std::string(10'000, 's'));
  EXPECT_GE(got.reads.size(), 50u);  // about 100 slices 1 ms apart; one or two reads without the toxic
  EXPECT_LE(*std::max_element(got.reads.begin(), got.reads.end()), 1000u);
}

TEST(TcpToxics, UpstreamSlicerMakesManySmallReads) {
  std::mutex mutex;
  std::vector<std::size_t> reads;
  SocketPeer backend([&](int fd) {
    std::vector<std::size_t> mine;
    read_n(fd, 10'000, &mine);
    {
      const std::lock_guard lock(mutex);
      reads = mine;
    }
    send_all(fd, "ok");  // after the reads are recorded: the client checks them when this comes
  });
  const auto proxy = start_tcp_proxy(backend.address(), {"slicer:upstream,average_size=100,delay=1000"});
  Client client(proxy.port());
  send_all(client.fd, std::string(10'000, 'u'));
  EXPECT_EQ(read_n(client.fd, 2), "ok");
  const std::lock_guard lock(mutex);
  EXPECT_GE(reads.size(), 50u);
}

TEST(TcpToxics, DownstreamLimitDataPassesExactlyThatManyBytesThenCloses) {
  const auto backend = answering(std::string(5'000, 'l'), false);  // then holds the connection open
  const auto proxy = start_tcp_proxy(backend.address(), {"limit_data,bytes=1000"});
  const auto got = exchange(proxy.port(), "x").got;
  EXPECT_EQ(got.bytes.size(), 1000u);
  EXPECT_EQ(got.how, "eof");
}

TEST(TcpToxics, UpstreamLimitDataPassesExactlyThatManyBytesThenCloses) {
  std::atomic<std::size_t> received = 0;
  std::atomic<bool> ended = false;
  SocketPeer backend([&](int fd) {
    received = read_n(fd, 100'000).size();  // until the proxy closes
    ended = true;
  });
  const auto proxy = start_tcp_proxy(backend.address(), {"limit_data:upstream,bytes=1000"});
  Client client(proxy.port());
  send_all(client.fd, std::string(5'000, 'u'));
  const auto got = read_until_end(client.fd);
  EXPECT_NE(got.how, "timeout");  // closed both ways
  const auto deadline = Clock::now() + 10s;
  while (!ended && Clock::now() < deadline) std::this_thread::sleep_for(1ms);  // polling a condition
  EXPECT_TRUE(ended);
  EXPECT_EQ(received.load(), 1000u);
}

TEST(TcpToxics, DownstreamResetPeerResetsAfterTheFirstData) {
  const auto backend = answering("hello", false);
  const auto proxy = start_tcp_proxy(backend.address(), {"reset_peer,timeout=100"});
  const auto [start, got] = exchange(proxy.port(), "x");
  EXPECT_EQ(got.how, "reset");
  EXPECT_EQ(got.bytes, "");
  EXPECT_GE(seconds_between(start, got.end), 0.1);
  EXPECT_LT(seconds_between(start, got.end), 1.0);
}

TEST(TcpToxics, UpstreamResetPeerResetsAfterTheFirstData) {
  const auto backend = answering("hello", false);
  const auto proxy = start_tcp_proxy(backend.address(), {"reset_peer:upstream,timeout=100"});
  const auto [start, got] = exchange(proxy.port(), "x");
  EXPECT_EQ(got.how, "reset");
  EXPECT_GE(seconds_between(start, got.end), 0.1);
}

TEST(TcpToxics, DownstreamSlowCloseSendsTheFinLate) {
  const auto backend = answering("hello", true);
  const auto proxy = start_tcp_proxy(backend.address(), {"slow_close,delay=300"});
  const auto got = exchange(proxy.port(), "x").got;
  EXPECT_EQ(got.bytes, "hello");
  EXPECT_EQ(got.how, "eof");
  EXPECT_GE(seconds_between(got.first_byte, got.end), 0.29);  // the data took a few ms of it to arrive
  EXPECT_LT(seconds_between(got.first_byte, got.end), 3.0);
}

TEST(TcpToxics, UpstreamSlowClosePassesTheHalfCloseLate) {
  std::atomic<double> fin_after = 0;
  SocketPeer backend([&](int fd) {
    const std::string first = read_n(fd, 1);
    const auto start = Clock::now();
    read_n(fd, 1);  // the FIN
    fin_after = seconds_between(start, Clock::now());
    send_all(fd, "bye");
  });
  const auto proxy = start_tcp_proxy(backend.address(), {"slow_close:upstream,delay=300"});
  Client client(proxy.port());
  send_all(client.fd, "x");
  ::shutdown(client.fd, SHUT_WR);
  const auto got = read_until_end(client.fd);
  EXPECT_EQ(got.bytes, "bye");  // the half-close went on, and the answer came back
  EXPECT_EQ(got.how, "eof");
  EXPECT_GE(fin_after.load(), 0.29);  // counted from the proxy's EOF, a little before the data reached the backend
  EXPECT_LT(fin_after.load(), 3.0);
}

TEST(TcpToxics, DownstreamTimeoutDropsTheDataThenCloses) {
  const auto backend = answering("hello", false);
  const auto proxy = start_tcp_proxy(backend.address(), {"timeout,timeout=300"});
  const auto [start, got] = exchange(proxy.port(), "x");
  EXPECT_EQ(got.bytes, "");
  EXPECT_EQ(got.how, "eof");
  EXPECT_GE(seconds_between(start, got.end), 0.29);
  EXPECT_LT(seconds_between(start, got.end), 3.0);
}

TEST(TcpToxics, UpstreamTimeoutDropsTheDataThenCloses) {
  std::atomic<std::size_t> received = 0;
  SocketPeer backend([&](int fd) { received = read_n(fd, 100).size(); });
  const auto proxy = start_tcp_proxy(backend.address(), {"timeout:upstream,timeout=300"});
  const auto [start, got] = exchange(proxy.port(), "request");
  EXPECT_EQ(got.how, "eof");
  EXPECT_GE(seconds_between(start, got.end), 0.29);
  EXPECT_EQ(received.load(), 0u);
}

TEST(TcpToxics, TimeoutZeroNeverCloses) {
  const auto backend = answering("hello", false);
  const auto proxy = start_tcp_proxy(backend.address(), {"timeout,timeout=0"});
  Client client(proxy.port());
  send_all(client.fd, "x");
  const auto got = read_until_end(client.fd, 700ms);  // a bounded wait: nothing, and no close
  EXPECT_EQ(got.how, "timeout");
  EXPECT_EQ(got.bytes, "");
}

TEST(TcpToxics, ToxicityIsSeededPerConnection) {
  const auto proxy = start_tcp_proxy(flag_backend(), {"noop@0.3"}, {"--seed", "42"});
  std::vector<std::string> targets(1000, flag_path("AD"));
  const auto fetches = fetch_all(proxy.port(), targets, 50, 60s);
  std::size_t ok = 0;
  for (const auto& f : fetches) ok += f.status == 200;
  EXPECT_EQ(ok, 1000u);
  const auto reply = http_get(proxy.port(1), "/proxies/proxy");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto counters = nlohmann::json::parse(reply.body)["counters"];
  const auto applied = counters["by_toxic"].value("noop_downstream", 0);
  EXPECT_GE(applied, 255);
  EXPECT_LE(applied, 345);
  // The same seed, the same rolls.
  const auto again = start_tcp_proxy(flag_backend(), {"noop@0.3"}, {"--seed", "42"});
  fetch_all(again.port(), targets, 50, 60s);
  const auto second = nlohmann::json::parse(http_get(again.port(1), "/proxies/proxy").body)["counters"];
  EXPECT_EQ(second["by_toxic"].value("noop_downstream", 0), applied);
}

}  // namespace
