// AsyncSemaphore on one io_context: at most N holders, waiters served first
// come, first served, and a released permit goes to a waiter, not back to
// the coroutine that gave it up (which would starve the others).
#include "async_semaphore.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <vector>

using namespace platespin;
namespace asio = boost::asio;

namespace {

// Takes the permit `times` times, holding it over one turn of the loop each time.
asio::awaitable<void> take(AsyncSemaphore& semaphore, std::string name, int times, std::vector<std::string>& log,
                           int& holders, int& most) {
  for (int t = 0; t < times; ++t) {
    co_await semaphore.acquire();
    log.push_back(name);
    most = std::max(most, ++holders);
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    --holders;
    semaphore.release();
  }
}

}  // namespace

TEST(AsyncSemaphore, OnePermitGoesRoundInArrivalOrder) {
  asio::io_context io(1);
  AsyncSemaphore semaphore(io.get_executor(), 1);
  std::vector<std::string> log;
  int holders = 0, most = 0;
  for (const std::string name : {"a", "b", "c"})
    asio::co_spawn(io, take(semaphore, name, 2, log, holders, most), asio::detached);
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b", "c", "a", "b", "c"}));
  EXPECT_EQ(most, 1);
}

TEST(AsyncSemaphore, NeverMoreHoldersThanPermits) {
  asio::io_context io(1);
  AsyncSemaphore semaphore(io.get_executor(), 3);
  std::vector<std::string> log;
  int holders = 0, most = 0;
  for (int i = 0; i < 50; ++i)
    asio::co_spawn(io, take(semaphore, std::to_string(i), 3, log, holders, most), asio::detached);
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(log.size(), 150u);
  EXPECT_EQ(most, 3);
  EXPECT_EQ(holders, 0);
}
