#pragma once
// What GET /metrics reports, in Prometheus's text format (what nginx's
// stub_status says, in the form people scrape): replies by status, bytes
// sent, connections accepted and open, and the size of the file cache. The
// connections count with relaxed atomics: no lock and no allocation per
// request; only rendering the text allocates.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace platespin {

class ServerMetrics {
 public:
  void connection_accepted() {
    accepted_.fetch_add(1, std::memory_order_relaxed);
    open_.fetch_add(1, std::memory_order_relaxed);
  }
  void connection_closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
  // One reply of `status` (100-599), counted before it is written, as
  // chaos_proxy counts: a client that has read its answer finds it counted
  // (flagbench's served counts take /metrics right after a client ends).
  void reply_counted(int status);
  // `bytes` of a reply, head included, were written.
  void bytes_sent(std::uint64_t bytes) { sent_bytes_.fetch_add(bytes, std::memory_order_relaxed); }
  // Both at once.
  void reply_sent(int status, std::uint64_t bytes) {
    reply_counted(status);
    bytes_sent(bytes);
  }

  // The exposition text, with the cache's `cached_files` and `cached_bytes`.
  std::string render(std::size_t cached_files, std::uint64_t cached_bytes) const;

 private:
  static constexpr int kFirstStatus = 100, kLastStatus = 599;
  std::array<std::atomic<std::uint64_t>, kLastStatus - kFirstStatus + 1> replies_{};
  std::atomic<std::uint64_t> sent_bytes_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::int64_t> open_{0};
};

}  // namespace platespin
