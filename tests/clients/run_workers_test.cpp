// run_workers() with workers that finish at once, the case that was lost:
// when every worker was done before the run began to wait for them, the
// "all done" signal had woken nobody and the wait never ended. Each run is
// bounded: io_context::run_for gives up after 10 s (a run takes microseconds).
#include "run_workers.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <stdexcept>

using namespace platespin;
namespace asio = boost::asio;

namespace {

// Runs run_workers(count, 8, ...) to its end; nullopt when it did not end in 10 s.
std::optional<std::exception_ptr> run(std::size_t count, const std::function<asio::awaitable<void>()>& make) {
  asio::io_context io(1);
  std::optional<std::exception_ptr> result;
  asio::co_spawn(io, run_workers(count, 8, make), [&](std::exception_ptr e, std::exception_ptr failure) {
    result = e ? e : failure;
  });
  io.run_for(std::chrono::seconds(10));
  return result;
}

}  // namespace

TEST(RunWorkers, WorkersThatFinishAtOnceAreAllAwaitedForEveryCount) {
  for (const std::size_t count : {0, 1, 7, 8, 9, 15, 16, 17, 1000}) {
    std::size_t finished = 0;
    const auto result = run(count, [&]() -> asio::awaitable<void> {
      ++finished;
      co_return;
    });
    ASSERT_TRUE(result.has_value()) << count << " workers: run_workers never returned";
    EXPECT_EQ(*result, nullptr);
    EXPECT_EQ(finished, count);
  }
}

TEST(RunWorkers, WorkersThatWaitAreAwaitedToo) {
  for (const std::size_t count : {1, 8, 9, 16, 1000}) {
    std::size_t finished = 0;
    const auto result = run(count, [&]() -> asio::awaitable<void> {
      for (int turn = 0; turn < 3; ++turn) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      ++finished;
    });
    ASSERT_TRUE(result.has_value()) << count;
    EXPECT_EQ(finished, count);
  }
}

TEST(RunWorkers, TheFirstExceptionComesBackAfterAllFinished) {
  std::size_t finished = 0;
  const auto result = run(16, [&]() -> asio::awaitable<void> {
    if (++finished == 3) throw std::runtime_error("third");
    co_return;
  });
  ASSERT_TRUE(result.has_value());
  ASSERT_NE(*result, nullptr);
  EXPECT_THROW(std::rethrow_exception(*result), std::runtime_error);
  EXPECT_EQ(finished, 16u);
}
