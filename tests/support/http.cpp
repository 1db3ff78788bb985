#include "http.hpp"

#include "ascii_case.hpp"
#include "services.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <stdexcept>

namespace platespin::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

HttpReply to_reply(const http::response<http::string_body>& res) {
  HttpReply reply;
  reply.status = static_cast<int>(res.result_int());
  reply.reason = res.reason();
  for (const auto& field : res) reply.headers[ascii_lower(std::string(field.name_string()))] = std::string(field.value());
  reply.body = res.body();
  return reply;
}

}  // namespace

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, std::chrono::milliseconds timeout) {
  HttpReply reply =
      http_call("127.0.0.1", port, {.method = method, .target = target, .headers = headers, .timeout = timeout});
  if (!reply.error.empty()) throw std::runtime_error(method + " " + target + ": " + reply.error);
  return reply;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(stream, asio::buffer(bytes));
  std::string received;
  beast::error_code ec;
  asio::read(stream, asio::dynamic_buffer(received), ec);  // until close, reset or timeout
  return received;
}

RawExchange raw_exchange_until_close(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(stream, asio::buffer(bytes));
  // Asynchronous, because tcp_stream's timeout only applies to asynchronous operations.
  RawExchange exchange;
  stream.expires_after(timeout);
  asio::async_read(stream, asio::dynamic_buffer(exchange.received), [&exchange](beast::error_code ec, std::size_t) {
    exchange.closed_by_peer = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  io.run();
  return exchange;
}

RawExchange raw_exchange_in_pieces(std::uint16_t port, const std::string& bytes, std::size_t piece,
                                   std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  stream.socket().set_option(tcp::no_delay(true));
  RawExchange exchange;
  beast::error_code write_error;
  for (std::size_t at = 0; at < bytes.size() && !write_error; at += piece)
    asio::write(stream, asio::buffer(bytes.data() + at, std::min(piece, bytes.size() - at)), write_error);
  stream.expires_after(timeout);
  asio::async_read(stream, asio::dynamic_buffer(exchange.received), [&exchange](beast::error_code ec, std::size_t) {
    exchange.closed_by_peer = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  io.run();
  return exchange;
}

std::vector<HttpReply> parse_responses(const std::string& bytes) {
  std::vector<HttpReply> replies;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    beast::error_code ec;
    const std::size_t used = parser.put(asio::buffer(bytes.data() + offset, bytes.size() - offset), ec);
    if (ec || !parser.is_done()) break;
    replies.push_back(to_reply(parser.get()));
    offset += used;
  }
  return replies;
}

}  // namespace platespin::test
