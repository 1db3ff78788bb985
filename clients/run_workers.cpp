#include "run_workers.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace platespin {

namespace asio = boost::asio;

asio::awaitable<std::exception_ptr> run_workers(std::size_t count, std::size_t per_turn,
                                                std::function<asio::awaitable<void>()> make_worker) {
  const auto executor = co_await asio::this_coro::executor;
  std::size_t running = count;
  std::exception_ptr failure;
  // Cancelled by the last worker to finish. A timer's cancel() only wakes a
  // wait already in place: when every worker is done before we get to wait
  // (the list ran out while the last ones were being started, -m 1000 on a
  // fast server), that cancel() woke nobody and the wait below would be
  // forever. So the wait is only entered while workers still run; on this one
  // thread nothing runs between that test and the wait being in place.
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (std::size_t w = 0; w < count; ++w) {
    asio::co_spawn(executor, make_worker(), [&](std::exception_ptr e) {
      if (e && !failure) failure = e;
      if (--running == 0) all_done.cancel();
    });
    if (per_turn > 0 && (w + 1) % per_turn == 0) co_await asio::post(executor, asio::use_awaitable);  // let the loop turn
  }
  if (running > 0) {
    boost::system::error_code ignored;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return failure;
}

}  // namespace platespin
