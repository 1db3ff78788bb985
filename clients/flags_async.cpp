// flags_async: one thread, one io_context, C++20 coroutines (the book's
// flags2_asyncio.py). `concurrency` worker coroutines each keep a connection
// and take the next code; so at most that many requests are in flight. All
// of them run on this one thread: the shared state below needs no lock, and a
// coroutine can only be suspended or cancelled where it says co_await.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "download_one.hpp"
#include "flags_common.hpp"
#include "run_workers.hpp"

namespace {

using namespace platespin;
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

// What every coroutine of the run shares (one thread: no locks).
struct Run {
  const DownloadJob& job;
  ItemReporter& reporter;
  std::vector<ItemResult> items;
  std::size_t next = 0;
  std::exception_ptr failure;  // an unexpected exception (a flag that cannot be saved is its item's error)
};

asio::awaitable<void> worker(Run& run) {
  const FlagRequest& request = run.job.request;
  HttpConnection connection(co_await asio::this_coro::executor, request.server, request.addresses, request.http);
  while (run.next < run.job.codes.size() && !run.failure) {
    const std::size_t i = run.next++;
    run.items[i] = co_await download_one(connection, run.job.codes[i], request);
    run.reporter.finished(run.items[i]);
  }
}

// Workers started per turn of the event loop. Started all at once, 1,000
// workers would each open a connection before any of them could send its
// request (the loop runs ready handlers in order), and the requests would
// reach the server in one burst after the last connect. Started a few at a
// time, each sends its request as soon as its connection is up: the run ends
// about 15 ms sooner through a delay proxy at -m 1000.
constexpr std::size_t kStartsPerTurn = 8;

// Starts the workers and returns when the last one is done; never throws (so
// that `||` below ends the progress coroutine in every case).
asio::awaitable<void> download_all(Run& run) {
  const auto failure = co_await run_workers(static_cast<std::size_t>(run.job.concurrency), kStartsPerTurn,
                                            [&run] { return worker(run); });
  if (failure && !run.failure) run.failure = failure;
}

// Redraws the bar until it is cancelled at its co_await, when download_all ends.
asio::awaitable<void> show_progress(Run& run) {
  asio::steady_timer tick(co_await asio::this_coro::executor);
  for (;;) {
    run.reporter.display().draw(run.reporter.done());
    tick.expires_after(std::chrono::milliseconds(100));
    co_await tick.async_wait(asio::use_awaitable);
  }
}

std::vector<ItemResult> download_many(const DownloadJob& job, ItemReporter& reporter) {
  asio::io_context io(1);
  Run run{job, reporter, std::vector<ItemResult>(job.codes.size()), 0, nullptr};
  if (reporter.display().enabled())
    asio::co_spawn(io, download_all(run) || show_progress(run), asio::detached);
  else
    asio::co_spawn(io, download_all(run), asio::detached);
  io.run();
  reporter.display().finish(reporter.done());
  if (run.failure) std::rethrow_exception(run.failure);
  return std::move(run.items);
}

}  // namespace

int main(int argc, char** argv) {
  return flags_main(argc, argv, {"flags_async", 5, 1000, 10000, "coroutines on one thread"}, download_many);
}
