#include "raw_backend.hpp"

#include "ascii_case.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "services.hpp"

namespace platespin::test {

namespace {

// Where the request that starts `bytes` ends, by its Content-Length or
// chunks; npos while it is incomplete.
std::size_t request_end(const std::string& bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::string::npos;
  const std::string head = ascii_lower(bytes.substr(0, head_end + 2));
  std::size_t at = head_end + 4;
  if (head.find("\ntransfer-encoding:") != std::string::npos && head.find("chunked") != std::string::npos) {
    for (;;) {
      const auto line_end = bytes.find("\r\n", at);
      if (line_end == std::string::npos) return std::string::npos;
      const std::string size_text = bytes.substr(at, line_end - at);
      const std::size_t size = std::strtoull(size_text.c_str(), nullptr, 16);  // junk reads as 0
      at = line_end + 2;
      if (size == 0) {  // trailers up to an empty line
        const auto end = bytes.find("\r\n", at);
        if (end == std::string::npos) return std::string::npos;
        if (end == at) return end + 2;
        const auto trailers_end = bytes.find("\r\n\r\n", at);
        return trailers_end == std::string::npos ? std::string::npos : trailers_end + 4;
      }
      if (bytes.size() < at + size + 2) return std::string::npos;
      at += size + 2;
    }
  }
  const auto cl = head.find("\ncontent-length:");
  if (cl != std::string::npos) at += std::stoul(head.substr(cl + 16));
  return bytes.size() >= at ? at : std::string::npos;
}

}  // namespace

struct RawBackend::Impl {
  Script script;
  int listener = -1;
  std::uint16_t port = 0;
  std::atomic<bool> stopping = false;
  std::thread acceptor;
  mutable std::mutex mutex;
  std::vector<Request> requests;
  std::vector<std::thread> sessions;
  std::vector<int> open_fds;
  std::size_t connections = 0;

  void accept_loop() {
    for (;;) {
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;  // shut down
      const std::lock_guard lock(mutex);
      if (stopping) {
        ::close(fd);
        return;
      }
      open_fds.push_back(fd);
      sessions.emplace_back([this, fd, n = connections++] { serve(fd, n); });
    }
  }

  void serve(int fd, std::size_t connection) {
    std::string pending;
    char chunk[16384];
    for (std::size_t index = 0;;) {
      const auto end = request_end(pending);
      if (end == std::string::npos) {
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        pending.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      const std::string request = pending.substr(0, end);
      pending.erase(0, end);
      {
        const std::lock_guard lock(mutex);
        requests.push_back(Request{connection, request});
      }
      const Reply reply = script(request, index++, connection);
      if (!reply.bytes.empty() && ::send(fd, reply.bytes.data(), reply.bytes.size(), MSG_NOSIGNAL) < 0) break;
      if (reply.close) break;
    }
    ::shutdown(fd, SHUT_RDWR);
  }
};

RawBackend::RawBackend(Script script) : impl_(std::make_unique<Impl>()) {
  impl_->script = std::move(script);
  impl_->listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof at;
  if (impl_->listener < 0 || ::bind(impl_->listener, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 ||
      ::listen(impl_->listener, 128) != 0 || ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&at), &size) != 0)
    throw std::runtime_error(std::string("RawBackend: ") + std::strerror(errno));
  impl_->port = ntohs(at.sin_port);
  impl_->acceptor = std::thread([impl = impl_.get()] { impl->accept_loop(); });
}

RawBackend::~RawBackend() {
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    for (const int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);  // ends each session's recv
  }
  ::shutdown(impl_->listener, SHUT_RDWR);  // ends accept()
  impl_->acceptor.join();
  for (auto& session : impl_->sessions) session.join();
  for (const int fd : impl_->open_fds) ::close(fd);
  ::close(impl_->listener);
}

std::uint16_t RawBackend::port() const { return impl_->port; }
std::string RawBackend::address() const { return "127.0.0.1:" + std::to_string(impl_->port); }

std::vector<RawBackend::Request> RawBackend::requests() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t RawBackend::connections() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

std::string RawBackend::ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace platespin::test
