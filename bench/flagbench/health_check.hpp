#pragma once
// Is a service up? A TCP connect (for TCP listeners and endpoints whose
// protocol we do not know); HTTP services are asked with http_call().
#include <chrono>
#include <thread>

#include "endpoint.hpp"

namespace platespin::bench {

// Connects and closes; false when the connection is refused or times out.
bool tcp_reachable(const Endpoint& where, std::chrono::milliseconds timeout);

// Retries `check` every 50 ms until it holds or `timeout` passes: a service
// that is starting has no way to tell us when it is ready but to answer.
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
