#pragma once
// Opening a listening socket, the same for every server of ours: address
// reuse (a restart does not wait out TIME_WAIT) and the kernel's longest
// backlog (a burst of 10,000 connects must not be refused).
#include <boost/asio/ip/tcp.hpp>

namespace platespin {

// Opens, binds and listens; throws boost::system::system_error and then
// leaves the acceptor closed, so that a later call can try again.
void open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp::endpoint& at);

}  // namespace platespin
