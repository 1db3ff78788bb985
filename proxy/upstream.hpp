#pragma once
// An upstream's addresses, looked up at each connect (as Toxiproxy does), so a
// proxy can be created before its server's name resolves, and follows it when
// the name moves. A numeric address costs no lookup.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <vector>

#include "endpoint.hpp"

namespace platespin::proxy {

// IPv4 first: "localhost" should mean 127.0.0.1, as the book's tools took it.
// Throws boost::system::system_error when the name does not resolve.
boost::asio::awaitable<std::vector<boost::asio::ip::tcp::endpoint>> resolve_upstream(const Endpoint& upstream);

}  // namespace platespin::proxy
