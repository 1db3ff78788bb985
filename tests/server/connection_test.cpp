// flag_server under many requests and connections: keep-alive, 500 clients at
// once, the connection cap, idle timeouts and SIGTERM with clients attached.
// (The one test file that uses Beast, for a persistent client connection.)
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <fstream>
#include <iterator>
#include <thread>

#include "http.hpp"
#include "services.hpp"

using namespace platespin;
using platespin::test::read_file;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

tcp::endpoint local(std::uint16_t port) { return {asio::ip::make_address("127.0.0.1"), port}; }

http::request<http::empty_body> get(const std::string& target) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  return req;
}

// Reads until the server closes; true when that happens before `timeout`.
bool closed_by_server(tcp::socket& socket, std::chrono::seconds timeout) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(timeout);
  std::string sink;
  beast::error_code ec;
  asio::read(stream, asio::dynamic_buffer(sink), ec);
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

TEST(FlagServerConnections, AThousandRequestsOnOneKeepAliveConnection) {
  const auto server = test::start_service("flag_server", {"--port", "0", "--threads", "1"});
  const std::string ad = read_file(test::data_root() / "flags/ad/ad.gif");
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(120));
  stream.connect(local(server.port()));
  beast::flat_buffer buffer;
  for (int i = 0; i < 1000; ++i) {
    http::write(stream, get(i % 10 == 9 ? "/flags/zz/zz.gif" : "/flags/ad/ad.gif"));
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    ASSERT_EQ(res.result_int(), i % 10 == 9 ? 404u : 200u) << "request " << i;
    if (i % 10 != 9) {
      ASSERT_EQ(res.body(), ad) << "request " << i;
    }
    ASSERT_TRUE(res.keep_alive()) << "request " << i;
  }
}

TEST(FlagServerConnections, FiveHundredConcurrentConnections) {
  const auto server = test::start_service("flag_server", {"--port", "0", "--threads", "2"});
  const std::string br = read_file(test::data_root() / "flags/br/br.gif");
  asio::io_context io;
  std::vector<beast::tcp_stream> clients;
  clients.reserve(500);
  for (int i = 0; i < 500; ++i) {
    clients.emplace_back(io);
    clients.back().expires_after(std::chrono::seconds(60));
    clients.back().connect(local(server.port()));
  }
  // Every connection is open before any request: the server holds all 500 at once.
  for (auto& c : clients) http::write(c, get("/flags/br/br.gif"));
  std::size_t ok = 0;
  for (auto& c : clients) {
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(c, buffer, res);
    ok += res.result_int() == 200 && res.body() == br;
  }
  EXPECT_EQ(ok, 500u);
}

TEST(FlagServerConnections, OverMaxConnectionsNewOnesAreClosedAtOnce) {
  const auto server = test::start_service("flag_server", {"--port", "0", "--max-connections", "2"});
  asio::io_context io;
  tcp::socket first(io), second(io);
  first.connect(local(server.port()));
  second.connect(local(server.port()));
  // The accept loop takes connections in order, so these two are counted before the third.
  tcp::socket third(io);
  third.connect(local(server.port()));
  asio::write(third, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  EXPECT_TRUE(closed_by_server(third, std::chrono::seconds(10)));

  // The two admitted connections are served normally.
  beast::tcp_stream admitted(std::move(first));
  admitted.expires_after(std::chrono::seconds(10));
  http::write(admitted, get("/healthz"));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(admitted, buffer, res);
  EXPECT_EQ(res.result_int(), 200u);
}

TEST(FlagServerConnections, IdleAndSlowClientsAreDroppedAfterTheIdleTimeout) {
  const auto server = test::start_service("flag_server", {"--port", "0", "--idle-timeout", "1"});
  asio::io_context io;
  tcp::socket idle(io), slow(io);
  idle.connect(local(server.port()));
  slow.connect(local(server.port()));
  asio::write(slow, asio::buffer(std::string("GET /flags/ad/ad.gif HTTP/1.1\r\nHost: x\r\n")));  // never finished
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_server(idle, std::chrono::seconds(20)));
  EXPECT_TRUE(closed_by_server(slow, std::chrono::seconds(20)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << "10x the 1 s idle timeout";
  EXPECT_EQ(test::http_get(server.port(), "/healthz").status, 200);
}

// A root holding one file of `bytes` bytes, /flags/big/big.bin, none alike
// in a row, so a lost or repeated piece shows.
std::filesystem::path root_with_big_file(std::size_t bytes, std::string& content) {
  const auto root = test::temp_dir("bigfile");
  std::filesystem::create_directories(root / "flags" / "big");
  content.resize(bytes);
  for (std::size_t i = 0; i < bytes; ++i) content[i] = static_cast<char>((i * 7919 + i / 251) & 0xff);
  std::ofstream(root / "flags" / "big" / "big.bin", std::ios::binary) << content;
  return root;
}

// A client socket with a small receive buffer, so the server cannot hand it
// the whole reply at once: what the client reads is what the server sends.
tcp::socket small_window_socket(asio::io_context& io, std::uint16_t port) {
  tcp::socket socket(io);
  socket.open(tcp::v4());
  socket.set_option(asio::socket_base::receive_buffer_size(64 * 1024));
  socket.connect(local(port));
  return socket;
}

// --no-cache or not: both send a file the same way.
class FlagServerSlowReaders : public ::testing::TestWithParam<bool> {
 protected:
  test::Service start(const std::filesystem::path& root, std::vector<std::string> extra) {
    std::vector<std::string> args{"--port", "0", "--threads", "1", "--root", root.string()};
    if (GetParam()) args.push_back("--no-cache");
    args.insert(args.end(), extra.begin(), extra.end());
    return test::start_service("flag_server", args);
  }
};

// --idle-timeout bounds how long a reader takes no bytes, not the whole reply:
// a reader of 64 KiB every 20 ms takes about 5 s over a 16 MiB file, five times
// the 1 s timeout, and never pauses for more than a fiftieth of it.
TEST_P(FlagServerSlowReaders, ASlowButSteadyReaderGetsTheWholeFile) {
  std::string content;
  const auto root = root_with_big_file(16 << 20, content);
  const auto server = start(root, {"--idle-timeout", "1"});
  asio::io_context io;
  tcp::socket socket = small_window_socket(io, server.port());
  const std::string request = "GET /flags/big/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  std::string received;
  std::vector<char> piece(64 * 1024);
  for (;;) {
    beast::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(piece), ec);
    received.append(piece.data(), n);
    if (ec) break;  // the server closed: after the whole reply, or when it gave up on us
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the reader's pace, not a wait for an event
  }
  const auto head_end = received.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  const std::size_t body_bytes = received.size() - head_end - 4;
  EXPECT_EQ(body_bytes, content.size()) << "the server cut the reply";
  EXPECT_TRUE(received.compare(head_end + 4, std::string::npos, content) == 0);
}

// A reader that stops altogether is still dropped after the idle timeout.
TEST_P(FlagServerSlowReaders, AReaderThatStopsIsDroppedAfterTheIdleTimeout) {
  std::string content;
  const auto root = root_with_big_file(16 << 20, content);
  auto server = start(root, {"--idle-timeout", "1", "--access-log"});
  asio::io_context io;
  tcp::socket socket = small_window_socket(io, server.port());
  asio::write(socket, asio::buffer(std::string("GET /flags/big/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")));
  // We read nothing, so our window and the server's send buffer fill and its
  // writes stop making progress. Its access-log line, written when a reply
  // ends, says when it gave up on this one.
  const auto start = std::chrono::steady_clock::now();
  const std::string line = server.process->read_line(std::chrono::seconds(60));
  EXPECT_NE(line.find("/flags/big/big.bin"), std::string::npos) << line;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << "10x the 1 s idle timeout";
  // Then it closed the connection: what it had sent arrives, then the end, short of the file.
  std::string received;
  beast::error_code ec;
  asio::read(socket, asio::dynamic_buffer(received), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_LT(received.size(), content.size());
}

INSTANTIATE_TEST_SUITE_P(CachedAndNoCache, FlagServerSlowReaders, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "no_cache" : "cached"; });

// A process's resident memory in bytes (VmRSS in /proc/PID/status).
std::uint64_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  return 0;
}

// --no-cache sends a file a piece at a time: readers stalled in the middle of
// a 16 MiB file cost the server far less than a copy of it each.
TEST(FlagServerNoCache, StalledReadersDoNotEachHoldACopyOfTheFile) {
  constexpr std::size_t kFileBytes = 16 << 20;
  constexpr int kReaders = 8;
  std::string content;
  const auto root = root_with_big_file(kFileBytes, content);
  const auto server =
      test::start_service("flag_server", {"--port", "0", "--threads", "1", "--no-cache", "--root", root.string()});
  ASSERT_EQ(test::http_get(server.port(), "/flags/big/big.bin").body.size(), kFileBytes);  // whatever one reply leaves
  const std::uint64_t before = resident_bytes(server.process->pid());
  ASSERT_GT(before, 0u);

  asio::io_context io;
  std::vector<tcp::socket> readers;
  for (int i = 0; i < kReaders; ++i) {
    readers.push_back(small_window_socket(io, server.port()));
    asio::write(readers.back(), asio::buffer(std::string("GET /flags/big/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")));
    // Once the head is here the server has started sending the file; then we stop reading.
    std::string head;
    asio::read_until(readers.back(), asio::dynamic_buffer(head), "\r\n\r\n");
    ASSERT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  }
  const std::uint64_t grown = resident_bytes(server.process->pid()) - before;
  // A copy per reader would be kReaders x 16 MiB = 128 MiB.
  EXPECT_LT(grown, 2 * kFileBytes) << "resident memory grew by " << grown / 1024 << " KiB";
}

TEST(FlagServerConnections, SigtermClosesIdleKeepAliveConnectionsAndExitsZero) {
  auto server = test::start_service("flag_server", {"--port", "0", "--threads", "2"});
  asio::io_context io;
  beast::tcp_stream kept(io);
  kept.expires_after(std::chrono::seconds(30));
  kept.connect(local(server.port()));
  http::write(kept, get("/flags/ad/ad.gif"));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(kept, buffer, res);
  ASSERT_TRUE(res.keep_alive());

  server.process->signal(SIGTERM);
  tcp::socket socket = kept.release_socket();
  EXPECT_TRUE(closed_by_server(socket, std::chrono::seconds(20)));
  const auto exit = server.process->wait(std::chrono::seconds(20));
  EXPECT_EQ(exit.signal, 0);
  EXPECT_EQ(exit.exit_code, 0);
}

}  // namespace
