#pragma once
// Is a service up? A TCP connect, or one GET answered with a status line.
// Plain sockets on purpose: flagbench stays free of Beast (slow to compile).
#include <chrono>
#include <string>
#include <thread>

#include "endpoint.hpp"

namespace platespin::bench {

// Connects and closes; false when the connection is refused or times out.
bool tcp_reachable(const Endpoint& where, std::chrono::milliseconds timeout);

// Sends `method target` (no body) on a fresh connection and returns the
// response's status code, or 0 when no status line came within `timeout`.
int http_status(const Endpoint& where, const std::string& method, const std::string& target,
                std::chrono::milliseconds timeout);

// A whole answer to one GET (Connection: close, read to the end): its status
// (0 when none came within `timeout`) and body.
struct HttpReply {
  int status = 0;
  std::string body;
};
HttpReply http_get(const Endpoint& where, const std::string& target, std::chrono::milliseconds timeout);

// Retries `check` every 50 ms until it holds or `timeout` passes.
template <typename Check>
bool wait_until(Check check, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (check()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace platespin::bench
