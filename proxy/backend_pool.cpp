#include "backend_pool.hpp"

#include "client_watch.hpp"
#include "resolve.hpp"

namespace platespin::proxy {

namespace asio = boost::asio;

BackendPool::BackendPool(const LoopExecutor& ex, Endpoint upstream, std::chrono::steady_clock::duration timeout,
                         std::size_t max_open, ListenerGauges& gauges)
    : upstream_(std::move(upstream)),
      timeout_(timeout),
      max_open_(max_open),
      gauges_(gauges),
      slot_freed_(ex, Timer::time_point::max()) {}

BackendPool::~BackendPool() {
  while (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    --gauges_.backend_idle;
    close(std::move(c));
  }
}

Task<std::unique_ptr<BackendConnection>> BackendPool::acquire(bool fresh) {
  for (;;) {
    while (!fresh && !idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      --gauges_.backend_idle;
      // Closed by the backend while idle, or sent bytes nobody asked for: not an answer to our next request.
      if (pending(c->stream.socket()) != Pending::nothing) {
        close(std::move(c));
        continue;
      }
      c->reused = true;
      co_return c;
    }
    if (fresh && !idle_.empty() && open_ >= max_open_) {  // make room: an idle one is as good as closed
      auto c = std::move(idle_.front());
      idle_.erase(idle_.begin());
      --gauges_.backend_idle;
      close(std::move(c));
    }
    if (open_ < max_open_ && connecting_ < kMaxConnecting) break;
    co_await slot_freed_.async_wait(use_nothrow);
  }
  ++open_;
  ++gauges_.backend_connections;
  auto c = std::make_unique<BackendConnection>(co_await asio::this_coro::executor);
  c->stream.expires_after(timeout_);
  ++connecting_;
  boost::system::error_code ec;
  try {
    const auto addresses = co_await async_resolve<LoopExecutor>(upstream_.host, upstream_.port);
    std::tie(ec, std::ignore) = co_await c->stream.async_connect(addresses, use_nothrow);
  } catch (const boost::system::system_error& e) {
    ec = e.code();
  }
  --connecting_;
  slot_freed_.cancel_one();
  if (ec) {
    close(std::move(c));
    throw boost::system::system_error(ec);
  }
  c->stream.socket().set_option(asio::ip::tcp::no_delay(true));
  co_return c;
}

void BackendPool::release(std::unique_ptr<BackendConnection> connection, bool reusable) {
  // Anything unread after a complete response (a body after a 204, 304 or a
  // HEAD answer, an extra response) would be served to the next client as its
  // answer: such a connection is closed, never pooled. (What is still in the
  // socket is looked for when it is taken again, one system call, not two.)
  if (!reusable || connection->buffer.size() > 0) return close(std::move(connection));
  connection->stream.expires_never();
  idle_.push_back(std::move(connection));
  ++gauges_.backend_idle;
  slot_freed_.cancel_one();
}

void BackendPool::close(std::unique_ptr<BackendConnection> connection) {
  boost::system::error_code ignored;
  connection->stream.socket().close(ignored);
  --open_;
  --gauges_.backend_connections;
  slot_freed_.cancel_one();
}

}  // namespace platespin::proxy
