#include "control_api.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "client_watch.hpp"
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

// JSON text that cannot fail: bytes that are not UTF-8 (in a name, or echoed
// from a bad body in an error message) come out as U+FFFD.
std::string dump(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Response error(const Request& req, http::status status, const std::string& what) {
  return reply(req, status, dump(nlohmann::json{{"error", what}}));
}

ListenerState* find(Listeners& listeners, std::string_view name) {
  for (auto& l : listeners)
    if (l->config().name == name) return l.get();
  return nullptr;
}

Response route(const Request& req, Listeners& listeners) {
  const std::string_view target = req.target();
  const std::string_view prefix = "/proxies/";
  if (target == "/healthz") return reply(req, http::status::ok, "ok\n", "text/plain");
  if (target == "/metrics" && req.method() == http::verb::get)
    return reply(req, http::status::ok, prometheus_metrics(listeners), "text/plain; version=0.0.4");
  if (target == "/proxies" && req.method() == http::verb::get)
    return reply(req, http::status::ok, dump(describe(listeners), 2));
  if (target == "/reset" && req.method() == http::verb::post) {
    for (auto& l : listeners) l->reset();
    return reply(req, http::status::no_content, "");
  }
  if (target.substr(0, prefix.size()) == prefix) {
    ListenerState* listener = find(listeners, target.substr(prefix.size()));
    if (!listener) return error(req, http::status::not_found, "no listener '" + std::string(target.substr(prefix.size())) + "'");
    if (req.method() == http::verb::get) return reply(req, http::status::ok, dump(describe(*listener), 2));
    if (req.method() == http::verb::put || req.method() == http::verb::post) {
      try {
        update(*listener, nlohmann::json::parse(req.body()));
      } catch (const nlohmann::json::exception& e) {
        return error(req, http::status::bad_request, std::string("the body is not JSON: ") + e.what());
      } catch (const std::invalid_argument& e) {
        return error(req, http::status::bad_request, e.what());
      } catch (const std::system_error& e) {
        return error(req, http::status::internal_server_error, e.code().message());
      }
      return reply(req, http::status::ok, dump(describe(*listener), 2));
    }
    return error(req, http::status::method_not_allowed, "use GET or PUT");
  }
  return error(req, http::status::not_found, "no such resource; try GET /proxies, /metrics, /healthz");
}

}  // namespace

asio::awaitable<void> serve_api(tcp::socket client, Listeners& listeners) {
  beast::tcp_stream stream(std::move(client));
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
      res = route(parser.get(), listeners);
    } catch (const std::exception& e) {  // a bug of ours must not leave the client without an answer
      res = error(parser.get(), http::status::internal_server_error, e.what());
    }
    auto [wec, written] = co_await http::async_write(stream, res, use_nothrow);
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace platespin::proxy
