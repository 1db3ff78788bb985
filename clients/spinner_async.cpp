// The talk's first demo with a coroutine: a spinner task turns while the
// supervisor awaits a slow coroutine, then is cancelled at its co_await
// (asyncio's task.cancel()). One thread, no flag, no lock.
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <string>

#include "spinner_cli.hpp"
#include "use_nothrow.hpp"

namespace {

namespace asio = boost::asio;

// Draws |/-\ beside `message` until cancelled while it waits, then erases the line.
asio::awaitable<void> spin(std::string message) {
  static constexpr char kBars[] = "|/-\\";
  asio::steady_timer tick(co_await asio::this_coro::executor);
  std::string status;
  for (std::size_t i = 0;; ++i) {
    status = std::string(1, kBars[i % 4]) + " " + message;
    std::printf("%s%s", status.c_str(), std::string(status.size(), '\b').c_str());
    std::fflush(stdout);
    tick.expires_after(std::chrono::milliseconds(100));
    const auto [ec] = co_await tick.async_wait(platespin::use_nothrow);
    if (ec == asio::error::operation_aborted) break;  // cancelled: the only place it can be
  }
  std::printf("%s%s", std::string(status.size(), ' ').c_str(), std::string(status.size(), '\b').c_str());
}

// Pretend to wait a long time for I/O: the coroutine yields, the spinner turns.
asio::awaitable<int> slow_function(double seconds) {
  asio::steady_timer wait(co_await asio::this_coro::executor,
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds)));
  co_await wait.async_wait(asio::use_awaitable);
  co_return 42;
}

asio::awaitable<int> supervisor(double seconds, asio::cancellation_signal& cancel_spinner) {
  // asyncio.async(spin(...)) only schedules the task: it runs when the
  // supervisor first yields. co_spawn called here would run spin up to its
  // first co_await at once (it dispatches, and we are on the loop's thread)
  // and draw a frame before the print below; posting the spawn queues it.
  const auto executor = co_await asio::this_coro::executor;
  asio::post(executor, [executor, &cancel_spinner] {
    asio::co_spawn(executor, spin("thinking!"), asio::bind_cancellation_slot(cancel_spinner.slot(), asio::detached));
  });
  std::printf("spinner object: <coroutine spin(\"thinking!\") pending on the io_context>\n");
  std::fflush(stdout);
  const int result = co_await slow_function(seconds);
  cancel_spinner.emit(asio::cancellation_type::terminal);
  co_return result;
}

}  // namespace

int main(int argc, char** argv) {
  const auto seconds = platespin::spinner_seconds(
      argc, argv, "A spinner coroutine beside a slow coroutine, cancelled at its await (the talk's spinner_asyncio.py).",
      "spinner_async");
  if (const int* code = std::get_if<int>(&seconds)) return *code;
  asio::io_context io(1);
  asio::cancellation_signal cancel_spinner;
  int result = 0;
  asio::co_spawn(io, supervisor(std::get<double>(seconds), cancel_spinner), [&](std::exception_ptr, int answer) { result = answer; });
  io.run();
  std::printf("Answer: %d\n", result);
  return 0;
}
