#pragma once
// asyncio.Semaphore for coroutines on one thread: the book's bound on requests
// in flight when every code has its own coroutine (flags_async
// --tasks-per-code). No Beast here.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>

namespace platespin {

// The executor must be a single thread: the count is not locked.
class AsyncSemaphore {
 public:
  AsyncSemaphore(boost::asio::any_io_executor executor, std::size_t permits);

  // Returns when a permit is free and taken; waiters are woken first come, first served.
  boost::asio::awaitable<void> acquire();
  // Gives a permit back and wakes the longest waiter (on a later turn of the loop, never inside this call).
  void release();

 private:
  // Waiters wait on a timer that never expires; release() cancels one wait.
  // A woken waiter checks the count again: one that came in meanwhile may
  // have taken the permit, then it waits once more.
  boost::asio::steady_timer wakeup_;
  std::size_t permits_;
};

}  // namespace platespin
