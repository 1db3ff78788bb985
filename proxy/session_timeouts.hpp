#pragma once
// The time limits every session of a listener keeps to.
#include <chrono>

namespace platespin::proxy {

struct SessionTimeouts {
  std::chrono::steady_clock::duration backend;      // connect, and each read from the backend
  std::chrono::steady_clock::duration client_idle;  // HTTP: silence between requests or a stalled write;
                                                    // TCP: no byte either way
};

}  // namespace platespin::proxy
