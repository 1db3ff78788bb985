#include "event_loops.hpp"

#include <algorithm>
#include <thread>

namespace platespin::proxy {

EventLoops::EventLoops(std::size_t count) {
  for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) {
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));  // 1: each runs on one thread, no locking inside
    keep_running_.push_back(boost::asio::make_work_guard(*loops_.back()));
  }
}

void EventLoops::run() {
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < loops_.size(); ++i) threads.emplace_back([this, i] { loops_[i]->run(); });
  loops_.front()->run();
}

void EventLoops::stop() {
  for (auto& loop : loops_) loop->stop();
}

}  // namespace platespin::proxy
