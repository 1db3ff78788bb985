#include "peers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <stdexcept>

namespace platespin::framing {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + std::strerror(errno)); }

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the peer went away: what it did before is what the test looks at
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

int poll_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

}  // namespace

Client::Client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const auto a = loopback(port);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    fail("connect");
  }
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

void Client::send(std::string_view bytes) { send_all(fd_, bytes); }

void Client::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

void Client::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  closed_ = true;
}

Client::End Client::read_until(const std::function<bool(const std::string&)>& done, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {  // each turn reads at least one byte or ends: bounded by the deadline
    if (done(received_)) return End::done;
    if (closed_ || fd_ < 0) return End::closed;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, poll_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return End::timeout;
    char buf[16 * 1024];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      closed_ = true;  // EOF or reset
    else
      received_.append(buf, static_cast<std::size_t>(n));
  }
}

RawBackend::RawBackend(std::function<Answer(const Message&)> respond) : respond_(std::move(respond)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail("socket");
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto a = loopback(0);
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) fail("bind");
  if (::listen(listen_fd_, 128) != 0) fail("listen");
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) fail("pipe");
  thread_ = std::thread([this] { run(); });
}

RawBackend::~RawBackend() {
  const char stop = 's';
  (void)!::write(wake_[1], &stop, 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::close(listen_fd_);
}

std::size_t RawBackend::mark() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

std::vector<BackendEvent> RawBackend::since(std::size_t mark) const {
  std::lock_guard lock(mutex_);
  return {events_.begin() + static_cast<std::ptrdiff_t>(std::min(mark, events_.size())), events_.end()};
}

bool RawBackend::wait_clean(Millis timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return partial_.empty(); });
}

std::string RawBackend::dirty_connections() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [id, bytes] : partial_)
    out += "backend connection " + std::to_string(id) + " holds " + std::to_string(bytes) + " bytes of a message; ";
  return out;
}

void RawBackend::record(BackendEvent event) {
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(event));
  changed_.notify_all();
}

void RawBackend::run() {
  std::list<Connection> connections;
  int next_id = 1;
  for (;;) {
    std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& c : connections) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) break;
    if (fds[1].revents & POLLIN) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        connections.push_back({fd, next_id++, {}});
        record({BackendEvent::Kind::opened, connections.back().id, {}, {}, {}});
      }
    }
    std::size_t i = 2;
    for (auto it = connections.begin(); it != connections.end(); ++i) {
      bool close = false;
      if (i < fds.size() && fds[i].fd == it->fd && fds[i].revents != 0) on_readable(*it, close);
      if (close) {
        ::close(it->fd);
        {
          std::lock_guard lock(mutex_);
          partial_.erase(it->id);
        }
        record({BackendEvent::Kind::closed, it->id, it->buffer, {}, {}});
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : connections) ::close(c.fd);
}

void RawBackend::on_readable(Connection& c, bool& close) {
  char buf[16 * 1024];
  const auto n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && errno == EINTR) return;
  if (n <= 0) {
    close = true;
    return;
  }
  c.buffer.append(buf, static_cast<std::size_t>(n));
  record({BackendEvent::Kind::bytes, c.id, std::string(buf, static_cast<std::size_t>(n)), {}, {}});
  while (!c.buffer.empty() && !close) {  // each turn takes a whole request off the buffer
    auto parsed = parse_message(c.buffer, true);
    if (parsed.state == State::incomplete) break;
    if (parsed.state == State::error) {
      record({BackendEvent::Kind::error, c.id, {}, {}, parsed.error});
      send_all(c.fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      c.buffer.clear();
      close = true;
      break;
    }
    c.buffer.erase(0, parsed.used);
    const Answer answer = respond_(parsed.message);
    record({BackendEvent::Kind::message, c.id, {}, parsed.message, {}});
    send_all(c.fd, answer.bytes);
    close = answer.close || parsed.message.wants_close();
    if (close) ::shutdown(c.fd, SHUT_WR);
  }
  std::lock_guard lock(mutex_);
  if (c.buffer.empty() || close)
    partial_.erase(c.id);
  else
    partial_[c.id] = c.buffer.size();
  changed_.notify_all();
}

}  // namespace platespin::framing
