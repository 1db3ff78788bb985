#include "http_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/container/small_vector.hpp>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "client_watch.hpp"
#include "http_stream.hpp"
#include "lingering_close.hpp"
#include "message_framing.hpp"
#include "pacer.hpp"

namespace platespin::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// Body bytes moved per read/write step: small enough that 1,000 streaming
// sessions stay cheap, large enough for one write per flag.
constexpr std::size_t kChunk = 16 * 1024;
// A sliced body's buffer holds one slice, up to this many bytes (slicer's average_size goes to 1 MiB).
constexpr std::size_t kLargestSlice = 2 * 1024 * 1024;
// Interim (1xx) responses skipped before the final one; more is a hostile backend.
constexpr int kMaxInterimResponses = 16;

// What became of one request, for the counters and the connection.
struct RequestEnd {
  int status = 0;           // sent to the client; 0 when nothing was
  bool keep_going = false;  // read the next request on this connection
  Micros close_delay{0};    // before we close the connection, when it ends with this request (slow_close)
};

enum class Relay {
  done,
  read_failed,
  write_failed,
  cut,             // pacing's limit reached (limit_data, truncate) before the message ended
  answered_early,  // the backend answered before the request body was all sent (it refused it)
};

struct Relayed {
  Relay how = Relay::done;
  beast::error_code error;    // of the failed read or write
  std::uint64_t written = 0;  // bytes that reached `to`, header included
};

// The client sent something that is not HTTP (as opposed to leaving or timing out).
bool is_malformed(const beast::error_code& ec) {
  return ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
         ec != http::error::partial_message;
}

// A pooled connection the backend closed while it sat idle: it fails at once, before any answer.
bool is_stale(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

// RFC 9110 §9.2.2: a request that may be sent twice without harm.
bool is_idempotent(http::verb method) {
  using enum http::verb;
  return method == get || method == head || method == put || method == delete_ || method == options ||
         method == trace;
}

// RFC 9110 §7.6.1: Connection, and every field it names, are for one hop only;
// so is Upgrade: we do not tunnel, so the backend must not switch protocols.
template <bool isRequest>
void strip_hop_by_hop(http::header<isRequest>& h) {
  boost::container::small_vector<std::string, 2> named;
  for (auto [it, end] = h.equal_range(http::field::connection); it != end; ++it)
    for (const auto token : http::token_list(it->value()))
      if (!beast::iequals(token, "close") && !beast::iequals(token, "keep-alive")) named.emplace_back(token);
  for (const auto& name : named) h.erase(name);
  for (const auto field : {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
                           http::field::upgrade})
    h.erase(field);
}

// http_header's edits: `remove` first, then `set` (which replaces every field
// of that name with one). An edit never touches Content-Length,
// Transfer-Encoding or Connection: those frame the message and the connection,
// and they are ours to write (serialize_header() frames the body as we relay
// it, keep_alive() says whether the connection stays); a changed one would
// leave the client or the backend reading a different message than we send.
bool frames_the_message(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

template <bool isRequest>
void edit_header(http::header<isRequest>& h, const HeaderEdits& edits) {
  for (const auto& name : edits.remove)
    if (!frames_the_message(name)) h.erase(name);
  for (const auto& [name, value] : edits.set)
    if (!frames_the_message(name)) h.set(name, value);
}

// The start line and fields of a request or response as they go on the wire,
// framed as `framing` says, whatever Content-Length or Transfer-Encoding lines
// the message came with.
template <bool isRequest>
std::string serialize_header(const http::message<isRequest, http::buffer_body>& message, const Framing& framing) {
  std::string head;
  head.reserve(512);
  const auto version = fmt::format("HTTP/{}.{}", message.version() / 10, message.version() % 10);
  if constexpr (isRequest) {
    head.append(message.method_string()).append(" ").append(message.target()).append(" ").append(version);
  } else {
    head.append(version).append(" ").append(std::to_string(message.result_int())).append(" ").append(message.reason());
  }
  head.append("\r\n");
  // A response without a body (to HEAD, 204, 304) keeps its lines: they describe the resource.
  const bool reframe = isRequest || framing.body != Framing::Body::none;
  for (const auto& field : message) {
    if (reframe && (field.name() == http::field::content_length || field.name() == http::field::transfer_encoding))
      continue;
    head.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  switch (framing.body) {
    case Framing::Body::none: break;
    case Framing::Body::length: head.append(fmt::format("Content-Length: {}\r\n", framing.length)); break;
    case Framing::Body::chunked:
      head.append("Transfer-Encoding: ").append(framing.codings).append(framing.codings.empty() ? "" : ", ");
      head.append("chunked\r\n");
      break;
    case Framing::Body::until_close:
      if (!framing.codings.empty()) head.append("Transfer-Encoding: ").append(framing.codings).append("\r\n");
      break;
  }
  head.append("\r\n");
  return head;
}

// The end of a chunked body: the last chunk, the trailer fields (those the
// parser added after the header's `header_fields`), the final CRLF.
template <bool isRequest>
std::string last_chunk(const http::message<isRequest, http::buffer_body>& message, std::size_t header_fields) {
  std::string out = "0\r\n";
  std::size_t i = 0;
  for (const auto& field : message)
    if (i++ >= header_fields) out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  return out.append("\r\n");
}

std::string reason_phrase(int status) {
  return std::string(http::obsolete_reason(static_cast<http::status>(status)));
}

// When Beast waits on more of a chunked body, what it has not parsed is a
// chunk-size line or trailer lines (data it takes as it comes): false when
// they hold a bare LF (RFC 9112 §7.1 wants CRLF) or are longer than any sane
// chunk header and trailers.
bool chunk_lines_can_end(const beast::flat_buffer& buffer) {
  constexpr std::size_t kMaxChunkLines = 8 * 1024;
  const auto* bytes = static_cast<const char*>(buffer.data().data());
  const std::size_t n = buffer.size();
  if (n > kMaxChunkLines) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) return false;
  return true;
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
Task<std::tuple<beast::error_code, std::size_t>> write_all(HttpStream& to, const Buffers& buffers,
                                                           Clock::duration stall) {
  beast::error_code ec;
  if (!to.socket().non_blocking()) to.socket().non_blocking(true, ec);  // once per socket: it is a system call
  const std::size_t sent = ec ? 0 : to.socket().write_some(buffers, ec);
  if (!ec && sent == asio::buffer_size(buffers)) co_return std::tuple(ec, sent);
  if (ec && ec != asio::error::would_block) co_return std::tuple(ec, sent);
  beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(sent);
  to.expires_after(stall);
  auto [write_error, more] = co_await asio::async_write(to, rest, use_nothrow);
  co_return std::tuple(write_error, sent + more);
}

// The buffer for a body's pieces: sized to the body when it is small and known
// (no 16 KiB for a 1 KiB flag), and to a whole slice when a slicer asks for
// writes larger than the usual piece.
std::size_t body_piece_size(boost::optional<std::uint64_t> length, const Pacing& pacing) {
  std::uint64_t size = kChunk;
  if (pacing.slice_bytes > 0)
    size = std::clamp<std::uint64_t>(pacing.slice_bytes + pacing.slice_variation, kChunk, kLargestSlice);
  return static_cast<std::size_t>(std::min(size, length.value_or(size)));
}

// A backend connection borrowed for one exchange, the parser of its answer, and
// what is known of the exchange so far.
struct Exchange {
  std::unique_ptr<BackendConnection> backend;
  std::optional<ResponseParser> response;
  bool request_sent = false;  // the whole request, body included, reached the backend
  bool client_left = false;   // while we passed an interim response on
};

// Why an exchange ended without an answer to relay.
struct Failure {
  int status = 0;           // to answer the client with; 0: the client left or was cut off, nothing to answer
  bool keep_alive = false;  // the client's connection may serve its next request after it
};

// What the client's request asked of the answer, noted before the request is rewritten for the backend.
struct ClientSide {
  bool keep_alive = false;
  bool head = false;
  unsigned version = 11;
};

// The backend connection may serve another request once this answer is read whole.
bool backend_reusable(const Exchange& exchange, const Framing& framing) {
  return exchange.response->get().keep_alive() && framing.body != Framing::Body::until_close &&
         exchange.request_sent;
}

class HttpSession {
 public:
  HttpSession(Socket client, ListenerState& listener, BackendPool& pool, SessionTimeouts timeouts)
      : client_(std::move(client)), listener_(listener), pool_(pool), timeouts_(timeouts) {}

  // Beast's do_session: read a request, decide its fate, carry it out; until the connection ends.
  Task<void> run() {
    for (;;) {
      RequestParser parser;
      const std::optional<Framing> framing = co_await read_request(parser);
      if (!framing) break;
      if (framing->refused()) co_return co_await end_connection(co_await refuse(framing->refusal), parser.is_done());
      const HttpFate fate = decide(parser);
      const RequestEnd outcome = co_await carry_out(fate, parser, *framing);
      if (!outcome.keep_going) co_return co_await end_connection(outcome, parser.is_done());
    }
    co_await end_connection(RequestEnd{}, true);
  }

 private:
  // The next request's header into `parser`, and its framing; nullopt when the
  // connection ends instead: the client left or idled, the listener was
  // disabled, or what came was not HTTP (then it was told 400 or 431).
  Task<std::optional<Framing>> read_request(RequestParser& parser) {
    parser.body_limit(boost::none);  // bodies are streamed, never held whole
    client_.expires_after(timeouts_.client_idle);
    auto [ec, n] = co_await http::async_read_header(client_, buffer_, parser, use_nothrow);
    if (ec == http::error::header_limit) {
      co_await send_status(431, false);
      co_return std::nullopt;
    }
    if (is_malformed(ec)) {
      co_await send_status(400, false);
      co_return std::nullopt;
    }
    if (ec || !listener_.enabled) co_return std::nullopt;
    co_return request_framing_of(parser);
  }

  // A request framed in a way we will not pass on: refused, uncounted, and the connection ends.
  Task<RequestEnd> refuse(int status) { co_return RequestEnd{status, co_await send_status(status, false)}; }

  HttpFate decide(const RequestParser& parser) {
    return listener_.next_http_fate(parser.get().method_string(), parser.get().target());
  }

  // Ends the connection after its `last` request: slow_close's delay first (the
  // bytes sent are in the kernel; the FIN waits), then a lingering close when
  // we answered without reading the whole request body (the client may still
  // be sending it), else a FIN. Nothing to do after a reset.
  Task<void> end_connection(const RequestEnd& last, bool request_read) {
    if (!client_.socket().is_open()) co_return;
    if (last.close_delay.count() > 0) co_await wait(last.close_delay);
    if (last.status != 0 && !request_read) co_return co_await lingering_close(client_);
    beast::error_code ignored;
    client_.socket().shutdown(Socket::shutdown_send, ignored);
    client_.close();
  }

  // The fate in its order: the wait before the backend (no backend socket
  // held), then a cut that needs no backend, our own answer, or the exchange
  // with the backend. slow_close's delay goes with every outcome that ends the
  // connection (an answer with `Connection: close`, a cut body, a timeout's
  // close). A keep-alive response is not delayed: nothing closes after it, and
  // the connection serves the client's next request as usual.
  Task<RequestEnd> carry_out(const HttpFate& fate, RequestParser& parser, const Framing& framing) {
    client_.expires_never();
    RequestEnd outcome;
    // (Not `a || co_await b`: g++ 12 got that wrong here, the cut below never ran.)
    bool waited = true;
    if (fate.wait_before.count() > 0) waited = co_await wait(fate.wait_before);
    if (!waited) {
      // the client left during the wait: nothing to do
    } else if (fate.ends() && !fate.cut_after_backend) {
      outcome = co_await cut(fate);
    } else if (fate.status != 0) {
      outcome = co_await answer_ourselves(fate, parser);
    } else {
      outcome = co_await forward(fate, parser, framing);
    }
    // A request that got a status was counted before it was written (see answer());
    // this one got none (a cut, a client that left).
    if (outcome.status == 0) listener_.count_request(fate.behavior, 0);
    if (!outcome.keep_going) outcome.close_delay = fate.close_delay;
    co_return outcome;
  }

  // No answer: hold the connection (hang, timeout), close it (blackout), or reset it (abort, reset_peer).
  Task<RequestEnd> cut(const HttpFate& fate) {
    switch (fate.cut) {
      case HttpFate::Cut::hang: co_await hold(fate.cut_after); break;
      case HttpFate::Cut::reset: {
        bool waited = true;
        if (fate.cut_after.count() > 0) waited = co_await wait(fate.cut_after);
        if (waited) reset_connection(client_.socket());
        break;
      }
      case HttpFate::Cut::blackout:  // end_connection() closes at once
      case HttpFate::Cut::none: break;
    }
    co_return RequestEnd{};
  }

  // Holds the connection without answering: for `duration`, or until the client leaves when it is 0.
  Task<void> hold(Micros duration) {
    if (duration.count() > 0) {
      co_await wait(duration);
      co_return;
    }
    const GaugeUp waiting(listener_.gauges.waiting);
    co_await wait_until_client_leaves(client_.socket());
  }

  // Waits on the event loop, no backend socket held; false when the client left meanwhile.
  Task<bool> wait(Micros duration) {
    const GaugeUp waiting(listener_.gauges.waiting);
    co_return co_await wait_unless_client_leaves(client_.socket(), duration);
  }

  // http_error, Vaurien's error: our own answer, after both waits (before and after the backend) have run.
  Task<RequestEnd> answer_ourselves(const HttpFate& fate, const RequestParser& parser) {
    if (fate.wait_after.count() > 0 && !co_await wait(fate.wait_after)) co_return RequestEnd{};
    // A request body we do not forward would have to be read and thrown away: close instead.
    const bool keep_alive = parser.get().keep_alive() && parser.is_done();
    co_return co_await answer(fate, fate.status, keep_alive, fate.body);
  }

  // Answers with a status of our own. The request is counted before the
  // answer is written, so that a client that reads it and then asks the API
  // (served on another thread) finds it counted; relay_response() does the same.
  Task<RequestEnd> answer(const HttpFate& fate, int status, bool keep_alive, std::string_view body = {}) {
    listener_.count_request(fate.behavior, status);
    co_return RequestEnd{status, co_await send_status(status, keep_alive, body, &fate.response_headers)};
  }

  // `body` as text/plain, or (empty) a small HTML page like Vaurien's error
  // behavior sends; with the response's header edits. True when it went out and the connection stays.
  Task<bool> send_status(int status, bool keep_alive, std::string_view body = {},
                         const HeaderEdits* edits = nullptr) {
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::server, "chaos_proxy");
    if (body.empty()) {
      const std::string title = std::to_string(status) + " " + reason_phrase(status);
      res.set(http::field::content_type, "text/html; charset=UTF-8");
      res.body() = "<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>\n";
    } else {
      res.set(http::field::content_type, "text/plain; charset=UTF-8");
      res.body() = body;
    }
    if (edits) edit_header(res.base(), *edits);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    client_.expires_after(timeouts_.client_idle);
    auto [ec, n] = co_await http::async_write(client_, res, use_nothrow);
    listener_.counters.bytes_to_client += n;
    co_return !ec && keep_alive;
  }

  // The request to the backend and its answer back, one named step a line.
  Task<RequestEnd> forward(const HttpFate& fate, RequestParser& parser, const Framing& request_framing) {
    const ClientSide client = prepare_request(fate, parser);
    if (!co_await answer_expect_continue(parser)) co_return RequestEnd{};
    Exchange exchange;
    if (const auto failure = co_await exchange_with_backend(fate, parser, request_framing, exchange))
      co_return co_await fail(fate, *failure, client.keep_alive);
    const Framing framing = response_framing_of(*exchange.response, client.head);
    if (fate.cut_after_backend) co_return co_await drop_answer_then_cut(fate, exchange, framing);
    if (framing.refused()) co_return co_await refuse_answer(fate, exchange, framing);
    beast::flat_buffer held;  // the whole answer, when a wait keeps it instead of the backend connection
    if (fate.wait_after.count() > 0 && !co_await wait_after_answer(fate.wait_after, exchange, framing, held))
      co_return RequestEnd{};
    co_return co_await relay_response(fate, exchange, framing, client, held);
  }

  // The request as the backend gets it: one hop's fields stripped,
  // http_header's edits made, keep-alive towards the pool. Returns what the
  // client asked for, which the answer honours.
  static ClientSide prepare_request(const HttpFate& fate, RequestParser& parser) {
    auto& req = parser.get();
    const ClientSide client{req.keep_alive(), req.method() == http::verb::head, req.version()};
    strip_hop_by_hop(req);
    edit_header(req, fate.request_headers);
    req.keep_alive(true);
    return client;
  }

  // We answer "Expect: 100-continue" ourselves, as nginx does: the backend
  // then gets the body at once and never sends an interim response. False when the client left.
  Task<bool> answer_expect_continue(RequestParser& parser) {
    auto& req = parser.get();
    if (parser.is_done() || !beast::iequals(req[http::field::expect], "100-continue")) co_return true;
    req.erase(http::field::expect);
    auto [ec, n] = co_await write_all(client_, asio::buffer(std::string_view("HTTP/1.1 100 Continue\r\n\r\n")),
                                     timeouts_.client_idle);
    listener_.counters.bytes_to_client += n;
    co_return !ec;
  }

  // The exchange failed before there was an answer to relay: tell the client, unless it is gone or cut off.
  Task<RequestEnd> fail(const HttpFate& fate, const Failure& failure, bool client_keep_alive) {
    if (failure.status == 0) co_return RequestEnd{};
    co_return co_await answer(fate, failure.status, client_keep_alive && failure.keep_alive);
  }

  // The backend's answer is framed in a way we will not pass on.
  Task<RequestEnd> refuse_answer(const HttpFate& fate, Exchange& exchange, const Framing& framing) {
    pool_.release(std::move(exchange.backend), false);
    ++listener_.counters.backend_errors;
    co_return co_await answer(fate, framing.refusal, false);
  }

  // A pooled connection, or a new one; null when the backend cannot be reached.
  Task<std::unique_ptr<BackendConnection>> connect_backend(bool fresh) {
    try {
      co_return co_await pool_.acquire(fresh);
    } catch (const boost::system::system_error&) {
      co_return nullptr;
    }
  }

  // Sends the request on a pooled connection, its body paced as `fate.request`
  // says, and reads the answer's header into `exchange`; nullopt when it came.
  Task<std::optional<Failure>> exchange_with_backend(const HttpFate& fate, RequestParser& parser,
                                                     const Framing& request_framing, Exchange& exchange) {
    const bool has_body = !parser.is_done();
    const bool head = parser.get().method() == http::verb::head;
    for (int attempt = 0;; ++attempt) {
      exchange.backend = co_await connect_backend(attempt > 0);
      if (!exchange.backend) {
        ++listener_.counters.backend_errors;
        co_return Failure{502, !has_body};
      }
      const Relayed sent = co_await relay(&client_, buffer_, parser, exchange.backend->stream, request_framing,
                                          fate.request, listener_.counters.bytes_to_backend, [] {});
      if (sent.how == Relay::read_failed || sent.how == Relay::cut) {
        // The client went away mid-body or sent a malformed one; or limit_data
        // upstream cut the body: then both sides are closed, nothing answered.
        pool_.release(std::move(exchange.backend), false);
        co_return Failure{sent.how == Relay::read_failed && is_malformed(sent.error) ? 400 : 0, false};
      }
      // Even when the backend stopped reading our request (it may refuse a
      // body), the answer it sent before closing is the one to relay.
      const auto ec = co_await read_final_header(exchange, head, parser.get().version());
      if (exchange.client_left) {
        pool_.release(std::move(exchange.backend), false);
        co_return Failure{0, false};
      }
      if (!ec) {
        exchange.request_sent = sent.how == Relay::done;
        co_return std::nullopt;
      }
      // Sent again only when a second copy can do no harm (RFC 9110 §9.2.2) or none went out.
      const bool retry = exchange.backend->reused && attempt == 0 && !has_body && is_stale(ec) &&
                         (is_idempotent(parser.get().method()) || sent.written == 0);
      pool_.release(std::move(exchange.backend), false);
      if (retry) continue;
      ++listener_.counters.backend_errors;
      co_return Failure{ec == beast::error::timeout ? 504 : 502, false};
    }
  }

  // The backend's final response header into a fresh `rp`. Interim ones (103
  // Early Hints; a 100 Continue sent unasked) go on to an HTTP/1.1 client, as
  // RFC 9110 §15.2 asks of a proxy (an HTTP/1.0 one cannot take them); a flood
  // of them is an error, and so are 101 (we asked for no upgrade) and a status
  // outside 100..999.
  Task<beast::error_code> read_final_header(Exchange& exchange, bool head, unsigned client_version) {
    auto& backend = *exchange.backend;
    auto& rp = exchange.response;
    for (int interim = 0;; ++interim) {
      rp.emplace();
      rp->body_limit(boost::none);
      rp->skip(head);
      backend.stream.expires_after(timeouts_.backend);
      auto [ec, n] = co_await http::async_read_header(backend.stream, backend.buffer, *rp, use_nothrow);
      if (ec) co_return ec;
      const unsigned status = rp->get().result_int();
      if (status < 100 || status > 999 || status == 101) break;
      if (status >= 200) co_return ec;
      if (interim == kMaxInterimResponses) break;
      if (client_version >= 11) {
        strip_hop_by_hop(rp->get());
        const std::string interim_head = serialize_header(rp->get(), Framing{});
        auto [write_error, written] = co_await write_all(client_, asio::buffer(interim_head), timeouts_.client_idle);
        listener_.counters.bytes_to_client += written;
        if (write_error) {
          exchange.client_left = true;
          co_return write_error;
        }
      }
    }
    co_return make_error_code(boost::system::errc::protocol_error);
  }

  // timeout and reset_peer downstream: the backend has answered; its answer is
  // read to its end and dropped, so that the connection goes back to the pool
  // (or is closed when it cannot), and then the client is cut.
  Task<RequestEnd> drop_answer_then_cut(const HttpFate& fate, Exchange& exchange, const Framing& framing) {
    const bool dropped = !framing.refused() && co_await drop_body(exchange);
    pool_.release(std::move(exchange.backend), dropped && backend_reusable(exchange, framing));
    co_return co_await cut(fate);
  }

  // Reads the rest of the answer's body and throws it away; false when the backend failed first.
  Task<bool> drop_body(Exchange& exchange) {
    auto& p = *exchange.response;
    if (p.is_done()) co_return true;
    const auto sink = std::make_unique_for_overwrite<char[]>(kChunk);
    while (!p.is_done()) {
      p.get().body().data = sink.get();
      p.get().body().size = kChunk;
      auto ec = co_await fill_body(&exchange.backend->stream, exchange.backend->buffer, p);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return false;
    }
    co_return true;
  }

  // A wait after the backend's answer came (latency downstream, Vaurien's
  // delay after). A small answer is all in the buffer already: it moves to
  // `held` and the backend connection goes back to the pool before the wait, as
  // a wait before does (the pool is bounded). False when the client left.
  Task<bool> wait_after_answer(Micros duration, Exchange& exchange, const Framing& framing,
                               beast::flat_buffer& held) {
    const std::uint64_t length = framing.body == Framing::Body::length ? framing.length : 0;
    const bool whole = framing.body == Framing::Body::none || framing.body == Framing::Body::length;
    if (whole && exchange.backend->buffer.size() >= length) {
      const auto n = static_cast<std::size_t>(length);
      held.commit(asio::buffer_copy(held.prepare(n), exchange.backend->buffer.data(), n));
      exchange.backend->buffer.consume(n);
      pool_.release(std::move(exchange.backend), backend_reusable(exchange, framing));
    }
    if (co_await wait(duration)) co_return true;
    if (exchange.backend) pool_.release(std::move(exchange.backend), false);
    co_return false;
  }

  // The backend's answer to the client: its header edited, its body paced as
  // `fate.response` says (throttle, slices, limit; Vaurien's truncate at most
  // half the body). `held` has the body when the backend connection is back in the pool already.
  Task<RequestEnd> relay_response(const HttpFate& fate, Exchange& exchange, const Framing& framing,
                                  const ClientSide& client, beast::flat_buffer& held) {
    auto& rp = *exchange.response;
    const int status = static_cast<int>(rp.get().result_int());
    const bool reusable = backend_reusable(exchange, framing);
    // Our framing towards the client: the backend's, but an HTTP/1.0 client
    // cannot read chunks, so it gets the body as it is, ended by our close.
    Framing to_client = framing;
    if (framing.body == Framing::Body::chunked && client.version < 11) {
      to_client.body = Framing::Body::until_close;
      to_client.codings.clear();
    }
    // A request body left unread in the client's socket ends the conversation.
    const bool keep_alive = client.keep_alive && to_client.body != Framing::Body::until_close && exchange.request_sent;
    strip_hop_by_hop(rp.get());
    edit_header(rp.get(), fate.response_headers);
    rp.get().keep_alive(keep_alive);
    Pacing pacing = fate.response;
    if (fate.half_body_at_most && framing.body == Framing::Body::length) pacing.cap(framing.length / 2);
    HttpStream* from = exchange.backend ? &exchange.backend->stream : nullptr;
    beast::flat_buffer& answer_buffer = exchange.backend ? exchange.backend->buffer : held;
    // Counted before the answer goes out, as in answer().
    bool counted = false;
    const auto count = [&] {
      listener_.count_request(fate.behavior, status);
      counted = true;
    };
    const Relayed sent =
        co_await relay(from, answer_buffer, rp, client_, to_client, pacing, listener_.counters.bytes_to_client, count);
    if (exchange.backend) pool_.release(std::move(exchange.backend), sent.how == Relay::done && reusable);
    if (sent.how == Relay::read_failed) {
      ++listener_.counters.backend_errors;
      // The backend failed before we wrote a byte: the client can still be told.
      if (sent.written == 0) co_return co_await answer(fate, sent.error == beast::error::timeout ? 504 : 502, false);
    }
    co_return RequestEnd{counted ? status : 0, sent.how == Relay::done && keep_alive};
  }

  // Moves a message whose header `p` has read from `from` to `to`, piece by
  // piece (Beast's relay example), framed as `framing` says and paced by a
  // Pacer: each piece as large as it allows, each write when it is due; when
  // its limit stops the body, the relay ends `cut`.
  // The header goes out with the first piece, as one buffer (Beast's serializer
  // would hand the kernel four buffers a field), after `before_first_write()`;
  // a chunked body is chunked again as it goes, trailers and all.
  // `from` is null when `from_buffer` holds the whole body.
  template <bool isRequest, typename BeforeFirstWrite>
  Task<Relayed> relay(HttpStream* from, beast::flat_buffer& from_buffer,
                      http::parser<isRequest, http::buffer_body>& p, HttpStream& to,
                      const Framing& framing, const Pacing& pacing,
                      std::atomic<std::uint64_t>& bytes_written, BeforeFirstWrite before_first_write) {
    std::string head = serialize_header(p.get(), framing);
    const auto header_fields = static_cast<std::size_t>(std::distance(p.get().begin(), p.get().end()));
    const bool rechunk = framing.body == Framing::Body::chunked;
    const std::size_t chunk_size = p.is_done() ? 0 : body_piece_size(p.content_length(), pacing);
    const auto chunk = std::make_unique_for_overwrite<char[]>(chunk_size);
    Pacer pacer(pacing);
    Relayed result;
    const auto write = [&](const auto& buffers) -> Task<bool> {
      if (!head.empty()) before_first_write();
      auto [ec, n] = co_await write_all(to, buffers, timeouts_.client_idle);
      bytes_written += n;
      result.written += n;
      result.error = ec;
      head.clear();
      co_return !ec;
    };
    for (;;) {
      if (pacer.cut() && !p.is_done()) {  // the limit holds back bytes that would have come
        if (!head.empty()) co_await write(asio::buffer(head));
        result.how = Relay::cut;
        co_return result;
      }
      std::size_t got = 0;
      if (!p.is_done()) {
        auto& body = p.get().body();
        const std::size_t want = pacer.next_size(chunk_size);
        body.data = chunk.get();
        body.size = want;
        auto ec = co_await fill_body(from, from_buffer, p);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) {
          result.how = Relay::read_failed;
          result.error = ec;
          co_return result;
        }
        got = want - body.size;
      }
      const std::string chunk_start = rechunk && got > 0 ? fmt::format("{:x}\r\n", got) : std::string();
      const std::string_view chunk_end = rechunk && got > 0 ? "\r\n" : "";
      const std::string end = rechunk && p.is_done() ? last_chunk(p.get(), header_fields) : std::string();
      const std::array<asio::const_buffer, 5> out{asio::buffer(head), asio::buffer(chunk_start),
                                                  asio::buffer(chunk.get(), got), asio::buffer(chunk_end),
                                                  asio::buffer(end)};
      if (!co_await write(out)) {
        result.how = Relay::write_failed;
        co_return result;
      }
      const auto due = pacer.idle() ? Clock::time_point{} : pacer.wrote(got);
      if (p.is_done()) co_return result;
      // A backend that refuses a body answers at once and stops reading: stop sending it.
      if constexpr (isRequest)
        if (pending(to.socket()) != Pending::nothing) {
          result.how = Relay::answered_early;
          co_return result;
        }
      if (due > Clock::now()) {
        Timer timer(co_await asio::this_coro::executor, due);
        co_await timer.async_wait(use_nothrow);
      }
    }
  }

  // Reads into `p`'s body piece until it is full or the message ends. By hand
  // rather than http::async_read: Beast's chunk parser takes a bare LF for
  // data and would wait for a CR that never comes; with the bytes in view,
  // such a chunk line is refused at once.
  template <bool isRequest>
  Task<beast::error_code> fill_body(HttpStream* from, beast::flat_buffer& buffer,
                                    http::parser<isRequest, http::buffer_body>& p) {
    const auto& body = p.get().body();
    for (;;) {
      auto ec = parse_buffered(buffer, p);
      if (!ec && !p.is_done() && body.size > 0) ec = http::error::need_more;  // fill the piece before writing it
      if (ec != http::error::need_more || !from) co_return ec;
      if (p.chunked() && !chunk_lines_can_end(buffer)) co_return http::error::bad_chunk;
      from->expires_after(timeouts_.backend);
      auto [read_error, n] = co_await from->async_read_some(buffer.prepare(BackendConnection::kReadSize), use_nothrow);
      buffer.commit(n);
      if (read_error == asio::error::eof) {
        if (!p.need_eof()) co_return http::error::partial_message;
        p.put_eof(ec);  // a body delimited by the close is complete now
        co_return ec;
      }
      if (read_error) co_return read_error;
    }
  }

  HttpStream client_;
  beast::flat_buffer buffer_;
  ListenerState& listener_;
  BackendPool& pool_;
  SessionTimeouts timeouts_;
};

}  // namespace

Task<void> serve_http(Socket client, ListenerState& listener, BackendPool& pool,
                      SessionTimeouts timeouts) {
  HttpSession session(std::move(client), listener, pool, timeouts);
  co_await session.run();
}

}  // namespace platespin::proxy
