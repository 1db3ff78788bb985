#pragma once
// flag_server's network side: one io_context run by N threads, an accept
// loop, and one coroutine per connection that reads request heads, asks the
// RequestHandler and writes the replies in order (keep-alive, pipelining).
#include <chrono>
#include <cstdint>
#include <string>

#include "metrics.hpp"
#include "request_handler.hpp"

namespace platespin {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8001;
  unsigned threads = 1;
  std::size_t max_connections = 10000;
  std::chrono::seconds idle_timeout{60};
  bool access_log = false;
};

// Binds, prints "listening on HOST:PORT" and serves until SIGINT or SIGTERM;
// then stops accepting, lets in-flight replies finish and returns. Throws
// std::runtime_error when it cannot bind. Connections and replies are counted in `metrics`.
void serve(const RequestHandler& handler, const ServerOptions& options, ServerMetrics& metrics);

}  // namespace platespin
