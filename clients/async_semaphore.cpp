#include "async_semaphore.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace platespin {

namespace asio = boost::asio;

AsyncSemaphore::AsyncSemaphore(asio::any_io_executor executor, std::size_t permits)
    : wakeup_(std::move(executor), asio::steady_timer::time_point::max()), permits_(permits) {}

asio::awaitable<void> AsyncSemaphore::acquire() {
  while (permits_ == 0) {
    boost::system::error_code woken;  // operation_aborted: release() cancelled this wait
    co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
  }
  --permits_;
}

void AsyncSemaphore::release() {
  ++permits_;
  wakeup_.cancel_one();
}

}  // namespace platespin
