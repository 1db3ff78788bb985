// Toxiproxy's routes (proxy/api_routes.cpp) without sockets: status codes and
// bodies as api.go and api_test.go have them.
#include "api_routes.hpp"

#include <gtest/gtest.h>

using namespace platespin::proxy;
using nlohmann::json;

namespace {

struct Api {
  ListenerList registry;
  Listeners& listeners = registry.listeners();
  ApiSettings settings;

  Api() {
    ListenerConfig http;
    http.name = "web";
    http.backend = {"127.0.0.1", 8001};
    http.behaviors = parse_behavior_mix("25:error", Protocol::http);
    listeners.push_back(std::make_unique<ListenerState>(http, 1));
    ListenerConfig tcp;
    tcp.name = "redis";
    tcp.protocol = Protocol::tcp;
    tcp.backend = {"127.0.0.1", 6379};
    listeners.push_back(std::make_unique<ListenerState>(tcp, 1));
  }

  ApiResponse call(std::string_view method, std::string_view target, std::string_view body = "",
                   std::string_view user_agent = "curl/7.88", std::string_view authorization = "") {
    return route(registry, {method, target, body, user_agent, authorization}, settings);
  }
  json json_of(std::string_view method, std::string_view target, std::string_view body = "") {
    return json::parse(call(method, target, body).body);
  }
};

}  // namespace

TEST(ApiRoutes, VersionAndErrorsAreToxiproxys) {
  Api api;
  EXPECT_EQ(api.json_of("GET", "/version")["version"], "2.12.0");
  const auto missing = api.call("GET", "/proxies/nobody");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body), (json{{"error", "proxy not found"}, {"status", 404}}));
  EXPECT_EQ(api.call("GET", "/nothing/here").status, 404);
  EXPECT_EQ(api.call("DELETE", "/version").status, 405);
  EXPECT_EQ(api.call("PUT", "/proxies/web/toxics").status, 405);
  EXPECT_EQ(api.call("GET", "/proxies", "", "Mozilla/5.0 (X11; Linux x86_64)").status, 403);
}

TEST(ApiRoutes, ATokenGuardsEveryRouteButHealthz) {
  Api api;
  api.settings.token = "s3cret";
  EXPECT_EQ(api.call("GET", "/proxies").status, 401);
  EXPECT_EQ(api.call("GET", "/proxies", "", "curl", "Bearer wrong").status, 401);
  EXPECT_EQ(api.call("GET", "/proxies", "", "curl", "Bearer s3cret").status, 200);
  EXPECT_EQ(api.call("GET", "/healthz").status, 200);
}

TEST(ApiRoutes, ProxiesShowUpstreamAndToxics) {
  Api api;
  const json all = api.json_of("GET", "/proxies");
  ASSERT_TRUE(all.contains("web") && all.contains("redis"));
  EXPECT_EQ(all["web"]["upstream"], "127.0.0.1:8001");
  EXPECT_EQ(all["web"]["enabled"], true);
  EXPECT_EQ(all["redis"]["toxics"], json::array());
}

TEST(ApiRoutes, ToxicsAreCreatedWithToxiproxysDefaultsAndNamesAreUniqueAcrossStreams) {
  Api api;
  const auto created = api.call("POST", "/proxies/redis/toxics", R"({"type": "latency", "attributes": {"latency": 100}})");
  ASSERT_EQ(created.status, 200) << created.body;  // 200, not 201, as Toxiproxy
  EXPECT_EQ(json::parse(created.body),
            (json{{"name", "latency_downstream"}, {"type", "latency"}, {"stream", "downstream"}, {"toxicity", 1.0},
                  {"attributes", {{"latency", 100}, {"jitter", 0}}}}));
  const auto again = api.call("POST", "/proxies/redis/toxics",
                              R"({"type": "latency", "stream": "upstream", "name": "latency_downstream"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body)["error"], "toxic already exists");
  EXPECT_EQ(api.call("POST", "/proxies/redis/toxics", R"({"type": "latency", "stream": "upstream"})").status, 200);
  EXPECT_EQ(api.json_of("GET", "/proxies/redis/toxics").size(), 2u);
  EXPECT_EQ(api.json_of("GET", "/proxies/redis")["toxics"].size(), 2u);
}

TEST(ApiRoutes, BadToxicsAreRefusedNamingTheAttribute) {
  Api api;
  const auto bad = api.call("POST", "/proxies/redis/toxics", R"({"type": "slicer", "attributes": {"average_size": 0}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(json::parse(bad.body)["error"].get<std::string>().find("'average_size'"), std::string::npos) << bad.body;
  EXPECT_EQ(api.call("POST", "/proxies/redis/toxics", R"({"type": "http_error"})").status, 400);  // HTTP only
  EXPECT_EQ(api.call("POST", "/proxies/web/toxics", R"({"type": "http_error"})").status, 200);
  EXPECT_EQ(api.call("POST", "/proxies/redis/toxics", "not json").status, 400);
  EXPECT_EQ(api.call("POST", "/proxies/redis/toxics", R"({"type": "nap"})").status, 400);
  EXPECT_EQ(api.json_of("GET", "/proxies/redis/toxics"), json::array());  // nothing half-made
}

TEST(ApiRoutes, ToxicUpdatesMergeAndDeletesRemove) {
  Api api;
  ASSERT_EQ(api.call("POST", "/proxies/web/toxics",
                     R"({"name": "slow", "type": "latency", "toxicity": 0.5, "attributes": {"latency": 100, "jitter": 10}})")
                .status,
            200);
  const json updated = api.json_of("PATCH", "/proxies/web/toxics/slow", R"({"attributes": {"latency": 300}})");
  EXPECT_EQ(updated["attributes"], (json{{"latency", 300}, {"jitter", 10}}));
  EXPECT_EQ(updated["toxicity"], 0.5);
  EXPECT_EQ(api.json_of("POST", "/proxies/web/toxics/slow", R"({"toxicity": 1})")["toxicity"], 1.0);
  EXPECT_EQ(api.call("PATCH", "/proxies/web/toxics/slow", R"({"attributes": {"latency": -1}})").status, 400);
  EXPECT_EQ(api.json_of("GET", "/proxies/web/toxics/slow")["attributes"]["latency"], 300);
  EXPECT_EQ(api.call("DELETE", "/proxies/web/toxics/slow").status, 204);
  const auto gone = api.call("GET", "/proxies/web/toxics/slow");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(json::parse(gone.body)["error"], "toxic not found");
}

TEST(ApiRoutes, ProxyUpdatesTakeKnownFieldsAndIgnoreOthers) {
  Api api;
  const auto res = api.call("PATCH", "/proxies/web",
                            R"({"enabled": false, "name": "other", "toxics": [{"type": "nap"}], "Logger": {}})");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["enabled"], false);
  EXPECT_EQ(json::parse(res.body)["name"], "web");
  EXPECT_EQ(api.call("POST", "/proxies/web", R"({"behavior": "150:error"})").status, 400);
  ASSERT_EQ(api.call("POST", "/proxies/web/toxics", R"({"type": "latency"})").status, 200);
  const json moved = api.json_of("POST", "/proxies/web", R"({"upstream": "127.0.0.1:9"})");
  EXPECT_EQ(moved["upstream"], "127.0.0.1:9");  // reopened with it, its faults kept
  EXPECT_EQ(moved["toxics"].size(), 1u);
  EXPECT_EQ(moved["behavior"], "25:error");
  EXPECT_EQ(api.call("PUT", "/proxies/web", R"({"Logger": {}})").status, 400);  // ours stays strict
}

TEST(ApiRoutes, ResetEnablesRemovesToxicsAndKeepsTheMix) {
  Api api;
  ASSERT_EQ(api.call("POST", "/proxies/web/toxics", R"({"type": "latency"})").status, 200);
  ASSERT_EQ(api.call("POST", "/proxies/web", R"({"enabled": false})").status, 200);
  EXPECT_EQ(api.call("POST", "/reset").status, 204);
  const json web = api.json_of("GET", "/proxies/web");
  EXPECT_EQ(web["enabled"], true);
  EXPECT_EQ(web["toxics"], json::array());
  EXPECT_EQ(web["behavior"], "25:error");
}

TEST(ApiRoutes, ResetBringsBackTheToxicsAListenerWasConfiguredWith) {
  Api api;
  ListenerConfig configured;
  configured.name = "yaml";
  configured.toxics.push_back(toxic_from_command_line("latency,latency=100", Protocol::http));
  api.listeners.push_back(std::make_shared<ListenerState>(configured, 1));
  ASSERT_EQ(api.call("DELETE", "/proxies/yaml/toxics/latency_downstream").status, 204);
  ASSERT_EQ(api.call("POST", "/proxies/yaml/toxics", R"({"type": "http_error"})").status, 200);
  EXPECT_EQ(api.call("POST", "/reset").status, 204);
  const json toxics = api.json_of("GET", "/proxies/yaml/toxics");
  ASSERT_EQ(toxics.size(), 1u);
  EXPECT_EQ(toxics[0]["name"], "latency_downstream");
}

TEST(ApiRoutes, ProxiesAreCreatedAsToxiproxyDoes) {
  Api api;
  const auto created = api.call("POST", "/proxies", R"({"name": "db", "listen": "127.0.0.1:0", "upstream": "localhost:5432"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body)["protocol"], "tcp");  // what Toxiproxy's clients expect
  EXPECT_EQ(json::parse(created.body)["upstream"], "localhost:5432");
  const auto twice = api.call("POST", "/proxies", R"({"name": "db", "listen": "127.0.0.1:0", "upstream": "x:1"})");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(json::parse(twice.body)["error"], "proxy already exists");
  EXPECT_EQ(json::parse(api.call("POST", "/proxies", R"({"listen": ":0", "upstream": "x:1"})").body)["error"],
            "missing required field: name");
  EXPECT_EQ(json::parse(api.call("POST", "/proxies", R"({"name": "n", "listen": ":0"})").body)["error"],
            "missing required field: upstream");
  EXPECT_EQ(api.call("POST", "/proxies", "{").status, 400);
  EXPECT_EQ(api.call("POST", "/proxies", R"({"name": "h", "upstream": "x:1", "protocol": "http"})").status, 201);
  EXPECT_EQ(api.json_of("GET", "/proxies/h")["protocol"], "http");
  EXPECT_EQ(api.call("POST", "/proxies", R"({"name": "b", "upstream": "x:1", "behavior": "150:error"})").status, 400);
  EXPECT_FALSE(api.json_of("GET", "/proxies").contains("b"));  // a bad field of ours leaves nothing behind
  EXPECT_EQ(api.call("DELETE", "/proxies/db").status, 204);
  EXPECT_EQ(api.call("GET", "/proxies/db").status, 404);
  EXPECT_EQ(api.call("DELETE", "/proxies/db").status, 404);
}

TEST(ApiRoutes, PopulateCreatesOrReplacesAndLeavesEqualOnesAlone) {
  Api api;
  ASSERT_EQ(api.call("POST", "/proxies", R"({"name": "a", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:1"})").status, 201);
  ASSERT_EQ(api.call("POST", "/proxies/a/toxics", R"({"type": "latency"})").status, 200);
  ASSERT_EQ(api.call("POST", "/proxies", R"({"name": "b", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:1"})").status, 201);
  ASSERT_EQ(api.call("POST", "/proxies/b/toxics", R"({"type": "latency"})").status, 200);
  const auto bad = api.call("POST", "/populate", R"([{"name": "c", "upstream": "127.0.0.1:1"}, {"upstream": "127.0.0.1:2"}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"], "missing required field: name at proxy 2");
  EXPECT_FALSE(api.json_of("GET", "/proxies").contains("c"));  // nothing created
  const auto res = api.call("POST", "/populate",
                            R"([{"name": "a", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:1"},
                                {"name": "b", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:2"},
                                {"name": "c", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:3"}])");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(json::parse(res.body)["proxies"].size(), 3u);
  EXPECT_EQ(api.json_of("GET", "/proxies/a")["toxics"].size(), 1u);  // equal: untouched, toxics and all
  EXPECT_EQ(api.json_of("GET", "/proxies/b")["toxics"].size(), 0u);  // replaced
  EXPECT_EQ(api.json_of("GET", "/proxies/b")["upstream"], "127.0.0.1:2");
  EXPECT_EQ(api.json_of("GET", "/proxies/c")["upstream"], "127.0.0.1:3");
}

TEST(ApiRoutes, AllowListenKeepsNewListenersInItsRanges) {
  Api api;
  api.settings.allow_listen = {AddressRange::parse("127.0.0.0/8"), AddressRange::parse("::1")};
  EXPECT_EQ(api.call("POST", "/proxies", R"({"name": "a", "listen": "127.0.0.5:0", "upstream": "x:1"})").status, 201);
  EXPECT_EQ(api.call("POST", "/proxies", R"({"name": "b", "listen": "localhost:0", "upstream": "x:1"})").status, 201);
  EXPECT_EQ(api.call("POST", "/proxies", R"({"name": "c", "listen": "[::1]:0", "upstream": "x:1"})").status, 201);
  const auto outside = api.call("POST", "/proxies", R"({"name": "d", "listen": "0.0.0.0:0", "upstream": "x:1"})");
  EXPECT_EQ(outside.status, 403);
  EXPECT_NE(json::parse(outside.body)["error"].get<std::string>().find("--allow-listen"), std::string::npos);
  EXPECT_EQ(api.call("POST", "/populate", R"([{"name": "e", "listen": "10.0.0.1:0", "upstream": "x:1"}])").status, 403);
  EXPECT_EQ(api.call("POST", "/proxies/a", R"({"listen": "192.168.0.1:0"})").status, 403);
  EXPECT_THROW(AddressRange::parse("127.0.0.0/33"), std::invalid_argument);
  EXPECT_THROW(AddressRange::parse("nowhere/8"), std::invalid_argument);
  EXPECT_TRUE(AddressRange::parse("0.0.0.0/0").contains(boost::asio::ip::make_address("8.8.8.8")));
  EXPECT_FALSE(AddressRange::parse("10.0.0.0/8").contains(boost::asio::ip::make_address("11.0.0.1")));
}
