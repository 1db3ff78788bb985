// floor_forwarder: the least a user-space TCP proxy can do per chunk, as a
// yardstick for chaos_proxy's TCP mode: one level-triggered epoll per thread
// (registered once, never re-armed), one recv and one send per chunk, no
// buffers but one per thread, no timers, no faults. Whatever a real proxy
// costs above it is its own; what it costs itself is the kernel's.
//
//   floor_forwarder LISTEN_PORT BACKEND_PORT [THREADS]   (127.0.0.1 both; THREADS default 2)
//
// Each thread has its own SO_REUSEPORT listener, so the kernel spreads the
// connections. It prints `listening on 127.0.0.1:PORT` once all are bound
// (LISTEN_PORT 0: a free one).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// An epoll entry names the socket it is for and the one its data goes to.
std::uint64_t pair(int from, int to) {
  return static_cast<std::uint64_t>(static_cast<std::uint32_t>(from)) << 32 | static_cast<std::uint32_t>(to);
}
constexpr int kListener = -1;

int listener(int port, int* bound) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in at = loopback(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || listen(fd, SOMAXCONN) != 0) {
    std::perror("floor_forwarder: bind");
    std::exit(2);
  }
  sockaddr_in got{};
  socklen_t size = sizeof got;
  getsockname(fd, reinterpret_cast<sockaddr*>(&got), &size);
  *bound = ntohs(got.sin_port);
  return fd;
}

void watch(int epoll, int fd, std::uint64_t data) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = data;
  epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
}

void accept_all(int epoll, int listening, int backend_port) {
  const int one = 1;
  for (int client; (client = accept4(listening, nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
    const int backend = socket(AF_INET, SOCK_STREAM, 0);  // blocking connect: loopback answers at once
    const sockaddr_in to = loopback(backend_port);
    if (connect(backend, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
      close(client);
      close(backend);
      continue;
    }
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(backend, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    watch(epoll, client, pair(client, backend));
    watch(epoll, backend, pair(backend, client));
  }
}

void forward(int listening, int backend_port) {
  const int epoll = epoll_create1(0);
  watch(epoll, listening, pair(listening, kListener));
  std::vector<char> buffer(16384);
  epoll_event events[256];
  std::vector<bool> closed;  // in this batch: a later event for the same fd is stale
  for (;;) {
    const int n = epoll_wait(epoll, events, 256, -1);
    bool accepting = false;
    closed.clear();
    for (int i = 0; i < n; ++i) {
      const int from = static_cast<int>(events[i].data.u64 >> 32);
      const int to = static_cast<int>(static_cast<std::uint32_t>(events[i].data.u64));
      if (to == kListener) {
        accepting = true;  // after the batch, so that no fd number is reused within it
        continue;
      }
      if (static_cast<std::size_t>(from) < closed.size() && closed[from]) continue;
      const ssize_t got = recv(from, buffer.data(), buffer.size(), MSG_DONTWAIT);
      // A close (or an error) on either side ends both; closing takes them out of epoll.
      // The send blocks when the peer's buffer is full, which loopback's small messages never fill.
      if (got <= 0 || send(to, buffer.data(), static_cast<std::size_t>(got), MSG_NOSIGNAL) != got) {
        close(from);
        close(to);
        closed.resize(std::max<std::size_t>(closed.size(), static_cast<std::size_t>(std::max(from, to)) + 1));
        closed[from] = closed[to] = true;
      }
    }
    if (accepting) accept_all(epoll, listening, backend_port);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: floor_forwarder LISTEN_PORT BACKEND_PORT [THREADS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]), backend_port = std::atoi(argv[2]);
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  std::vector<int> listeners;
  int bound = port;
  for (int t = 0; t < threads; ++t) listeners.push_back(listener(bound, &bound));
  std::printf("listening on 127.0.0.1:%d\n", bound);
  std::fflush(stdout);
  std::vector<std::jthread> loops;
  for (const int fd : listeners) loops.emplace_back(forward, fd, backend_port);
}
