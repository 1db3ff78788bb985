#include "scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace platespin::test {

namespace {

// A connection idle this long is dropped: no test waits on one forever.
constexpr int kIdleMs = 10'000;
// Requests served on one connection at most: every loop here is bounded.
constexpr int kMaxRequestsPerConnection = 10'000;

bool send_all(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string ok_response(const std::string& body, const std::string& type) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

ScriptedServer::ScriptedServer(Script script) : script_(std::move(script)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t size = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("scripted server: cannot listen on 127.0.0.1:0");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_connections(); });
}

ScriptedServer::~ScriptedServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);  // wakes poll() and recv()
  }
  for (auto& t : threads_) t.join();
  for (int fd : connections_) ::close(fd);
  ::close(listener_);
}

std::string ScriptedServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void ScriptedServer::accept_connections() {
  while (!stopping_) {
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;  // shut down by the destructor
    std::lock_guard lock(mutex_);
    connections_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void ScriptedServer::serve(int fd) {
  std::string pending;
  for (int served = 0; served < kMaxRequestsPerConnection && !stopping_;) {
    const auto head_end = pending.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kIdleMs) <= 0) return;
      char chunk[4096];
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;  // the client closed (or the destructor shut it down)
      pending.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    // "GET /flags/ad/ad.gif HTTP/1.1"
    const auto first = pending.find(' '), second = pending.find(' ', first + 1);
    const std::string target = pending.substr(first + 1, second - first - 1);
    pending.erase(0, head_end + 4);
    ++served;
    if (!send_all(fd, script_(target))) return;
  }
}

}  // namespace platespin::test
