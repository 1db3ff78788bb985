#pragma once
// One client connection of a TCP listener: bytes both ways, with the fate
// decided once for the whole connection.
#include <chrono>
#include <vector>

#include "listener_state.hpp"
#include "loop_executor.hpp"
#include "session_timeouts.hpp"

namespace platespin::proxy {

// The caller counts the connection (ConnectionSlot) until the session ends.
Task<void> serve_tcp(Socket client, ListenerState& listener, const std::vector<boost::asio::ip::tcp::endpoint>& backend,
                     SessionTimeouts timeouts);

}  // namespace platespin::proxy
