#pragma once
// Waiting on the event loop while watching the client: a client that closes
// its connection during a delay or a hang frees its timer and socket at once.
#include <sys/socket.h>

#include <boost/asio/this_coro.hpp>
#include <cerrno>
#include <memory>

#include "fate.hpp"
#include "loop_executor.hpp"

namespace platespin::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// What is waiting to be read on a socket, looked at without reading it.
enum class Pending {
  nothing,
  bytes,
  end,    // the peer has sent all it will (a FIN): closed, or only half-closed and still reading
  reset,  // the connection is gone (a reset or another error)
};
inline Pending pending(Socket& socket) {
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return Pending::bytes;
  if (n == 0) return Pending::end;
  if (errno != EAGAIN && errno != EWOULDBLOCK) return Pending::reset;
  return Pending::nothing;
}

// Waits until the socket is readable: true when the peer ended or reset the
// connection, false when it sent bytes (a pipelined request, left for later).
inline Task<bool> peer_closed(Socket& socket) {
  auto [ec] = co_await socket.async_wait(Socket::wait_read, use_nothrow);
  co_return ec || pending(socket) >= Pending::end;
}

// Waits `duration`; returns false as soon as the client resets the connection
// instead. A FIN is not taken as leaving: the client may only have shut its
// sending side and still wait for the answer (`nc -N`, some HTTP/1.0 clients),
// so, as haproxy does without abortonclose, the wait runs to its end.
// (One timer and one readiness wait with a plain handler: awaitable_operators'
// `||` costs two coroutines and a parallel group, and 1,000 delays end together.)
inline Task<bool> wait_unless_client_leaves(Socket& client, Micros duration) {
  struct Watch {
    bool timer_done = false;
    bool readable = false;
  };
  Timer timer(co_await asio::this_coro::executor, duration);
  const auto watch = std::make_shared<Watch>();
  client.async_wait(Socket::wait_read, [watch, &timer](const boost::system::error_code& ec) {
    if (watch->timer_done) return;  // late: the timer and the coroutine have moved on
    watch->readable = !ec;
    timer.cancel();
  });
  for (;;) {
    co_await timer.async_wait(use_nothrow);
    if (!watch->readable) break;  // the time is up
    const Pending now = pending(client);
    if (now == Pending::reset) co_return false;
    // It sent more (pipelining) or ended its side: either way nothing more to watch; wait the rest.
    watch->readable = false;
    timer.expires_at(timer.expiry());
  }
  watch->timer_done = true;
  boost::system::error_code ignored;
  client.cancel(ignored);  // ends the readiness wait (its handler sees timer_done)
  co_return true;
}

// Holds the connection until the client leaves (or sends more, which a hang ignores).
inline Task<void> wait_until_client_leaves(Socket& client) {
  while (!co_await peer_closed(client)) {
    char discard[4096];
    auto [ec, n] = co_await client.async_read_some(asio::buffer(discard), use_nothrow);
    if (ec) co_return;
  }
}

// Closes with a TCP reset instead of a FIN.
inline void reset_connection(Socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

}  // namespace platespin::proxy
