#pragma once
// --access-log: one line per reply on stdout, in nginx's "common" format:
// 127.0.0.1 - - [25/Nov/2026:14:30:00 +0000] "GET /flags/ad/ad.gif HTTP/1.1" 200 371
// What the client sent is escaped as nginx does, so a request can neither end
// the quoted field or the line early nor put terminal controls or bidi
// overrides in front of whoever reads the log.
//
// Logging never stalls serving: lines go into a bounded queue that a thread
// of its own writes out. When the queue is full (stdout is a pipe nobody reads,
// or reads too slowly) a line is dropped and counted instead of waiting; the
// count goes to stderr at exit.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "request.hpp"

namespace platespin {

// Appends `text` to `out` with '"', '\\', the control characters (below 0x20,
// and 0x7f) and every byte over 0x7f (so UTF-8 bidi controls too) written as
// "\xHH", upper-case hex: the escaping of nginx's ngx_http_log_escape.
void append_log_escaped(std::string& out, std::string_view text);

// The log line of one reply sent at `when`, '\n' included.
std::string format_access_log_line(std::string_view remote_address, const ParsedRequest& request, int status,
                                   std::uint64_t body_bytes, std::time_t when);

class AccessLog {
 public:
  static constexpr std::size_t kDefaultQueueBytes = 1 << 20;
  // How long the destructor keeps writing what is queued to an output that
  // takes nothing, before it gives up on those lines.
  static constexpr auto kStopGrace = std::chrono::seconds(2);

  // Writes to `fd`, which it neither owns nor makes non-blocking (stdout may
  // be shared with other processes); at most `queue_bytes` wait to be written.
  explicit AccessLog(int fd, std::size_t queue_bytes = kDefaultQueueBytes);
  // finish(), then says on stderr how many lines were dropped, if any.
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Queues the line of one reply, or drops it when the queue is full: never
  // waits for the output. Any thread.
  void record(std::string_view remote_address, const ParsedRequest& request, int status, std::uint64_t body_bytes);

  // Writes what is queued (giving up after kStopGrace when `fd` takes nothing)
  // and stops the writer; lines recorded after it are dropped. Idempotent.
  void finish();

  // Lines dropped so far: the queue was full, or the output failed or took
  // nothing for kStopGrace at exit.
  std::uint64_t dropped_lines() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  void write_queued();  // the writer thread
  bool stop_requested() const { return stop_requested_.load(std::memory_order_acquire); }

  const int fd_;
  const std::size_t queue_bytes_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::string queue_;      // whole lines, oldest first (mutex_)
  bool stopping_ = false;  // (mutex_)
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::thread writer_;  // last: starts once everything above is ready
};

}  // namespace platespin
