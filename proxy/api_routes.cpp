#include "api_routes.hpp"

#include <fmt/ranges.h>
#include <ranges>
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "name.hpp"
#include "toxic_config.hpp"

namespace platespin::proxy {

namespace {

using nlohmann::json;

// Toxiproxy's kind of error: {"error": MESSAGE, "status": STATUS}.
struct ApiError {
  int status;
  std::string message;
};

// JSON text that cannot fail: bytes that are not UTF-8 (in a name, or echoed
// from a bad body in an error message) come out as U+FFFD.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

ApiResponse reply(int status, const json& j) { return {status, dump(j)}; }
ApiResponse no_content() { return {204, ""}; }
ApiResponse error_reply(int status, const std::string& message) {
  return reply(status, {{"error", message}, {"status", status}});
}

// "/proxies/redis/toxics?x" -> {"proxies", "redis", "toxics"}
std::vector<std::string_view> segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string_view> out;
  while (!target.empty()) {
    if (target.front() == '/') {
      target.remove_prefix(1);
      continue;
    }
    const auto slash = target.find('/');
    out.push_back(target.substr(0, slash));
    target = slash == std::string_view::npos ? std::string_view{} : target.substr(slash);
  }
  return out;
}

json body_json(const ApiRequest& req) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) throw ApiError{400, "bad request body: not JSON"};
  if (!j.is_object()) throw ApiError{400, "bad request body: not a JSON object"};
  return j;
}

ListenerState* find_proxy(Listeners& listeners, std::string_view name) {
  for (auto& l : listeners)
    if (l->config().name == name) return l.get();
  return nullptr;
}

ListenerState& proxy_named(Listeners& listeners, std::string_view name) {
  if (ListenerState* l = find_proxy(listeners, name)) return *l;
  throw ApiError{404, "proxy not found"};
}

// Our own fields of a proxy that Toxiproxy's create and update take beside
// its own (its toxics come through their own routes).
bool is_own_field(std::string_view key) { return key != "toxics" && is_update_field(key); }

// A proxy as Toxiproxy's POST /proxies and /populate give it:
// {name, listen, upstream, enabled?} and our protocol (default tcp, what
// Toxiproxy's clients expect). `at` says where in a populate array.
struct NewProxy {
  ListenerConfig config;
  bool enabled = true;
  nlohmann::json own = nlohmann::json::object();  // our fields, applied once it exists
};

NewProxy new_proxy(const json& body, const std::string& at = "") {
  if (!body.is_object()) throw ApiError{400, "bad request body: a proxy must be a JSON object" + at};
  const auto text = [&](const char* key, bool required) -> std::string {
    if (!body.contains(key) || body.at(key).is_null() || body.at(key) == "") {
      if (required) throw ApiError{400, std::string("missing required field: ") + key + at};
      return "";
    }
    if (!body.at(key).is_string()) throw ApiError{400, std::string("bad request body: '") + key + "' must be a string" + at};
    return body.at(key).get<std::string>();
  };
  NewProxy p;
  p.config.name = text("name", true);
  const std::string upstream = text("upstream", true);
  const std::string listen = text("listen", false);
  const std::string protocol = text("protocol", false);
  try {
    check_name(p.config.name, "proxy");
    p.config.backend = parse_endpoint(upstream);
    p.config.protocol = protocol.empty() ? Protocol::tcp : protocol_from_string(protocol);
  } catch (const std::invalid_argument& e) {
    throw ApiError{400, e.what() + at};
  }
  try {
    p.config.listen = parse_endpoint(listen.empty() ? "127.0.0.1:0" : listen);
  } catch (const std::invalid_argument& e) {  // Toxiproxy's: the listen fails, a 500
    throw ApiError{500, "listen tcp: " + std::string(e.what()) + at};
  }
  if (body.contains("enabled")) {
    if (!body.at("enabled").is_boolean()) throw ApiError{400, "bad request body: 'enabled' must be true or false" + at};
    p.enabled = body.at("enabled").get<bool>();
  }
  for (const auto& [key, value] : body.items())
    if (key != "enabled" && is_own_field(key)) p.own[key] = value;
  if (body.contains("toxics") && body.at("toxics").is_array() && !body.at("toxics").empty()) p.own["toxics"] = body.at("toxics");
  return p;
}

// Adds it: our own fields are checked on a scratch copy first, so a bad one
// leaves nothing behind.
ListenerState& create(ListenerRegistry& registry, const NewProxy& p) {
  ListenerState scratch(p.config, std::nullopt);
  update(scratch, p.own);
  return registry.add(scratch.config(), p.enabled);
}

Toxics::iterator toxic_named(Toxics& toxics, std::string_view name) {
  const auto it = std::find_if(toxics.begin(), toxics.end(), [&](const ToxicConfig& t) { return t.name == name; });
  if (it == toxics.end()) throw ApiError{404, "toxic not found"};
  return it;
}

// A toxic from Toxiproxy's JSON, as a 400 when it is bad.
ToxicConfig toxic_of(const json& j, Protocol protocol) {
  try {
    return toxic_from_json(j, protocol);
  } catch (const std::invalid_argument& e) {
    throw ApiError{400, e.what()};
  }
}

ApiResponse toxics_route(ListenerState& listener, const ApiRequest& req, std::string_view method) {
  if (method == "GET") return reply(200, to_json(listener.config().toxics));
  if (method != "POST") throw ApiError{405, "method not allowed"};
  ListenerConfig next = listener.config();
  const ToxicConfig toxic = toxic_of(body_json(req), next.protocol);
  if (std::any_of(next.toxics.begin(), next.toxics.end(), [&](const ToxicConfig& t) { return t.name == toxic.name; }))
    throw ApiError{409, "toxic already exists"};
  next.toxics.push_back(toxic);
  listener.set_config(std::move(next));
  return reply(200, to_json(toxic));
}

ApiResponse toxic_route(ListenerState& listener, std::string_view name, const ApiRequest& req, std::string_view method) {
  ListenerConfig next = listener.config();
  const auto it = toxic_named(next.toxics, name);
  if (method == "GET") return reply(200, to_json(*it));
  if (method == "DELETE") {
    next.toxics.erase(it);
    listener.set_config(std::move(next));
    return no_content();
  }
  if (method != "POST" && method != "PATCH") throw ApiError{405, "method not allowed"};
  // A merge, as Toxiproxy's: the attributes given change, the rest stay;
  // name, type and stream cannot change.
  const json change = body_json(req);
  json merged = to_json(*it);
  if (change.contains("attributes") && !change.at("attributes").is_null()) {
    if (!change.at("attributes").is_object()) throw ApiError{400, "bad request body: attributes must be an object"};
    merged["attributes"].update(change.at("attributes"));
  }
  if (change.contains("toxicity")) merged["toxicity"] = change.at("toxicity");
  *it = toxic_of(merged, next.protocol);
  const json updated = to_json(*it);
  listener.set_config(std::move(next));
  return reply(200, updated);
}

// POST/PATCH /proxies/NAME, Toxiproxy's update: the fields it knows and ours;
// others (toxics, name, Logger) are ignored as Toxiproxy ignores them.
ApiResponse update_route(ListenerState& listener, const json& body) {
  json change = json::object();
  for (const auto& [key, value] : body.items())
    if (is_own_field(key)) change[key] = value;
  update(listener, change);
  return reply(200, describe(listener));
}

// 403 for a listen address outside --allow-listen ("localhost" is loopback;
// another name cannot be checked, so it is refused when there is a restriction).
void check_listen(const ApiSettings& settings, const Endpoint& listen) {
  if (settings.allow_listen.empty()) return;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(listen.host, ec);
  if (listen.host == "localhost") address = boost::asio::ip::address_v4::loopback(), ec = {};
  if (!ec && std::any_of(settings.allow_listen.begin(), settings.allow_listen.end(),
                         [&](const AddressRange& r) { return r.contains(address); }))
    return;
  const auto allowed = std::views::transform(settings.allow_listen, [](const AddressRange& r) { return r.text(); });
  throw ApiError{403, fmt::format("listen address {} is outside --allow-listen ({})", listen.to_string(),
                                  fmt::join(allowed, ", "))};
}

// A new listen address or upstream: the proxy is closed and opened again
// with them (as Toxiproxy restarts it), keeping its faults. The config it
// moves to, or none when the body keeps both.
std::optional<ListenerConfig> moved_config(const ListenerState& listener, const json& body) {
  ListenerConfig config = listener.config();
  enum class Side { listen, upstream };
  const auto take = [&](const char* key, Side side, Endpoint& now) {
    if (!body.contains(key) || !body.at(key).is_string()) return false;
    try {
      const Endpoint wanted = parse_endpoint(body.at(key).get<std::string>());
      // listen on port 0 asks for any port: the one it has will do
      const bool any_port = side == Side::listen && wanted.port == 0;
      const bool differs = wanted.host != now.host || (wanted.port != now.port && !any_port);
      if (differs) now = wanted;
      return differs;
    } catch (const std::invalid_argument& e) {
      // As Toxiproxy: an unparsable listen address fails its listen (500), a bad upstream is a bad request.
      throw ApiError{side == Side::listen ? 500 : 400, e.what()};
    }
  };
  const bool listen_moves = take("listen", Side::listen, config.listen);
  const bool upstream_moves = take("upstream", Side::upstream, config.backend);
  if (!listen_moves && !upstream_moves) return std::nullopt;
  return config;
}

ApiResponse move_route(ListenerRegistry& registry, ListenerState& listener, const ListenerConfig& config,
                       const json& body) {
  const bool enabled = body.contains("enabled") && body.at("enabled").is_boolean() ? body.at("enabled").get<bool>()
                                                                                  : listener.enabled.load();
  registry.remove(config.name);
  ListenerState& moved = registry.add(config, enabled);
  return reply(200, describe(moved));
}

ApiResponse proxy_route(ListenerRegistry& registry, ListenerState& listener, const ApiRequest& req,
                        std::string_view method, const ApiSettings& settings) {
  if (method == "GET") return reply(200, describe(listener));
  if (method == "DELETE") {
    registry.remove(listener.config().name);
    return no_content();
  }
  if (method == "PUT") {  // ours: strict, every field must be known
    update(listener, body_json(req));
    return reply(200, describe(listener));
  }
  if (method == "POST" || method == "PATCH") {
    const json body = body_json(req);
    const std::optional<ListenerConfig> moved = moved_config(listener, body);
    if (!moved) return update_route(listener, body);
    check_listen(settings, moved->listen);
    return move_route(registry, listener, *moved, body);
  }
  throw ApiError{405, "method not allowed"};
}

// Every listener enabled again, the toxics the API added gone (those it was
// configured with come back, so a flagbench scenario's stay), counters zeroed
// and the seeded sequence restarted; the Vaurien mix stays.
ApiResponse reset_route(Listeners& listeners) {
  for (auto& l : listeners) {
    if (!l->enabled) update(*l, {{"enabled", true}});
    ListenerConfig next = l->config();
    next.toxics = l->configured_toxics();
    l->set_config(std::move(next));
    l->reset();
  }
  return no_content();
}

ApiResponse create_route(ListenerRegistry& registry, const ApiRequest& req, const ApiSettings& settings) {
  const NewProxy p = new_proxy(body_json(req));
  check_listen(settings, p.config.listen);
  if (find_proxy(registry.listeners(), p.config.name)) throw ApiError{409, "proxy already exists"};
  return reply(201, describe(create(registry, p)));
}

// Create or replace, all checked before anything is touched; a proxy equal
// to the one there (listen, upstream, protocol, enabled) is left as it is, toxics and all.
ApiResponse populate_route(ListenerRegistry& registry, const ApiRequest& req, const ApiSettings& settings) {
  json list = json::parse(req.body, nullptr, false);
  if (list.is_discarded() || !list.is_array()) throw ApiError{400, "bad request body: populate takes a JSON array of proxies"};
  std::vector<NewProxy> wanted;
  for (std::size_t i = 0; i < list.size(); ++i) {
    wanted.push_back(new_proxy(list[i], " at proxy " + std::to_string(i + 1)));
    check_listen(settings, wanted.back().config.listen);
  }
  json out = json::array();
  for (const NewProxy& p : wanted) {
    if (ListenerState* existing = find_proxy(registry.listeners(), p.config.name)) {
      const ListenerConfig& now = existing->config();
      const bool same = now.backend.to_string() == p.config.backend.to_string() && now.protocol == p.config.protocol &&
                        existing->enabled == p.enabled && now.listen.host == p.config.listen.host &&
                        (p.config.listen.port == 0 || p.config.listen.port == now.listen.port);
      if (same) {
        out.push_back(describe(*existing));
        continue;
      }
      registry.remove(p.config.name);
    }
    out.push_back(describe(create(registry, p)));
  }
  return reply(201, {{"proxies", out}});
}

ApiResponse dispatch(ListenerRegistry& registry, const ApiRequest& req, const ApiSettings& settings) {
  Listeners& listeners = registry.listeners();
  const auto path = segments(req.target);
  const std::string_view method = req.method;
  const auto only = [&](std::string_view allowed) {
    if (method != allowed) throw ApiError{405, "method not allowed"};
  };
  if (path.size() == 1 && path[0] == "healthz") return {200, "ok\n", "text/plain"};
  if (path.size() == 1 && path[0] == "metrics") {
    only("GET");
    return {200, prometheus_metrics(listeners), "text/plain; version=0.0.4"};
  }
  if (path.size() == 1 && path[0] == "version") {
    only("GET");
    return reply(200, {{"version", "2.12.0"}, {"chaos_proxy", PLATESPIN_VERSION}});
  }
  if (path.size() == 1 && path[0] == "reset") {
    only("POST");
    return reset_route(listeners);
  }
  if (path.size() == 1 && path[0] == "proxies") {
    if (method == "POST") return create_route(registry, req, settings);
    only("GET");
    return reply(200, describe(listeners));
  }
  if (path.size() == 1 && path[0] == "populate") {
    only("POST");
    return populate_route(registry, req, settings);
  }
  if (path.size() >= 2 && path.size() <= 4 && path[0] == "proxies") {
    ListenerState& listener = proxy_named(listeners, path[1]);
    if (path.size() == 2) return proxy_route(registry, listener, req, method, settings);
    if (path[2] != "toxics") throw ApiError{404, "not found"};
    if (path.size() == 3) return toxics_route(listener, req, method);
    return toxic_route(listener, path[3], req, method);
  }
  throw ApiError{404, "not found"};
}

}  // namespace

ApiResponse route(ListenerRegistry& registry, const ApiRequest& req, const ApiSettings& settings) {
  // Toxiproxy's guard against a web page driving the API from a browser.
  if (req.user_agent.starts_with("Mozilla/")) return {403, "User agent not allowed\n", "text/plain"};
  if (!settings.token.empty() && segments(req.target) != std::vector<std::string_view>{"healthz"} &&
      req.authorization != "Bearer " + settings.token)
    return error_reply(401, "unauthorized: send Authorization: Bearer TOKEN");
  try {
    return dispatch(registry, req, settings);
  } catch (const ApiError& e) {
    return error_reply(e.status, e.message);
  } catch (const std::invalid_argument& e) {
    return error_reply(400, e.what());
  } catch (const std::system_error& e) {  // reopening a listening socket
    return error_reply(500, e.code().message());
  }
}

}  // namespace platespin::proxy
