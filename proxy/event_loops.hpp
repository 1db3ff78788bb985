#pragma once
// chaos_proxy's threads: one io_context each, so that a connection's
// coroutine, its sockets and its backend pool stay on one thread and need no
// locks. The first loop also runs the acceptors, the control API and the
// signal handler; new connections are dealt to the loops in turn.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <vector>

namespace platespin::proxy {

class EventLoops {
 public:
  explicit EventLoops(std::size_t count);

  std::size_t size() const { return loops_.size(); }
  boost::asio::io_context& main() { return *loops_.front(); }
  boost::asio::io_context& at(std::size_t index) { return *loops_[index]; }
  // The loop that takes the next connection (call on the main loop only).
  std::size_t next_index() { return next_++ % loops_.size(); }

  // Runs every loop, the main one on the calling thread, until stop().
  void run();
  void stop();

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> keep_running_;
  std::size_t next_ = 0;
};

}  // namespace platespin::proxy
