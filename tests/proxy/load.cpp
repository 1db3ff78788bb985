#include "load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace platespin::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

void parse_into(const std::string& raw, Fetch& fetch) {
  const auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return;
  fetch.status = std::stoi(raw.substr(9, 3));
  fetch.body_bytes = raw.size() - end - 4;
}

asio::awaitable<void> worker(std::uint16_t port, std::vector<Fetch>& results, std::size_t& next) {
  const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);
  while (next < results.size()) {
    Fetch& fetch = results[next++];
    const auto started = std::chrono::steady_clock::now();
    tcp::socket socket(co_await asio::this_coro::executor);
    auto [ec] = co_await socket.async_connect(at, nothrow);
    if (!ec) {
      const std::string req = "GET " + fetch.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      auto [wec, w] = co_await asio::async_write(socket, asio::buffer(req), nothrow);
      std::string raw;
      co_await asio::async_read(socket, asio::dynamic_buffer(raw), nothrow);  // until close: the status tells
      if (!wec) parse_into(raw, fetch);
    }
    fetch.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
}

}  // namespace

std::vector<Fetch> fetch_all(std::uint16_t port, const std::vector<std::string>& targets, std::size_t concurrency,
                             std::chrono::seconds timeout) {
  std::vector<Fetch> results(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) results[i].target = targets[i];
  std::size_t next = 0;
  asio::io_context io(1);
  for (std::size_t i = 0; i < concurrency; ++i) asio::co_spawn(io, worker(port, results, next), asio::detached);
  io.run_for(timeout);
  return results;
}

Ending exchange_until_end(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context io(1);
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  boost::system::error_code ignored;  // a peer that closes at once may refuse the bytes: the read tells how
  asio::write(socket, asio::buffer(bytes), ignored);
  Ending ending;
  asio::async_read(socket, asio::dynamic_buffer(ending.received), [&](boost::system::error_code ec, std::size_t) {
    ending.how = ec == asio::error::eof ? "eof" : ec == asio::error::connection_reset ? "reset" : "timeout";
  });
  io.run_for(timeout);
  if (ending.how.empty()) {  // still reading: cancel, so the buffer holds only what came
    socket.cancel();
    io.restart();
    io.run();
  }
  return ending;
}

struct OpenConnection::Impl {
  asio::io_context io{1};
  tcp::socket socket{io};
};

OpenConnection::OpenConnection(std::uint16_t port, const std::string& bytes) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(impl_->socket, asio::buffer(bytes));
}

OpenConnection::~OpenConnection() = default;

void OpenConnection::reset() {
  impl_->socket.set_option(asio::socket_base::linger(true, 0));
  impl_->socket.close();
}

}  // namespace platespin::test
