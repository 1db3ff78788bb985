#include "control_api.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api_routes.hpp"
#include "client_watch.hpp"
#include "http_stream.hpp"
#include "lingering_close.hpp"

namespace platespin::proxy {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response reply(const Request& req, http::status status, std::string body, const char* type = "application/json") {
  Response res{status, req.version()};
  res.set(http::field::server, "chaos_proxy");
  res.set(http::field::content_type, type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error(const Request& req, http::status status, const std::string& what) {
  return reply(req, status, nlohmann::json{{"error", what}, {"status", static_cast<int>(status)}}.dump() + "\n");
}

Response answer(const Request& req, ListenerRegistry& registry, const ApiSettings& settings) {
  const ApiRequest request{req.method_string(), req.target(), req.body(), req[http::field::user_agent],
                           req[http::field::authorization]};
  ApiResponse res = route(registry, request, settings);
  return reply(req, static_cast<http::status>(res.status), std::move(res.body), res.content_type.c_str());
}

}  // namespace

Task<void> serve_api(Socket client, ListenerRegistry& registry, const ApiSettings& settings) {
  HttpStream stream(std::move(client));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    stream.expires_after(std::chrono::seconds(60));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_nothrow);
    if (ec == http::error::body_limit) {
      auto res = error(parser.get(), http::status::payload_too_large, "the body is over 1 MiB");
      res.keep_alive(false);
      co_await http::async_write(stream, res, use_nothrow);
      co_await lingering_close(stream);
      co_return;
    }
    if (ec) break;
    Response res;
    try {
      res = answer(parser.get(), registry, settings);
    } catch (const std::exception& e) {  // a bug of ours must not leave the client without an answer
      res = error(parser.get(), http::status::internal_server_error, e.what());
    }
    auto [wec, written] = co_await http::async_write(stream, res, use_nothrow);
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(Socket::shutdown_send, ignored);
}

}  // namespace platespin::proxy
