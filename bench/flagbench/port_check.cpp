#include "port_check.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>

namespace platespin::bench {

namespace {

// "" when `where` can be bound now, else the reason. SO_REUSEADDR as the
// servers set it: a port left in TIME_WAIT by an earlier run is not "in use".
std::string bind_error(const Endpoint& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(where.host.c_str(), std::to_string(where.port).c_str(), &hints, &found); rc != 0)
    return gai_strerror(rc);
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) return std::strerror(errno);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  std::string error;
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) error = std::strerror(errno);
  ::close(fd);
  return error;
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
