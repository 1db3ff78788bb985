#include "tcp_pump.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "client_watch.hpp"
#include "pacer.hpp"

namespace platespin::proxy {

namespace {

using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

constexpr std::size_t kLargestRead = 64 * 1024;     // one read takes at most this much (the scratch buffer)
constexpr std::size_t kMostHeld = 1024 * 1024;      // a shaped direction stops reading while it holds this much
constexpr auto kNever = Clock::time_point::max();

// The read buffer of this thread's event loop: data lives here only between a
// read and the write that follows it without waiting.
std::span<char> scratch() {
  thread_local std::vector<char> buffer(kLargestRead);
  return buffer;
}

// SplitMix64: the next of a reproducible sequence (jitter draws).
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Writes what the socket takes now without waiting; returns how much that was.
// `ec` is set on a real error (not on a full send buffer).
std::size_t write_now(Socket& to, std::span<const char> data, error_code& ec) {
  std::size_t done = 0;
  while (done < data.size()) {
    const std::size_t n = to.write_some(asio::buffer(data.data() + done, data.size() - done), ec);
    if (ec) {
      if (ec == asio::error::would_block || ec == asio::error::try_again) ec.clear();
      break;
    }
    done += n;
  }
  return done;
}

bool shaped(const TcpStream& s) {
  return s.latency.count() > 0 || s.jitter.count() > 0 || s.pacing.shaped() || s.drop || s.reset ||
         s.close_delay.count() > 0;
}

struct Chunk {
  Clock::time_point due;
  std::vector<char> bytes;
  std::size_t sent = 0;
};

struct Link;

// One direction: bytes from `from` to `to`.
struct Direction {
  Direction(Link& owner, Socket& source, Socket& destination, const TcpStream& stream,
            std::atomic<std::uint64_t>& counter, std::uint64_t seed)
      : link(owner), from(source), to(destination), fate(stream), written(counter), random(seed),
        wake(source.get_executor()) {}

  Link& link;
  Socket& from;
  Socket& to;
  const TcpStream& fate;
  std::atomic<std::uint64_t>& written;
  std::uint64_t random;  // jitter draws
  // The writer's timer: waits for a chunk's due time, the pacer, a close; cancelled to wake it early.
  Timer wake;

  // Shaped directions only: what the reader has queued for the writer.
  std::vector<Chunk> queue;  // [head, end) waiting, in order
  std::size_t head = 0;
  std::size_t held = 0;  // bytes in the queue not yet written
  bool waiting_read = false;
  bool ended = false;                         // the source sent its FIN (or failed)
  Clock::time_point last_due{};               // keeps the order when jitter draws a shorter wait
  Clock::time_point last_data = Clock::now(); // drop: when data last came
  std::optional<Clock::time_point> reset_at;  // reset_peer: when to reset both sides
  std::optional<Pacer> pacer;                 // made at the first write
  Clock::time_point next_write{};             // the pacer's: when the next write may start

  // Reads what is there now, then waits for more (reader of a shaped direction).
  void read_more(const std::shared_ptr<Link>& self);
  void arrived(std::span<const char> data, Clock::time_point now);
  void source_ended(Clock::time_point now) {
    ended = true;
    if (fate.reset && !reset_at) reset_at = now + fate.reset_after;
    wake.cancel();
  }
  Micros jitter() {
    if (fate.jitter.count() <= 0) return Micros(0);
    const auto span = static_cast<std::uint64_t>(fate.jitter.count());
    return Micros(static_cast<std::int64_t>(next_random(random) % (2 * span + 1)) - fate.jitter.count());
  }
  // Passes the source's end on: the destination's sending side is shut.
  void pass_end_on();
};

// Both sockets and both directions of one connection; shared by the
// coroutines and the readiness handlers that run on its event loop.
struct Link : std::enable_shared_from_this<Link> {
  Link(Socket c, Socket s, const TcpFate& f, FateUpdates fate_updates, Clock::duration idle_limit,
       RelayCounters counters)
      : client(std::move(c)),
        server(std::move(s)),
        fate(f),
        updates(std::move(fate_updates)),
        idle(idle_limit),
        idle_timer(client.get_executor()),
        join(client.get_executor()),
        upstream(*this, client, server, fate.upstream, counters.bytes_to_backend, fate.random),
        downstream(*this, server, client, fate.downstream, counters.bytes_to_client,
                   fate.random ^ 0xd1b54a32d192ed03ULL) {}

  Socket client, server;
  TcpFate fate;  // the directions read their halves of it: replaced whole when the toxics change
  FateUpdates updates;
  Clock::duration idle;
  Clock::time_point last_byte = Clock::now();
  Timer idle_timer;
  Timer join;  // the upstream coroutine cancels it when it ends
  bool upstream_done = false;
  bool closed = false;
  Direction upstream, downstream;

  // Takes the listener's new toxics, if they changed: from the next chunk on
  // (a pacer starts again with them; what is queued keeps its due time).
  void refresh() {
    if (!updates) return;
    auto next = updates();
    if (!next) return;
    next->cut = fate.cut;
    fate = *next;
    for (Direction* d : {&upstream, &downstream}) {
      d->pacer.reset();
      d->next_write = {};
      d->wake.cancel();
    }
  }

  // Ends the connection both ways: a FIN to both peers, or a reset (SO_LINGER 0).
  // Every pending wait ends with operation_aborted.
  void close(bool reset) {
    if (closed) return;
    closed = true;
    for (Socket* s : {&client, &server}) {
      error_code ignored;
      if (reset) {
        s->set_option(asio::socket_base::linger(true, 0), ignored);
      } else {
        s->shutdown(Socket::shutdown_both, ignored);
      }
      s->close(ignored);
    }
    idle_timer.cancel();
    upstream.wake.cancel();
    downstream.wake.cancel();
  }

  // Closes the connection once no byte moved either way for `idle`.
  void watch_idle() {
    idle_timer.expires_at(last_byte + idle);
    idle_timer.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec || self->closed) return;
      if (Clock::now() >= self->last_byte + self->idle) {
        self->close(false);
      } else {
        self->watch_idle();
      }
    });
  }
};

void Direction::pass_end_on() {
  if (link.closed) return;
  error_code ignored;
  to.shutdown(Socket::shutdown_send, ignored);
}

void Direction::read_more(const std::shared_ptr<Link>& self) {
  if (waiting_read || ended || link.closed) return;
  for (;;) {
    if (held >= kMostHeld) return;  // the writer reads on as it drains
    const std::span<char> buffer = scratch();
    error_code ec;
    const std::size_t n = from.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    const auto now = Clock::now();
    if (ec) {
      source_ended(now);
      return;
    }
    arrived(buffer.first(n), now);
  }
  waiting_read = true;
  from.async_wait(Socket::wait_read, [this, self](const error_code& ec) {
    waiting_read = false;
    if (self->closed) return;
    if (ec) {
      source_ended(Clock::now());
      return;
    }
    read_more(self);
  });
}

void Direction::arrived(std::span<const char> data, Clock::time_point now) {
  link.last_byte = now;
  if (fate.reset) {  // the first data (or the end) starts the countdown; nothing gets through
    if (!reset_at) reset_at = now + fate.reset_after;
    wake.cancel();
    return;
  }
  if (fate.drop) {
    last_data = now;
    wake.cancel();
    return;
  }
  const auto due = std::max({now, now + fate.latency + jitter(), last_due});
  last_due = due;
  if (head > 0 && head == queue.size()) {
    queue.clear();
    head = 0;
  } else if (head >= 64 && 2 * head >= queue.size()) {  // a stream that never drains: drop what was sent
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head));
    head = 0;
  }
  queue.push_back(Chunk{due, std::vector<char>(data.begin(), data.end())});
  held += data.size();
  wake.cancel();
}

// The timer of `d` set to `when`, waited for (or woken early by the reader or a close).
#define PLATESPIN_WAIT_UNTIL(d, when)                  \
  do {                                                 \
    (d).wake.expires_at(when);                         \
    co_await (d).wake.async_wait(use_nothrow);         \
  } while (false)

Task<void> shape(std::shared_ptr<Link> link, Direction& d);

// An unshaped direction: read what is there, write it, again; no timer, no
// queue. A toxic added meanwhile turns it into a shaped one.
Task<void> copy(std::shared_ptr<Link> link, Direction& d) {
  bool drained = false;  // the last read emptied the socket and nothing ran since: wait before reading
  for (;;) {
    if (drained) {
      auto [ec] = co_await d.from.async_wait(Socket::wait_read, use_nothrow);
      if (link->closed) co_return;
      if (ec) break;
    }
    link->refresh();
    if (shaped(d.fate)) {
      co_await shape(link, d);
      co_return;
    }
    const std::span<char> buffer = scratch();
    error_code ec;
    const std::size_t n = d.from.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      drained = true;
      continue;
    }
    if (ec == asio::error::eof) break;
    if (ec) {  // a reset or another failure: the connection is gone
      link->close(false);
      co_return;
    }
    link->last_byte = Clock::now();
    drained = n < buffer.size();
    const std::size_t sent = write_now(d.to, buffer.first(n), ec);
    d.written += sent;
    if (!ec && sent < n) {  // the peer is not reading fast enough: keep the rest, wait for it to go
      std::vector<char> rest(buffer.begin() + static_cast<std::ptrdiff_t>(sent),
                             buffer.begin() + static_cast<std::ptrdiff_t>(n));
      auto [wec, later] = co_await asio::async_write(d.to, asio::buffer(rest), use_nothrow);
      d.written += later;
      ec = wec;
      drained = false;  // other handlers ran meanwhile: read before waiting
    }
    if (ec) {
      link->close(false);
      co_return;
    }
  }
  d.pass_end_on();
}

// A shaped direction: the reader (read_more, on readiness) queues chunks with
// their due times; this coroutine writes them when due, paced, and carries
// out the drop, reset and close toxics.
Task<void> shape(std::shared_ptr<Link> link, Direction& d) {
  d.read_more(link);
  for (;;) {
    if (link->closed) co_return;
    link->refresh();
    const auto now = Clock::now();
    if (d.reset_at) {
      if (now < *d.reset_at) {
        PLATESPIN_WAIT_UNTIL(d, *d.reset_at);
        continue;
      }
      link->close(true);
      co_return;
    }
    if (d.fate.drop) {
      if (d.ended) break;
      if (d.fate.drop_close_after.count() > 0 && now >= d.last_data + d.fate.drop_close_after) {
        link->close(false);
        co_return;
      }
      PLATESPIN_WAIT_UNTIL(d, d.fate.drop_close_after.count() > 0 ? d.last_data + d.fate.drop_close_after : kNever);
      continue;
    }
    if (d.head == d.queue.size()) {
      if (d.ended) break;
      PLATESPIN_WAIT_UNTIL(d, kNever);
      continue;
    }
    Chunk& chunk = d.queue[d.head];
    if (now < chunk.due) {
      PLATESPIN_WAIT_UNTIL(d, chunk.due);
      continue;
    }
    if (now < d.next_write) {  // the throttle or the slicer's pause
      PLATESPIN_WAIT_UNTIL(d, d.next_write);
      continue;
    }
    if (!d.pacer) d.pacer.emplace(d.fate.pacing, d.random, now);
    const std::size_t size = d.pacer->next_size(chunk.bytes.size() - chunk.sent);
    if (size == 0) {  // the limit is reached and more data came: the connection is cut
      link->close(false);
      co_return;
    }
    const std::span<const char> piece(chunk.bytes.data() + chunk.sent, size);
    error_code ec;
    std::size_t wrote = write_now(d.to, piece, ec);
    if (!ec && wrote < size) {
      auto [wec, later] = co_await asio::async_write(d.to, asio::buffer(piece.subspan(wrote).data(), size - wrote),
                                                     use_nothrow);
      wrote += later;
      ec = wec;
    }
    d.written += wrote;
    if (ec || link->closed) {
      link->close(false);
      co_return;
    }
    // `chunk` may have moved if the reader queued meanwhile: index again.
    Chunk& current = d.queue[d.head];
    current.sent += size;
    d.held -= size;
    if (current.sent == current.bytes.size()) {
      current.bytes = {};
      ++d.head;
    }
    const auto next = d.pacer->wrote(size, Clock::now());
    if (d.pacer->cut()) {  // exactly `limit` bytes passed: Toxiproxy closes the whole connection
      link->close(false);
      co_return;
    }
    d.next_write = next;
    d.read_more(link);
  }
  // The source ended and everything it sent went on (or was dropped).
  const auto close_at = Clock::now() + d.fate.close_delay;
  while (!link->closed && Clock::now() < close_at) PLATESPIN_WAIT_UNTIL(d, close_at);
  d.pass_end_on();
}

#undef PLATESPIN_WAIT_UNTIL

// Not a coroutine itself: one frame per direction.
Task<void> pump(std::shared_ptr<Link> link, Direction& d) {
  return shaped(d.fate) ? shape(std::move(link), d) : copy(std::move(link), d);
}

}  // namespace

Task<void> relay(Socket client, Socket server, const TcpFate& fate, FateUpdates updates,
                 Clock::duration idle, RelayCounters counters) {
  const auto link =
      std::make_shared<Link>(std::move(client), std::move(server), fate, std::move(updates), idle, counters);
  for (Socket* s : {&link->client, &link->server}) {
    error_code ignored;
    s->non_blocking(true, ignored);
  }
  link->watch_idle();
  asio::co_spawn(link->client.get_executor(), pump(link, link->upstream), [link](const std::exception_ptr&) {
    link->upstream_done = true;
    link->join.cancel();
  });
  co_await pump(link, link->downstream);
  while (!link->upstream_done) {
    link->join.expires_at(kNever);
    co_await link->join.async_wait(use_nothrow);
  }
  link->close(false);  // ends the idle watch and any readiness wait still pending
}

}  // namespace platespin::proxy
