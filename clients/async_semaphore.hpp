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

  // Returns when a permit is taken: at once when one is free, else when a
  // release() hands one over, first come, first served.
  boost::asio::awaitable<void> acquire();
  // Hands the permit to the longest waiter (it resumes on a later turn of the
  // loop, never inside this call), or keeps it free when none waits. Handed
  // over, not freed: the releasing coroutine cannot take it back at once
  // ahead of the waiters (flags3's second GET behind the other codes' first).
  void release();

 private:
  // Waiters wait on a timer that never expires; release() cancels one wait.
  // A wait cannot be cancelled otherwise: its permit would be lost.
  boost::asio::steady_timer wakeup_;
  std::size_t permits_;
  std::size_t waiting_ = 0;
};

}  // namespace platespin
