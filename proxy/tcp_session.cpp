#include "tcp_session.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "client_watch.hpp"
#include "tcp_pump.hpp"

namespace platespin::proxy {

Task<void> serve_tcp(Socket client, ListenerState& listener, const std::vector<tcp::endpoint>& backend,
                     SessionTimeouts timeouts) {
  using namespace asio::experimental::awaitable_operators;
  std::uint64_t roll = 0;
  const TcpFate fate = listener.next_tcp_fate(&roll);
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
  Socket server(client.get_executor());
  Timer deadline(client.get_executor(), timeouts.backend);
  const auto connected =
      co_await (asio::async_connect(server, backend, use_nothrow) || deadline.async_wait(use_nothrow));
  if (connected.index() != 0 || std::get<0>(std::get<0>(connected))) {
    ++listener.counters.backend_errors;
    listener.count_request(fate.behavior, 0);
    co_return;
  }
  const GaugeUp backend_open(listener.gauges.backend_connections);
  boost::system::error_code ignored;
  server.set_option(tcp::no_delay(true), ignored);
  client.set_option(tcp::no_delay(true), ignored);
  FateUpdates updates = [&listener, roll, seen = listener.version()]() mutable -> std::optional<TcpFate> {
    const std::uint64_t now = listener.version();
    if (now == seen) return std::nullopt;
    seen = now;
    return listener.tcp_fate_for(roll);
  };
  co_await relay(std::move(client), std::move(server), fate, std::move(updates), timeouts.client_idle,
                 RelayCounters{listener.counters.bytes_to_backend, listener.counters.bytes_to_client});
  listener.count_request(fate.behavior, 0);
}

}  // namespace platespin::proxy
