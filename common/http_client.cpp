#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace platespin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

ServerAddresses resolve(const ServerUrl& server) {
  asio::io_context io;
  tcp::resolver resolver(io);
  error_code ec;
  const auto results = resolver.resolve(server.host, std::to_string(server.port), ec);
  if (ec) throw std::runtime_error("cannot resolve " + server.host + ": " + ec.message());
  ServerAddresses out;
  for (const auto& entry : results) out.push_back(entry.endpoint());
  return out;
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

}  // namespace

struct HttpConnection::Impl {
  ServerUrl server;
  ServerAddresses addresses;
  HttpOptions options;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;

  Impl(asio::any_io_executor executor, ServerUrl s, ServerAddresses a, HttpOptions o)
      : server(std::move(s)), addresses(std::move(a)), options(o), stream(std::move(executor)) {}

  void close() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
  }

  Exchange failed(Phase phase, const error_code& ec, bool header_done = false) {
    close();
    Exchange out;
    out.error_kind = kind_of(phase, ec, header_done);
    out.detail = ec.message();
    return out;
  }

  // One attempt on the current connection, opening one when there is none.
  // `stale` says the failure came before any byte of a response on a reused
  // connection: the server had closed it while it was idle.
  asio::awaitable<Exchange> exchange(const std::string& target, bool& stale) {
    const bool reused = stream.socket().is_open();
    stale = false;
    error_code ec;
    stream.expires_after(options.timeout);
    if (!reused) {
      co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));  // under the timeout
      if (ec) co_return failed(Phase::connect, ec);
    }
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, server.authority());
    request.set(http::field::user_agent, "platespin/" PLATESPIN_VERSION);
    request.keep_alive(options.keep_alive);
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      stale = reused && ec != beast::error::timeout;
      co_return failed(Phase::write, ec);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      stale = reused && !parser.got_some() && ec != beast::error::timeout;
      co_return failed(Phase::read, ec, parser.is_header_done());
    }
    Exchange out;
    out.status = static_cast<int>(parser.get().result_int());
    out.body = std::move(parser.get().body());
    if (!parser.keep_alive()) close();
    co_return out;
  }
};

HttpConnection::HttpConnection(asio::any_io_executor executor, ServerUrl server, ServerAddresses addresses,
                               HttpOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(server), std::move(addresses), options)) {}

HttpConnection::~HttpConnection() = default;
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;

asio::awaitable<Exchange> HttpConnection::get(std::string target) {
  const auto start = std::chrono::steady_clock::now();
  bool stale = false;
  Exchange out = co_await impl_->exchange(target, stale);
  if (stale) out = co_await impl_->exchange(target, stale);
  out.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  co_return out;
}

}  // namespace platespin
