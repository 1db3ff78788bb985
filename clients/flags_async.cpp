// flags_async: one thread, one io_context, C++20 coroutines (the book's
// flags2_asyncio.py). By default `concurrency` worker coroutines each keep a
// connection and take the next code; with --tasks-per-code, the book's shape,
// every code has its own coroutine, all scheduled at once, and a semaphore of
// `concurrency` permits (one per connection) bounds the requests in flight.
// Either way at most that many requests are in flight and all of them run on
// this one thread: the shared state below needs no lock, and a coroutine can
// only be suspended or cancelled where it says co_await. With --save-in-pool
// the files are written on a small thread pool, the book's run_in_executor.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "async_semaphore.hpp"
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

// --tasks-per-code: the connections the permits stand for.
struct Connections {
  AsyncSemaphore permits;
  std::vector<HttpConnection> all;
  std::vector<HttpConnection*> idle;  // as many as free permits
};

// A permit and the idle connection that goes with it, given back however the GET ends.
class Lease {
 public:
  explicit Lease(Connections& c) : connections_(c), connection_(c.idle.back()) { c.idle.pop_back(); }
  ~Lease() {
    connections_.idle.push_back(connection_);
    connections_.permits.release();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  HttpConnection& connection() { return *connection_; }

 private:
  Connections& connections_;
  HttpConnection* connection_;
};

// The book's download_one: each GET under `with (yield from semaphore)` on
// its own (flags3 makes two), the permit's connection leased for that GET
// only; reports the code as it completes (as_completed).
asio::awaitable<void> task(Run& run, Connections& connections, std::size_t i) {
  HttpGet leased_get = [&run, &connections](std::string target, Exchange& out) -> asio::awaitable<void> {
    co_await connections.permits.acquire();
    Lease lease(connections);
    // The run is over: end this task too (its lease wakes the next, which ends the same way).
    if (run.failure) std::rethrow_exception(run.failure);
    co_await lease.connection().get(std::move(target), out);
  };
  try {
    co_await download_one(std::move(leased_get), run.job.codes[i], run.job.request, run.items[i]);
  } catch (...) {
    if (!run.failure) run.failure = std::current_exception();  // seen by the tasks still waiting
    throw;
  }
  run.reporter.finished(run.items[i]);
}

// Not in worker(): the copies of the URL and the addresses its constructor
// takes would be temporaries of a full expression holding a co_await, kept in
// the worker's frame for the worker's whole life.
HttpConnection open_connection(const asio::any_io_executor& executor, const FlagRequest& request) {
  return HttpConnection(executor, request.server, request.addresses, request.http);
}

asio::awaitable<void> worker(Run& run) {
  const FlagRequest& request = run.job.request;
  HttpConnection connection = open_connection(co_await asio::this_coro::executor, request);
  while (run.next < run.job.codes.size() && !run.failure) {
    const std::size_t i = run.next++;
    co_await download_one(connection, run.job.codes[i], request, run.items[i]);
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

// --tasks-per-code: schedules one task per code, all in this turn of the loop
// (each runs to its acquire() and waits there), and returns when all are done.
asio::awaitable<void> download_all_tasks(Run& run) {
  const auto executor = co_await asio::this_coro::executor;
  const auto permits = static_cast<std::size_t>(run.job.concurrency);
  Connections connections{AsyncSemaphore(executor, permits), {}, {}};
  connections.all.reserve(permits);
  for (std::size_t c = 0; c < permits; ++c)
    connections.all.emplace_back(executor, run.job.request.server, run.job.request.addresses, run.job.request.http);
  for (auto& connection : connections.all) connections.idle.push_back(&connection);
  std::size_t next = 0;
  const auto failure = co_await run_workers(run.job.codes.size(), 0,
                                            [&] { return task(run, connections, next++); });
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

// Two threads write the files: enough to keep a disk busy, and the network
// thread never waits for one.
constexpr std::size_t kSaveThreads = 2;

std::vector<ItemResult> download_many(const DownloadJob& job, ItemReporter& reporter) {
  asio::io_context io(1);
  asio::thread_pool save_pool(kSaveThreads);
  DownloadJob pooled = job;
  if (job.save_in_pool) pooled.request.save_executor = save_pool.get_executor();
  Run run{pooled, reporter, std::vector<ItemResult>(job.codes.size()), 0, nullptr};
  auto downloads = job.tasks_per_code ? download_all_tasks(run) : download_all(run);
  if (reporter.display().enabled())
    asio::co_spawn(io, std::move(downloads) || show_progress(run), asio::detached);
  else
    asio::co_spawn(io, std::move(downloads), asio::detached);
  io.run();
  reporter.display().finish(reporter.done());
  if (run.failure) std::rethrow_exception(run.failure);
  return std::move(run.items);
}

}  // namespace

int main(int argc, char** argv) {
  return flags_main(argc, argv, {"flags_async", 5, 1000, 10000, "coroutines on one thread", true}, download_many);
}
