#include "metrics.hpp"

#include <fmt/format.h>

#include <iterator>

namespace platespin {

void ServerMetrics::reply_counted(int status) {
  if (status >= kFirstStatus && status <= kLastStatus)
    replies_[static_cast<std::size_t>(status - kFirstStatus)].fetch_add(1, std::memory_order_relaxed);
}

std::string ServerMetrics::render(std::size_t cached_files, std::uint64_t cached_bytes) const {
  std::string text;
  auto out = std::back_inserter(text);
  fmt::format_to(out,
                 "# HELP flag_server_requests_total Requests answered, by status code.\n"
                 "# TYPE flag_server_requests_total counter\n");
  for (std::size_t i = 0; i < replies_.size(); ++i)
    if (const auto n = replies_[i].load(std::memory_order_relaxed); n > 0)
      fmt::format_to(out, "flag_server_requests_total{{code=\"{}\"}} {}\n", static_cast<int>(i) + kFirstStatus, n);
  fmt::format_to(out,
                 "# HELP flag_server_sent_bytes_total Bytes of replies written to sockets, heads included.\n"
                 "# TYPE flag_server_sent_bytes_total counter\n"
                 "flag_server_sent_bytes_total {}\n"
                 "# HELP flag_server_connections_accepted_total Connections accepted.\n"
                 "# TYPE flag_server_connections_accepted_total counter\n"
                 "flag_server_connections_accepted_total {}\n"
                 "# HELP flag_server_connections_open Connections open now.\n"
                 "# TYPE flag_server_connections_open gauge\n"
                 "flag_server_connections_open {}\n"
                 "# HELP flag_server_cache_files Files held in memory.\n"
                 "# TYPE flag_server_cache_files gauge\n"
                 "flag_server_cache_files {}\n"
                 "# HELP flag_server_cache_bytes Bytes of the files held in memory.\n"
                 "# TYPE flag_server_cache_bytes gauge\n"
                 "flag_server_cache_bytes {}\n",
                 sent_bytes_.load(std::memory_order_relaxed), accepted_.load(std::memory_order_relaxed),
                 open_.load(std::memory_order_relaxed), cached_files, cached_bytes);
  return text;
}

}  // namespace platespin
