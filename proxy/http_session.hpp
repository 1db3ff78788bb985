#pragma once
// One client connection of an HTTP listener, served by one coroutine.
#include <chrono>

#include "backend_pool.hpp"
#include "listener_state.hpp"
#include "loop_executor.hpp"
#include "session_timeouts.hpp"

namespace platespin::proxy {

// Reads requests until the client leaves; gives each the fate the listener
// decides, forwarding to the backend through `pool` unless the fate says otherwise.
// The caller counts the connection (ConnectionSlot) until the session ends.
Task<void> serve_http(Socket client, ListenerState& listener, BackendPool& pool, SessionTimeouts timeouts);

}  // namespace platespin::proxy
