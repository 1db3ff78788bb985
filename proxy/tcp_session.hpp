#pragma once
// One client connection of a TCP listener: bytes both ways, with the fate
// decided once for the whole connection.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <vector>

#include "listener_state.hpp"
#include "session_timeouts.hpp"

namespace platespin::proxy {

// The caller counts the connection (ConnectionSlot) until the session ends.
boost::asio::awaitable<void> serve_tcp(boost::asio::ip::tcp::socket client, ListenerState& listener,
                                       const std::vector<boost::asio::ip::tcp::endpoint>& backend,
                                       SessionTimeouts timeouts);

}  // namespace platespin::proxy
