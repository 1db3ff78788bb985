#include "http_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "client_watch.hpp"
#include "lingering_close.hpp"

namespace platespin::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// How long a keep-alive client may stay silent between requests, or stall a write.
constexpr auto kClientIdle = std::chrono::seconds(60);
// Body bytes moved per read/write step: small enough that 1,000 streaming
// sessions stay cheap, large enough for one write per flag.
constexpr std::size_t kChunk = 16 * 1024;
// A throttled response is written in about this many pieces per second.
constexpr std::uint64_t kThrottleStepsPerSecond = 20;

// What became of one request, for the counters and the connection.
struct Outcome {
  int status = 0;           // sent to the client; 0 when nothing was
  bool keep_going = false;  // read the next request on this connection
};

// How a body is moved: throttled, cut short, or neither.
struct Pacing {
  std::uint64_t bandwidth_bps = 0;                                   // 0: as fast as it goes
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();  // body bytes sent at most
};

enum class Relay {
  done,
  read_failed,
  write_failed,
  cut,             // pacing's limit reached (truncate)
  answered_early,  // the backend answered before the request body was all sent (it refused it)
};

// The client sent something that is not HTTP (as opposed to leaving or timing out).
bool is_malformed(const beast::error_code& ec) {
  return ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

// The start line and fields of a request or response as they go on the wire.
template <bool isRequest>
std::string serialize_header(const http::message<isRequest, http::buffer_body>& message) {
  std::string head;
  head.reserve(512);
  const auto version = fmt::format("HTTP/{}.{}", message.version() / 10, message.version() % 10);
  if constexpr (isRequest) {
    head.append(message.method_string()).append(" ").append(message.target()).append(" ").append(version);
  } else {
    head.append(version).append(" ").append(std::to_string(message.result_int())).append(" ").append(message.reason());
  }
  head.append("\r\n");
  for (const auto& field : message) head.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  head.append("\r\n");
  return head;
}

std::string reason_phrase(int status) {
  return std::string(http::obsolete_reason(static_cast<http::status>(status)));
}

// Feeds the parser what `buffer` already holds (a small body usually came
// with its header), instead of a read that would only go round the event loop
// to find it there. need_more: the rest is still to come.
template <bool isRequest>
beast::error_code parse_buffered(beast::flat_buffer& buffer, http::parser<isRequest, http::buffer_body>& p) {
  beast::error_code ec = http::error::need_more;
  if (buffer.size() == 0) return ec;
  p.eager(true);
  buffer.consume(p.put(buffer.data(), ec));
  return ec;
}

// Writes all of `buffers`: at once when the socket takes them, which it nearly
// always does (a response is smaller than the send buffer), else the rest on the
// event loop. A write that completes at once then costs no trip through the
// scheduler, and 1,000 responses due at the same moment feel each trip.
template <typename Buffers>
asio::awaitable<std::tuple<beast::error_code, std::size_t>> write_all(beast::tcp_stream& to, const Buffers& buffers) {
  beast::error_code ec;
  if (!to.socket().non_blocking()) to.socket().non_blocking(true, ec);  // once per socket: it is a system call
  const std::size_t sent = ec ? 0 : to.socket().write_some(buffers, ec);
  if (!ec && sent == asio::buffer_size(buffers)) co_return std::tuple(ec, sent);
  if (ec && ec != asio::error::would_block) co_return std::tuple(ec, sent);
  beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(sent);
  to.expires_after(kClientIdle);
  auto [write_error, more] = co_await asio::async_write(to, rest, use_nothrow);
  co_return std::tuple(write_error, sent + more);
}

class HttpSession {
 public:
  HttpSession(tcp::socket client, ListenerState& listener, BackendPool& pool, Clock::duration timeout)
      : client_(std::move(client)), listener_(listener), pool_(pool), timeout_(timeout) {}

  asio::awaitable<void> run() {
    const GaugeUp open(listener_.gauges.client_connections, std::adopt_lock);  // counted at accept
    for (;;) {
      http::request_parser<http::buffer_body> parser;
      parser.body_limit(boost::none);  // bodies are streamed, never held whole
      client_.expires_after(kClientIdle);
      auto [ec, n] = co_await http::async_read_header(client_, buffer_, parser, use_nothrow);
      if (ec == http::error::header_limit) {
        co_await send_status(431, false);
        break;
      }
      if (is_malformed(ec)) {
        co_await send_status(400, false);
        break;
      }
      if (ec || !listener_.enabled) break;
      const Outcome outcome = co_await serve(parser);
      if (!outcome.keep_going) {
        // We answered without reading the whole request body: the client may still be sending it.
        if (outcome.status != 0 && !parser.is_done()) {
          co_await lingering_close(client_);
          co_return;
        }
        break;
      }
    }
    beast::error_code ignored;
    client_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    client_.close();
  }

 private:
  asio::awaitable<Outcome> serve(http::request_parser<http::buffer_body>& parser) {
    auto& req = parser.get();
    const Fate fate = listener_.next_fate(req.method_string(), req.target());
    Outcome outcome = co_await carry_out(fate, parser);
    // A request that got a status was counted before it was written (see answer());
    // this one got none (hang, blackout, abort, a client that left).
    if (outcome.status == 0) listener_.count_request(fate.behavior, 0);
    co_return outcome;
  }

  // Answers with a status page of our own. The request is counted before the
  // answer is written, so that a client that reads it and then asks the API
  // (served on another thread) finds it counted; forward() does the same.
  asio::awaitable<Outcome> answer(const Fate& fate, int status, bool keep_alive) {
    listener_.count_request(fate.behavior, status);
    co_return Outcome{status, co_await send_status(status, keep_alive)};
  }

  asio::awaitable<Outcome> carry_out(const Fate& fate, http::request_parser<http::buffer_body>& parser) {
    client_.expires_never();
    if (fate.delay_before.count() > 0 && !co_await wait(fate.delay_before)) co_return Outcome{};
    switch (fate.cut) {
      case Fate::Cut::hang: {
        const GaugeUp waiting(listener_.gauges.waiting);
        co_await wait_until_client_leaves(client_.socket());
        co_return Outcome{};
      }
      case Fate::Cut::blackout: co_return Outcome{};
      case Fate::Cut::abort: reset_connection(client_.socket()); co_return Outcome{};
      case Fate::Cut::none:
      case Fate::Cut::truncate: break;
    }
    // A request body we do not forward would have to be read and thrown away: close instead.
    const bool keep_alive = parser.get().keep_alive() && parser.is_done();
    if (fate.error_status != 0) co_return co_await answer(fate, fate.error_status, keep_alive);
    co_return co_await forward(fate, parser);
  }

  // Waits on the event loop, no backend socket held; false when the client left meanwhile.
  asio::awaitable<bool> wait(Micros duration) {
    const GaugeUp waiting(listener_.gauges.waiting);
    co_return co_await wait_unless_client_leaves(client_.socket(), duration);
  }

  // A small HTML page like Vaurien's error behavior sends. True when it went out and the connection stays.
  asio::awaitable<bool> send_status(int status, bool keep_alive) {
    const std::string title = std::to_string(status) + " " + reason_phrase(status);
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "chaos_proxy");
    res.set(http::field::content_type, "text/html; charset=UTF-8");
    res.body() = "<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>\n";
    res.keep_alive(keep_alive);
    res.prepare_payload();
    client_.expires_after(kClientIdle);
    auto [ec, n] = co_await http::async_write(client_, res, use_nothrow);
    listener_.counters.bytes_to_client += n;
    co_return !ec && keep_alive;
  }

  asio::awaitable<Outcome> forward(const Fate& fate, http::request_parser<http::buffer_body>& parser) {
    auto& req = parser.get();
    const bool client_keep_alive = req.keep_alive();
    const bool head = req.method() == http::verb::head;
    // Hop-by-hop headers are ours to set on each side (RFC 9110 7.6.1).
    req.erase(http::field::proxy_connection);
    req.erase(http::field::keep_alive);
    req.keep_alive(true);
    const bool has_body = !parser.is_done();
    // We answer "Expect: 100-continue" ourselves, as nginx does: the backend
    // then gets the body at once and never sends an interim response.
    if (has_body && beast::iequals(req[http::field::expect], "100-continue")) {
      req.erase(http::field::expect);
      auto [ec, n] = co_await write_all(client_, asio::buffer(std::string_view("HTTP/1.1 100 Continue\r\n\r\n")));
      listener_.counters.bytes_to_client += n;
      if (ec) co_return Outcome{};
    }

    std::unique_ptr<BackendConnection> backend;
    bool request_sent = false;  // the whole request, body included, reached the backend
    std::optional<http::response_parser<http::buffer_body>> rp;
    // A pooled connection the backend closed while idle fails at once: try once more on a new one.
    for (int attempt = 0;; ++attempt) {
      bool connected = true;
      try {
        backend = co_await pool_.acquire(attempt > 0);
      } catch (const boost::system::system_error&) {
        connected = false;  // (no co_await inside a handler)
      }
      if (!connected) {
        ++listener_.counters.backend_errors;
        co_return co_await answer(fate, 502, client_keep_alive && !has_body);
      }
      const Relay sent =
          co_await relay(&client_, buffer_, parser, backend->stream, Pacing{}, listener_.counters.bytes_to_backend);
      if (sent == Relay::read_failed) {  // the client went away mid-body
        pool_.release(std::move(backend), false);
        co_return Outcome{};
      }
      // Even when the backend stopped reading our request (it may refuse a
      // body), the answer it sent before closing is the one to relay.
      const auto ec = co_await read_final_header(*backend, rp, head);
      if (!ec) {
        request_sent = sent == Relay::done;
        break;
      }
      const bool retry = backend->reused && !has_body && attempt == 0 && ec != beast::error::timeout;
      pool_.release(std::move(backend), false);
      if (retry) continue;
      ++listener_.counters.backend_errors;
      co_return co_await answer(fate, ec == beast::error::timeout ? 504 : 502, false);
    }

    auto& res = rp->get();
    const int status = static_cast<int>(res.result_int());
    const bool backend_reusable = res.keep_alive() && !rp->need_eof() && request_sent;
    // The answer as far as it came with its header; all of it, when the
    // backend connection goes back to the pool before a delay.
    beast::flat_buffer* answer = &backend->buffer;
    beast::flat_buffer held;
    if (fate.delay_after.count() > 0) {
      // A small answer is all in the buffer already: keep it and wait without
      // the backend connection, as a delay before does (the pool is bounded).
      const auto length = rp->is_done() ? boost::optional<std::uint64_t>(0) : rp->content_length();
      if (length && backend->buffer.size() >= *length) {
        const auto n = static_cast<std::size_t>(*length);
        held.commit(asio::buffer_copy(held.prepare(n), backend->buffer.data(), n));
        backend->buffer.consume(n);
        pool_.release(std::move(backend), backend_reusable);
        answer = &held;
      }
      if (!co_await wait(fate.delay_after)) {
        if (backend) pool_.release(std::move(backend), false);
        co_return Outcome{};
      }
    }
    // A request body left unread in the client's socket ends the conversation.
    const bool keep_alive = client_keep_alive && !rp->need_eof() && request_sent;
    res.keep_alive(keep_alive);
    Pacing pacing{fate.bandwidth_bps};
    if (fate.cut == Fate::Cut::truncate) {
      pacing.limit = fate.truncate_bytes;
      if (const auto length = rp->content_length()) pacing.limit = std::min(pacing.limit, *length / 2);
    }
    listener_.count_request(fate.behavior, status);  // before the answer goes out, as in answer()
    const Relay sent = co_await relay(backend ? &backend->stream : nullptr, *answer, *rp, client_, pacing,
                                      listener_.counters.bytes_to_client);
    if (backend) pool_.release(std::move(backend), sent == Relay::done && backend_reusable);
    if (sent == Relay::read_failed) ++listener_.counters.backend_errors;
    co_return Outcome{status, sent == Relay::done && keep_alive};
  }

  // The backend's final response header into a fresh `rp`; interim ones
  // (103 Early Hints; 100 Continue from a backend that sends it unasked) are dropped.
  asio::awaitable<beast::error_code> read_final_header(BackendConnection& backend,
                                                       std::optional<http::response_parser<http::buffer_body>>& rp,
                                                       bool head) {
    for (;;) {
      rp.emplace();
      rp->body_limit(boost::none);
      rp->skip(head);
      backend.stream.expires_after(timeout_);
      auto [ec, n] = co_await http::async_read_header(backend.stream, backend.buffer, *rp, use_nothrow);
      const unsigned status = rp->get().result_int();
      if (ec || status < 100 || status >= 200 || status == 101) co_return ec;
    }
  }

  // Moves a message whose header `p` has read from `from` to `to`, piece by
  // piece (Beast's relay example), paced as asked. The header goes out with
  // the first piece, as one buffer (Beast's serializer would hand the kernel
  // four buffers a field); a chunked body is chunked again as it goes.
  // `from` is null when `from_buffer` holds the whole body.
  template <bool isRequest>
  asio::awaitable<Relay> relay(beast::tcp_stream* from, beast::flat_buffer& from_buffer,
                               http::parser<isRequest, http::buffer_body>& p, beast::tcp_stream& to, Pacing pacing,
                               std::atomic<std::uint64_t>& bytes_written) {
    std::string head = serialize_header(p.get());
    const bool rechunk = p.get().chunked() && !p.is_done();
    // Sized to the body when it is small and known: no 16 KiB for a 1 KiB flag.
    const std::size_t chunk_size = p.is_done() ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(
                                                           kChunk, p.content_length().value_or(kChunk)));
    const auto chunk = std::make_unique_for_overwrite<char[]>(chunk_size);
    const auto started = Clock::now();
    std::uint64_t body_sent = 0;
    std::size_t step = chunk_size;
    if (pacing.bandwidth_bps > 0)
      step = std::min(chunk_size, static_cast<std::size_t>(std::clamp<std::uint64_t>(
                                      pacing.bandwidth_bps / kThrottleStepsPerSecond, 1, kChunk)));
    for (;;) {
      if (body_sent >= pacing.limit) {
        if (!head.empty()) bytes_written += std::get<1>(co_await write_all(to, asio::buffer(head)));
        co_return Relay::cut;
      }
      std::size_t got = 0;
      if (!p.is_done()) {
        auto& body = p.get().body();
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(step, pacing.limit - body_sent));
        body.data = chunk.get();
        body.size = want;
        auto ec = parse_buffered(from_buffer, p);
        if (!ec && !p.is_done() && body.size > 0) ec = http::error::need_more;  // fill the piece before writing it
        if (ec == http::error::need_more && from) {
          from->expires_after(timeout_);
          std::tie(ec, std::ignore) = co_await http::async_read(*from, from_buffer, p, use_nothrow);
        }
        if (ec == http::error::need_buffer) ec = {};
        if (ec) co_return Relay::read_failed;
        got = want - body.size;
      }
      const std::string chunk_start = rechunk && got > 0 ? fmt::format("{:x}\r\n", got) : std::string();
      const std::string_view chunk_end = rechunk && got > 0 ? "\r\n" : "";
      const std::string_view last_chunk = rechunk && p.is_done() ? "0\r\n\r\n" : "";
      const std::array<asio::const_buffer, 5> out{asio::buffer(head), asio::buffer(chunk_start),
                                                  asio::buffer(chunk.get(), got), asio::buffer(chunk_end),
                                                  asio::buffer(last_chunk)};
      auto [ec, n] = co_await write_all(to, out);
      bytes_written += n;
      if (ec) co_return Relay::write_failed;
      head.clear();
      body_sent += got;
      if (p.is_done()) co_return Relay::done;
      // A backend that refuses a body answers at once and stops reading: stop sending it.
      if constexpr (isRequest)
        if (pending(to.socket()) != Pending::nothing) co_return Relay::answered_early;
      if (pacing.bandwidth_bps > 0 && got > 0) {
        const auto due = started + std::chrono::microseconds(body_sent * 1'000'000 / pacing.bandwidth_bps);
        asio::steady_timer timer(co_await asio::this_coro::executor, due);
        co_await timer.async_wait(use_nothrow);
      }
    }
  }

  beast::tcp_stream client_;
  beast::flat_buffer buffer_;
  ListenerState& listener_;
  BackendPool& pool_;
  Clock::duration timeout_;
};

}  // namespace

asio::awaitable<void> serve_http(tcp::socket client, ListenerState& listener, BackendPool& pool,
                                 Clock::duration timeout) {
  HttpSession session(std::move(client), listener, pool, timeout);
  co_await session.run();
}

}  // namespace platespin::proxy
