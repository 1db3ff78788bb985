#include "access_log.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <iterator>

namespace platespin {

void append_log_escaped(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
}

std::string format_access_log_line(std::string_view remote_address, const ParsedRequest& request, int status,
                                   std::uint64_t body_bytes, std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  std::array<char, 40> date{};
  const auto n = std::strftime(date.data(), date.size(), "%d/%b/%Y:%H:%M:%S +0000", &tm);
  std::string line;
  line.reserve(96 + request.method.size() + request.target.size());
  line.append(remote_address);
  line += " - - [";
  line.append(date.data(), n);
  line += "] \"";
  if (request.method.empty())
    line += '-';
  else
    append_log_escaped(line, request.method);
  line += ' ';
  if (request.target.empty())
    line += '-';
  else
    append_log_escaped(line, request.target);
  fmt::format_to(std::back_inserter(line), " HTTP/{}.{}\" {} {}\n", request.version / 10, request.version % 10, status,
                 body_bytes);
  return line;
}

namespace {

// Writes `data` to `fd` in slices of at most PIPE_BUF bytes, each once poll()
// says `fd` can take more: on a pipe such a write never blocks, so the writer
// stays free to notice a stop. Returns how many bytes went out, fewer than
// data.size() when `fd` fails or `give_up()` says so while it takes nothing.
template <class GiveUp>
std::size_t write_when_writable(int fd, std::string_view data, GiveUp give_up) {
  constexpr int kPollMs = 100;  // how often a writer waiting on `fd` asks give_up()
  std::size_t done = 0;
  while (done < data.size()) {
    pollfd ready{fd, POLLOUT, 0};
    const int n = ::poll(&ready, 1, kPollMs);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (ready.revents & (POLLERR | POLLNVAL)) != 0) return done;  // no reader left, or a bad fd
    if (n == 0) {
      if (give_up()) return done;
      continue;
    }
    const ssize_t written = ::write(fd, data.data() + done, std::min<std::size_t>(PIPE_BUF, data.size() - done));
    if (written < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return done;
    }
    done += static_cast<std::size_t>(written);
  }
  return done;
}

}  // namespace

AccessLog::AccessLog(int fd, std::size_t queue_bytes)
    : fd_(fd), queue_bytes_(queue_bytes), writer_([this] { write_queued(); }) {}

AccessLog::~AccessLog() {
  finish();
  if (const auto dropped = dropped_lines())
    std::fprintf(stderr, "flag_server: access log: %llu lines dropped (stdout did not keep up)\n",
                 static_cast<unsigned long long>(dropped));
}

void AccessLog::finish() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.store(true, std::memory_order_release);
  queued_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AccessLog::record(std::string_view remote_address, const ParsedRequest& request, int status,
                       std::uint64_t body_bytes) {
  const std::string line = format_access_log_line(remote_address, request, status, body_bytes, std::time(nullptr));
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() + line.size() > queue_bytes_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    was_empty = queue_.empty();
    queue_ += line;
  }
  if (was_empty) queued_.notify_one();  // otherwise the writer is already busy, and will look again
}

void AccessLog::write_queued() {
  std::string writing;  // what was taken from the queue, written with no lock held
  std::chrono::steady_clock::time_point give_up_at = std::chrono::steady_clock::time_point::max();
  const auto give_up = [&] {
    if (!stop_requested()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (give_up_at == std::chrono::steady_clock::time_point::max()) give_up_at = now + kStopGrace;
    return now >= give_up_at;
  };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is written
      writing.swap(queue_);
    }
    const std::size_t written = write_when_writable(fd_, writing, give_up);
    if (written < writing.size()) {  // lost, a line cut short included
      const auto rest = std::string_view(writing).substr(written);
      dropped_.fetch_add(static_cast<std::uint64_t>(std::count(rest.begin(), rest.end(), '\n')),
                         std::memory_order_relaxed);
    }
    writing.clear();
  }
}

}  // namespace platespin
