#include "tcp_session.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>

#include "client_watch.hpp"

namespace platespin::proxy {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kChunk = 16 * 1024;

asio::awaitable<void> sleep_for(Micros duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(use_nothrow);
}

// Copies `from` to `to` until `from` ends, shaped by the fate; then passes the
// end on (shutdown of the sending side) so the other direction can finish.
// `last_byte` is when a byte last went either way.
asio::awaitable<void> pump(tcp::socket& from, tcp::socket& to, const TcpStream& fate,
                           std::atomic<std::uint64_t>& bytes_written, Clock::time_point& last_byte) {
  std::vector<char> chunk(kChunk);
  const auto started = Clock::now();
  std::uint64_t sent = 0;
  std::size_t step = kChunk;
  const Pacing& pacing = fate.pacing;
  if (pacing.rate_bps > 0) step = static_cast<std::size_t>(std::clamp<std::uint64_t>(pacing.rate_bps / 20, 1, kChunk));
  if (pacing.slice_bytes > 0) step = static_cast<std::size_t>(std::min<std::uint64_t>(pacing.slice_bytes, kChunk));
  for (;;) {
    auto [ec, n] = co_await from.async_read_some(asio::buffer(chunk.data(), step), use_nothrow);
    if (ec) break;
    last_byte = Clock::now();
    if (fate.latency.count() > 0) co_await sleep_for(fate.latency);
    auto [wec, written] = co_await asio::async_write(to, asio::buffer(chunk.data(), n), use_nothrow);
    bytes_written += written;
    if (wec) break;
    sent += written;
    if (pacing.slice_bytes > 0) co_await sleep_for(pacing.slice_gap);
    if (pacing.rate_bps > 0) {
      asio::steady_timer timer(co_await asio::this_coro::executor,
                               started + std::chrono::microseconds(sent * 1'000'000 / pacing.rate_bps));
      co_await timer.async_wait(use_nothrow);
    }
  }
  boost::system::error_code ignored;
  to.shutdown(tcp::socket::shutdown_send, ignored);
}

// Returns once no byte went either way for `idle` (a connection both ends forgot).
asio::awaitable<void> idle_watch(const Clock::time_point& last_byte, Clock::duration idle) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (Clock::now() < last_byte + idle) {
    timer.expires_at(last_byte + idle);
    co_await timer.async_wait(use_nothrow);
  }
}

}  // namespace

asio::awaitable<void> serve_tcp(tcp::socket client, ListenerState& listener, const std::vector<tcp::endpoint>& backend,
                                SessionTimeouts timeouts) {
  using namespace asio::experimental::awaitable_operators;
  const GaugeUp open(listener.gauges.client_connections, std::adopt_lock);  // counted at accept
  const TcpFate fate = listener.next_tcp_fate();
  switch (fate.cut) {
    case TcpFate::Cut::hang: {
      const GaugeUp waiting(listener.gauges.waiting);
      co_await wait_until_client_leaves(client);
      listener.count_request(fate.behavior, 0);
      co_return;
    }
    case TcpFate::Cut::blackout: listener.count_request(fate.behavior, 0); co_return;
    case TcpFate::Cut::reset:
      reset_connection(client);
      listener.count_request(fate.behavior, 0);
      co_return;
    case TcpFate::Cut::none: break;
  }
  tcp::socket server(client.get_executor());
  asio::steady_timer deadline(client.get_executor(), timeouts.backend);
  const auto connected =
      co_await (asio::async_connect(server, backend, use_nothrow) || deadline.async_wait(use_nothrow));
  if (connected.index() != 0 || std::get<0>(std::get<0>(connected))) {
    ++listener.counters.backend_errors;
    listener.count_request(fate.behavior, 0);
    co_return;
  }
  const GaugeUp backend_open(listener.gauges.backend_connections);
  server.set_option(tcp::no_delay(true));
  client.set_option(tcp::no_delay(true));
  Clock::time_point last_byte = Clock::now();
  co_await ((pump(client, server, fate.upstream, listener.counters.bytes_to_backend, last_byte) &&
             pump(server, client, fate.downstream, listener.counters.bytes_to_client, last_byte)) ||
            idle_watch(last_byte, timeouts.client_idle));
  listener.count_request(fate.behavior, 0);
}

}  // namespace platespin::proxy
