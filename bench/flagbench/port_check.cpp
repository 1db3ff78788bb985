#include "port_check.hpp"

#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <utility>

#include "acceptor.hpp"
#include "resolve.hpp"

namespace platespin::bench {

namespace {

// "" when `where` can be listened on now, else the reason: the servers' own
// resolution and set-up (address reuse: a port left in TIME_WAIT by an
// earlier run is not "in use").
std::string bind_error(const Endpoint& where) {
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io);
    open_acceptor(acceptor, resolve(where.host, where.port).front());
  } catch (const boost::system::system_error& e) {
    return e.code().message();
  }
  return "";
}

}  // namespace

void check_fixed_ports(const Scenario& scenario) {
  std::vector<std::pair<std::string, Endpoint>> fixed;  // what, where
  if (scenario.server_port)
    fixed.push_back({"the server (server: port)", Endpoint{"127.0.0.1", static_cast<std::uint16_t>(*scenario.server_port)}});
  for (const auto& l : scenario.listeners)
    if (l.listen && l.listen->port != 0) fixed.push_back({"listener " + l.name + " (listen)", *l.listen});
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (fixed[j].second.port == fixed[i].second.port)
        throw std::runtime_error("port " + std::to_string(fixed[i].second.port) + " is given twice: to " +
                                 fixed[j].first + " and to " + fixed[i].first);
    if (const auto error = bind_error(fixed[i].second); !error.empty())
      throw std::runtime_error(fixed[i].second.to_string() + ", fixed for " + fixed[i].first + ", is not free (" +
                               error + "): stop what holds it, or change the scenario; nothing was started");
  }
}

}  // namespace platespin::bench
