// flags_threadpool: a fixed pool of OS threads, each blocking on its own
// connection; results gathered as they complete (the book's
// flags2_threadpool.py with futures.as_completed).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "download_one.hpp"
#include "flags_common.hpp"

namespace {

using namespace platespin;

struct Completed {
  std::size_t index = 0;
  ItemResult item;
  std::exception_ptr failure;  // an unexpected exception (a flag that cannot be saved is its item's error)
};

// What the workers hand to the main thread, in the order they finish.
class CompletionQueue {
 public:
  void push(Completed c) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(c));
    }
    ready_.notify_one();
  }
  Completed pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !queue_.empty(); });
    Completed c = std::move(queue_.front());
    queue_.pop_front();
    return c;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Completed> queue_;
};

std::vector<ItemResult> download_many(const DownloadJob& job, ItemReporter& reporter) {
  ProgressThread progress(reporter.display(), reporter.done());
  const std::size_t n = job.codes.size();
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  CompletionQueue completed;
  std::vector<std::thread> pool;
  for (int t = 0; t < job.concurrency; ++t)
    pool.emplace_back([&] {
      BlockingDownloader downloader(job.request);
      for (std::size_t i; !stop && (i = next++) < n;) {
        try {
          completed.push({i, downloader.download(job.codes[i]), nullptr});
        } catch (...) {
          completed.push({i, {}, std::current_exception()});
          return;
        }
      }
    });

  std::vector<ItemResult> items(n);
  std::exception_ptr failure;
  for (std::size_t k = 0; k < n && !failure; ++k) {  // as_completed
    Completed c = completed.pop();
    if (c.failure) {
      failure = c.failure;
      stop = true;
    } else {
      reporter.finished(c.item);
      items[c.index] = std::move(c.item);
    }
  }
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  return flags_main(argc, argv, {"flags_threadpool", 30, 1000, 10000, "a pool of OS threads, blocking I/O"},
                    download_many);
}
