#include "http_client.hpp"

#include "ascii_case.hpp"
#include "endpoint.hpp"
#include "resolve.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <stdexcept>

namespace platespin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

ServerAddresses resolve(const ServerUrl& server) {
  try {
    return platespin::resolve(server.host, server.port);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot resolve " + server.host + ": " + e.code().message());
  }
}

namespace {

// Where in the exchange a failure happened decides its kind.
enum class Phase { connect, write, read };

std::string kind_of(Phase phase, const error_code& ec, bool header_done) {
  if (ec == beast::error::timeout) return "timeout";
  if (phase == Phase::connect) return "refused";
  if (ec == http::error::partial_message) return header_done ? "truncated" : "reset";
  if (ec == http::error::end_of_stream) return "reset";  // closed before a byte of the response
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) return "protocol";
  return "reset";  // reset, broken pipe, closed before any response
}

// What reading the final response of one request gave, besides what it wrote
// into the Exchange (status, reason and body; or error_kind for a response we
// refuse).
struct FinalResponse {
  error_code ec;             // the read failed (then the rest but got_some is unset)
  bool got_some = false;     // a byte of some response came: the connection was not stale
  bool header_done = false;  // the failed response's header was whole
  bool keep_alive = false;   // the connection may carry the next request
};

// Reads responses until a final one: a 1xx other than 101 is interim (100
// Continue, 103 Early Hints: RFC 9110 15.2) and is dropped, else the answer to
// the next request would be taken for this one's and every later answer on the
// connection would shift by one. 101 is final (and ends HTTP on the
// connection); more than kMaxInterimResponses interim ones are a flood. A
// template over the stream so that read_response_bytes() runs this very code
// without a socket.
template <class Stream>
asio::awaitable<FinalResponse> read_final_response(Stream& stream, beast::flat_buffer& buffer,
                                                   std::size_t body_limit, Exchange& exchange) {
  FinalResponse out;
  for (int interim = 0;;) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, out.ec));
    out.got_some = out.got_some || parser.got_some();
    if (out.ec) {
      out.header_done = parser.is_header_done();
      co_return out;
    }
    const int status = static_cast<int>(parser.get().result_int());
    if (status / 100 == 1 && status != 101) {
      if (++interim <= kMaxInterimResponses) continue;
      exchange.error_kind = "protocol";
      exchange.detail = "more than " + std::to_string(kMaxInterimResponses) + " interim (1xx) responses";
      co_return out;
    }
    exchange.status = status;
    exchange.reason = parser.get().reason();
    exchange.body = std::move(parser.get().body());
    out.keep_alive = status != 101 && parser.keep_alive();
    co_return out;
  }
}

}  // namespace

Exchange read_response_bytes(std::string_view bytes, std::size_t body_limit) {
  asio::io_context io;
  beast::test::stream peer(io, beast::string_view(bytes.data(), bytes.size()));
  peer.close_remote();  // a read past the bytes sees the peer's close
  beast::flat_buffer buffer;
  Exchange out;
  std::optional<FinalResponse> read;
  asio::co_spawn(io, read_final_response(peer, buffer, body_limit, out),
                 [&](std::exception_ptr e, FinalResponse r) {
                   if (e) std::rethrow_exception(e);
                   read = r;
                 });
  io.run();
  if (read->ec) {
    Exchange failed;
    failed.error_kind = kind_of(Phase::read, read->ec, read->header_done);
    failed.detail = read->ec.message();
    return failed;
  }
  return out;
}

// The connection: a plain socket and one timer, instead of beast::tcp_stream
// (whose shared state holds two timers, and which arms one per operation):
// the timer bounds each attempt whole, as tcp_stream's expires_after did.
// Shared (and the timer's handler holds it weakly) because a handler the timer
// queued as it expired may run after the connection is gone.
struct HttpConnection::Impl : std::enable_shared_from_this<HttpConnection::Impl> {
  ServerUrl server;
  ServerAddresses addresses;
  HttpOptions options;
  tcp::socket socket;
  asio::steady_timer watchdog;
  unsigned attempt = 0;    // which attempt the watchdog's pending handler is for
  bool timed_out = false;  // the watchdog closed the socket during this attempt
  beast::flat_buffer buffer;

  Impl(asio::any_io_executor executor, ServerUrl s, ServerAddresses a, HttpOptions o)
      : server(std::move(s)), addresses(std::move(a)), options(o), socket(executor), watchdog(std::move(executor)) {}

  // From arm() to disarm(), the socket is closed when the timeout passes: the
  // pending operation ends, and the attempt fails as a timeout.
  void arm() {
    timed_out = false;
    watchdog.expires_after(options.timeout);
    watchdog.async_wait([weak = weak_from_this(), armed = ++attempt](const error_code& ec) {
      const auto self = weak.lock();
      if (ec || !self || self->attempt != armed) return;  // cancelled, gone, or an attempt that had ended
      self->timed_out = true;
      error_code ignored;
      self->socket.close(ignored);
    });
  }
  void disarm() {
    ++attempt;
    watchdog.cancel();
  }
  struct Armed {
    Impl& impl;
    explicit Armed(Impl& i) : impl(i) { impl.arm(); }
    ~Armed() { impl.disarm(); }
    Armed(const Armed&) = delete;
    Armed& operator=(const Armed&) = delete;
  };

  // An operation that failed because the watchdog closed the socket failed by timeout.
  error_code outcome(const error_code& ec) const {
    return ec && timed_out ? error_code(beast::error::timeout) : ec;
  }

  // The read buffer is held only while a response is read: between requests,
  // and while one waits for its response, a connection holds none.
  void release_buffer() {
    if (buffer.size() == 0) buffer.shrink_to_fit();
  }

  void close() {
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    buffer.clear();
    release_buffer();
  }

  void fail(Exchange& out, Phase phase, const error_code& ec, bool header_done = false) {
    close();
    out = Exchange{};
    out.error_kind = kind_of(phase, ec, header_done);
    out.detail = ec.message();
  }

  // The GET, into `out`: one attempt on the current connection (opening one
  // when there is none), and a second on a new one when the first failed
  // before any byte of a response on a reused connection (`stale`: the server
  // had closed it while it was idle). One coroutine for both attempts, so that
  // a request in flight holds one frame here.
  asio::awaitable<void> get(std::string target, Exchange& out) {
    const auto start = std::chrono::steady_clock::now();
    for (int attempts = 1;; ++attempts) {
      const bool reused = socket.is_open();
      bool stale = false;
      out = Exchange{};
      {
        const Armed armed(*this);  // connect + request + whole response
        error_code ec;
        if (!reused) {
          co_await asio::async_connect(socket, addresses, asio::redirect_error(asio::use_awaitable, ec));
          ec = outcome(ec);
          if (ec) fail(out, Phase::connect, ec);
        }
        if (!ec) {
          {
            http::request<http::empty_body> request{http::verb::get, target, 11};
            request.set(http::field::host, server.authority());
            request.set(http::field::user_agent, "platespin/" PLATESPIN_VERSION);
            request.keep_alive(options.keep_alive);
            co_await http::async_write(socket, request, asio::redirect_error(asio::use_awaitable, ec));
          }
          ec = outcome(ec);
          if (ec) {
            stale = reused && ec != beast::error::timeout;
            fail(out, Phase::write, ec);
          }
        }
        // Wait for the response's first bytes before reading it: until then a
        // request in flight holds no buffer, no parser and no read operation,
        // only this wait. An error here is left for the read to meet and name.
        if (!ec && buffer.size() == 0) {
          co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
          ec = timed_out ? error_code(beast::error::timeout) : error_code();
          if (ec) fail(out, Phase::read, ec);
        }
        if (!ec) {
          const FinalResponse read = co_await read_final_response(socket, buffer, options.body_limit, out);
          ec = outcome(read.ec);
          if (ec) {
            stale = reused && !read.got_some && ec != beast::error::timeout;
            fail(out, Phase::read, ec, read.header_done);
          } else {
            if (!read.keep_alive) close();  // also after a refused response: what follows it is unknown
            release_buffer();
          }
        }
      }
      if (!stale || attempts == 2) break;
    }
    out.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
};

HttpConnection::HttpConnection(asio::any_io_executor executor, ServerUrl server, ServerAddresses addresses,
                               HttpOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(server), std::move(addresses), options)) {}

HttpConnection::~HttpConnection() = default;
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;

asio::awaitable<void> HttpConnection::get(std::string target, Exchange& out) {
  return impl_->get(std::move(target), out);
}

std::string HttpReply::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

namespace {

asio::awaitable<HttpReply> call_once(std::string host, std::uint16_t port, HttpCall call) {
  HttpReply reply;
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  error_code ec;
  Addresses addresses;
  try {
    addresses = co_await async_resolve(host, port);
  } catch (const boost::system::system_error& e) {
    reply.error = "cannot resolve " + host + ": " + e.code().message();
    co_return reply;
  }
  stream.expires_after(call.timeout);
  co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    http::request<http::string_body> request{http::string_to_verb(call.method), call.target, 11};
    request.set(http::field::host, Endpoint{host, port}.to_string());
    for (const auto& [name, value] : call.headers) request.set(name, value);
    request.body() = call.body;
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT" || call.method == "PATCH")
      request.prepare_payload();
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(HttpOptions{}.body_limit);
  if (call.method == "HEAD") parser.skip(true);
  if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    reply.error = Endpoint{host, port}.to_string() + ": " + ec.message();
    co_return reply;
  }
  auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  reply.reason = response.reason();
  for (const auto& field : response) {
    reply.headers[ascii_lower(std::string(field.name_string()))] = std::string(field.value());
  }
  reply.body = std::move(response.body());
  co_return reply;
}

}  // namespace

HttpReply http_call(const std::string& host, std::uint16_t port, const HttpCall& call) {
  asio::io_context io;
  HttpReply reply;
  asio::co_spawn(io, call_once(host, port, call), [&](std::exception_ptr e, HttpReply r) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& what) {
        reply.error = what.what();
      }
      return;
    }
    reply = std::move(r);
  });
  io.run();
  return reply;
}

}  // namespace platespin
