#include "health_check.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>

#include "resolve.hpp"

namespace platespin::bench {

bool tcp_reachable(const Endpoint& where, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  bool connected = false;
  try {
    boost::asio::async_connect(socket, resolve(where.host, where.port),
                               [&](const boost::system::error_code& ec, const auto&) { connected = !ec; });
  } catch (const boost::system::system_error&) {
    return false;  // the name does not resolve (yet)
  }
  io.run_for(timeout);
  return connected;
}

}  // namespace platespin::bench
