#include "async_semaphore.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace platespin {

namespace asio = boost::asio;

AsyncSemaphore::AsyncSemaphore(asio::any_io_executor executor, std::size_t permits)
    : wakeup_(std::move(executor), asio::steady_timer::time_point::max()), permits_(permits) {}

asio::awaitable<void> AsyncSemaphore::acquire() {
  if (permits_ > 0) {
    --permits_;
    co_return;
  }
  ++waiting_;
  boost::system::error_code woken;  // operation_aborted: release() handed us its permit
  co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
}

void AsyncSemaphore::release() {
  if (waiting_ == 0) {
    ++permits_;
    return;
  }
  --waiting_;
  wakeup_.cancel_one();
}

}  // namespace platespin
