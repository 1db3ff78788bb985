#include "health_check.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

namespace platespin::bench {

namespace {

// A connected socket with send/receive timeouts (connect honours the send
// timeout on Linux), or -1.
int connect_to(const Endpoint& where, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(where.host.c_str(), std::to_string(where.port).c_str(), &hints, &found) != 0) return -1;
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  const auto ms = timeout.count();
  const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    ::close(fd);
  }
  return -1;
}

}  // namespace

bool tcp_reachable(const Endpoint& where, std::chrono::milliseconds timeout) {
  const int fd = connect_to(where, timeout);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

namespace {

// Sends `method target` with Connection: close and reads what comes: all of
// it, or only up to the status line.
std::string exchange(const Endpoint& where, const std::string& method, const std::string& target,
                     std::chrono::milliseconds timeout, bool whole) {
  const int fd = connect_to(where, timeout);
  if (fd < 0) return {};
  const std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: " + where.to_string() +
      "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  std::string received;
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char chunk[4096];
    while (whole || received.find("\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      received.append(chunk, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return received;
}

// "HTTP/1.1 200 OK"
int status_of(const std::string& received) {
  if (received.rfind("HTTP/1.", 0) != 0 || received.size() < 12) return 0;
  return std::atoi(received.c_str() + 9);
}

}  // namespace

int http_status(const Endpoint& where, const std::string& method, const std::string& target,
                std::chrono::milliseconds timeout) {
  return status_of(exchange(where, method, target, timeout, false));
}

HttpReply http_get(const Endpoint& where, const std::string& target, std::chrono::milliseconds timeout) {
  const std::string received = exchange(where, "GET", target, timeout, true);
  HttpReply reply{status_of(received), {}};
  // Our services answer Connection: close with a Content-Length body: the body is what follows the head.
  if (const auto head_end = received.find("\r\n\r\n"); head_end != std::string::npos)
    reply.body = received.substr(head_end + 4);
  return reply;
}

}  // namespace platespin::bench
