// floor_client: the least a one-thread client can do to have N GETs in flight
// at once, as a yardstick for flags_async: per request a nonblocking socket, a
// connect, one send, reads to the end of Content-Length; no parser, no timers,
// no files. What flags_async costs above it is its own; what it costs itself
// is the kernel's (and the server's and proxy's on the other side).
//
//   floor_client PORT PATH N [ROUNDS]
//
// GETs http://127.0.0.1:PORT/PATH/aa/aa.gif, .../ab/ab.gif, ... (AA..ZZ over
// and over) N at once; with ROUNDS, each connection then asks again, kept
// alive, ROUNDS times in all. Prints each response's status, a line each (as
// `curl -w '%{http_code}\n'` does), and ends with a summary on stderr. Exit 1
// when a request got no complete response.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Request {
  int fd = -1;
  int rounds_left = 0;
  std::string text;    // the GET
  std::string answer;  // what came back so far of this round's response
};

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The response's length once its head is in, else 0.
std::size_t response_size(const std::string& answer) {
  const auto head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  std::size_t body = 0;
  for (std::size_t line = answer.find("\r\n") + 2; line < head_end; line = answer.find("\r\n", line) + 2) {
    constexpr std::string_view kName = "content-length:";
    if (strncasecmp(answer.c_str() + line, kName.data(), kName.size()) == 0)
      body = std::strtoul(answer.c_str() + line + kName.size(), nullptr, 10);
  }
  return head_end + 4 + body;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: floor_client PORT PATH N [ROUNDS]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string path = argv[2];
  const int n = std::atoi(argv[3]), rounds = argc > 4 ? std::atoi(argv[4]) : 1;
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<std::uint16_t>(port));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  const int epoll = epoll_create1(0);
  std::vector<Request> requests(static_cast<std::size_t>(n));
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Request& r = requests[i];
    const char cc[] = {static_cast<char>('a' + i / 26 % 26), static_cast<char>('a' + i % 26), 0};
    r.text = "GET " + path + "/" + cc + "/" + cc + ".gif HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    r.rounds_left = rounds;
    r.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(r.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connect(r.fd, reinterpret_cast<const sockaddr*>(&server), sizeof server);
    // On loopback the handshake is over when connect returns (EINPROGRESS): send at once,
    // and wait for writability only when that was too soon.
    const bool sent = send(r.fd, r.text.data(), r.text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(r.text.size());
    epoll_event ev{};
    ev.events = sent ? EPOLLIN : EPOLLOUT;
    ev.data.u64 = sent ? i : i | 1ULL << 63;
    epoll_ctl(epoll, EPOLL_CTL_ADD, r.fd, &ev);
  }
  const double sent_ms = ms_since(t0);

  long answered = 0, failed = 0;
  const long total = static_cast<long>(n) * rounds;
  std::vector<char> buffer(65536);
  epoll_event events[512];
  while (answered + failed < total) {
    const int k = epoll_wait(epoll, events, 512, 60000);
    if (k <= 0) break;  // a minute without an answer: the rest count as failed below
    for (int e = 0; e < k; ++e) {
      const bool unsent = events[e].data.u64 >> 63;
      Request& r = requests[events[e].data.u64 & ~(1ULL << 63)];
      if (unsent) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = events[e].data.u64 & ~(1ULL << 63);
        epoll_ctl(epoll, EPOLL_CTL_MOD, r.fd, &ev);
        if (send(r.fd, r.text.data(), r.text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(r.text.size())) continue;
      } else {
        const ssize_t got = recv(r.fd, buffer.data(), buffer.size(), 0);
        if (got > 0) r.answer.append(buffer.data(), static_cast<std::size_t>(got));
        const std::size_t size = response_size(r.answer);
        if (got > 0 && (size == 0 || r.answer.size() < size)) continue;  // more to come
        if (got > 0) {
          std::printf("%.3s\n", r.answer.c_str() + 9);  // "HTTP/1.1 200 ..."
          ++answered;
          r.answer.erase(0, size);
          if (--r.rounds_left > 0 &&
              send(r.fd, r.text.data(), r.text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(r.text.size()))
            continue;
          if (r.rounds_left == 0) {
            close(r.fd);
            continue;
          }
        }
      }
      failed += r.rounds_left;  // closed, refused or reset before its last round
      r.rounds_left = 0;
      close(r.fd);
    }
  }
  const double elapsed_ms = ms_since(t0);
  failed = total - answered;
  std::fprintf(stderr, "floor_client: %ld requests, %ld answered, %ld failed; sent the first %d in %.1f ms; "
               "%.1f ms in all, %.0f items/s\n", total, answered, failed, n, sent_ms, elapsed_ms,
               static_cast<double>(answered) / elapsed_ms * 1000);
  return failed == 0 ? 0 : 1;
}
