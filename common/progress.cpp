#include "progress.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace platespin {

namespace {

constexpr int kBarWidth = 30;

std::string minutes_seconds(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

std::string progress_line(std::size_t done, std::size_t total, double elapsed_s) {
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  // Eighths of a cell, as tqdm draws them.
  static const char* const kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const auto eighths = static_cast<long>(fraction * kBarWidth * 8);
  std::string bar;
  for (long i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kPartial[eighths % 8];
  const long cells = eighths / 8 + (eighths % 8 ? 1 : 0);
  bar.append(static_cast<std::size_t>(kBarWidth - cells), ' ');
  const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0;
  const std::string eta = rate > 0 ? minutes_seconds(static_cast<double>(total - done) / rate) : "?";
  return fmt::format("{:3}%|{}| {}/{} [{}<{}, {:.2f}it/s]", static_cast<int>(fraction * 100), bar, done, total,
                     minutes_seconds(elapsed_s), eta, rate);
}

ProgressDisplay::ProgressDisplay(std::size_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressDisplay::draw(std::size_t done) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r%s", progress_line(done, total_, elapsed).c_str());
  std::fflush(stderr);
}

void ProgressDisplay::finish(std::size_t done) {
  if (!enabled_) return;
  draw(done);
  std::fputs("\n", stderr);
}

ProgressThread::ProgressThread(ProgressDisplay& display, const std::atomic<std::size_t>& done)
    : display_(display), done_(done) {
  if (!display_.enabled()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) display_.draw(done_);
  });
}

ProgressThread::~ProgressThread() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  display_.finish(done_);
}

}  // namespace platespin
