#include "api_routes.hpp"

#include <algorithm>
#include <stdexcept>
#include <system_error>
#include <vector>

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

ListenerState& proxy_named(Listeners& listeners, std::string_view name) {
  for (auto& l : listeners)
    if (l->config().name == name) return *l;
  throw ApiError{404, "proxy not found"};
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
ApiResponse update_route(ListenerState& listener, const ApiRequest& req) {
  const json body = body_json(req);
  json change = json::object();
  const auto params = behavior_parameters();
  for (const auto& [key, value] : body.items()) {
    const bool param = std::any_of(params.begin(), params.end(), [&](const Parameter& p) { return p.key == key; });
    if (param || key == "enabled" || key == "behavior" || key == "max_connections") change[key] = value;
  }
  for (const char* key : {"listen", "upstream"})
    if (body.contains(key) && body.at(key) != describe(listener).at(key))
      throw ApiError{400, std::string("changing '") + key + "' of a running proxy is not supported yet"};
  update(listener, change);
  return reply(200, describe(listener));
}

ApiResponse proxy_route(ListenerState& listener, const ApiRequest& req, std::string_view method) {
  if (method == "GET") return reply(200, describe(listener));
  if (method == "PUT") {  // ours: strict, every field must be known
    update(listener, body_json(req));
    return reply(200, describe(listener));
  }
  if (method == "POST" || method == "PATCH") return update_route(listener, req);
  throw ApiError{405, "method not allowed"};
}

// Every listener enabled again, every toxic gone, counters zeroed and the
// seeded sequence restarted; the configured Vaurien mix stays.
ApiResponse reset_route(Listeners& listeners) {
  for (auto& l : listeners) {
    if (!l->enabled) update(*l, {{"enabled", true}});
    ListenerConfig next = l->config();
    next.toxics.clear();
    l->set_config(std::move(next));
    l->reset();
  }
  return no_content();
}

ApiResponse dispatch(Listeners& listeners, const ApiRequest& req) {
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
    only("GET");
    return reply(200, describe(listeners));
  }
  if (path.size() >= 2 && path.size() <= 4 && path[0] == "proxies") {
    ListenerState& listener = proxy_named(listeners, path[1]);
    if (path.size() == 2) return proxy_route(listener, req, method);
    if (path[2] != "toxics") throw ApiError{404, "not found"};
    if (path.size() == 3) return toxics_route(listener, req, method);
    return toxic_route(listener, path[3], req, method);
  }
  throw ApiError{404, "not found"};
}

}  // namespace

ApiResponse route(Listeners& listeners, const ApiRequest& req, const ApiSettings& settings) {
  // Toxiproxy's guard against a web page driving the API from a browser.
  if (req.user_agent.starts_with("Mozilla/")) return {403, "User agent not allowed\n", "text/plain"};
  if (!settings.token.empty() && segments(req.target) != std::vector<std::string_view>{"healthz"} &&
      req.authorization != "Bearer " + settings.token)
    return error_reply(401, "unauthorized: send Authorization: Bearer TOKEN");
  try {
    return dispatch(listeners, req);
  } catch (const ApiError& e) {
    return error_reply(e.status, e.message);
  } catch (const std::invalid_argument& e) {
    return error_reply(400, e.what());
  } catch (const std::system_error& e) {  // reopening a listening socket
    return error_reply(500, e.code().message());
  }
}

}  // namespace platespin::proxy
