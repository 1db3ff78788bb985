#pragma once
// A tqdm-style progress bar on stderr, as the book's downloaders show:
// " 45%|█████████████▌                | 304/676 [00:01<00:01, 250.32it/s]".
// It is drawn by something running beside the work (a thread or a
// coroutine), which reads a counter the workers advance.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace platespin {

// The bar's text for `done` of `total` after `elapsed_s` seconds.
std::string progress_line(std::size_t done, std::size_t total, double elapsed_s);

// Redraws the bar in place (carriage return) on stderr, only when `enabled`.
class ProgressDisplay {
 public:
  ProgressDisplay(std::size_t total, bool enabled);
  bool enabled() const { return enabled_; }
  void draw(std::size_t done);
  // Draws the final state and ends the line.
  void finish(std::size_t done);

 private:
  std::size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

// A thread that redraws `display` from `done` ten times a second until it is
// stopped by its flag (the destructor stops it and draws the final state).
class ProgressThread {
 public:
  ProgressThread(ProgressDisplay& display, const std::atomic<std::size_t>& done);
  ~ProgressThread();
  ProgressThread(const ProgressThread&) = delete;
  ProgressThread& operator=(const ProgressThread&) = delete;

 private:
  ProgressDisplay& display_;
  const std::atomic<std::size_t>& done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // the stop flag, guarded by mutex_
  std::thread thread_;
};

}  // namespace platespin
