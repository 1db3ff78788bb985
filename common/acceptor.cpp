#include "acceptor.hpp"

namespace platespin {

void open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const boost::asio::ip::tcp::endpoint& at) {
  namespace asio = boost::asio;
  try {
    acceptor.open(at.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error&) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    throw;
  }
}

}  // namespace platespin
