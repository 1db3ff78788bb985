// The control API's model without sockets (proxy/api_model.cpp): listeners as
// JSON with their toxics in Toxiproxy's form, live changes all or nothing, and
// the Prometheus text.
#include "api_model.hpp"

#include <gtest/gtest.h>

#include "fault_test_support.hpp"

using namespace platespin::proxy;
using namespace platespin::proxy::test;
using nlohmann::json;

namespace {

std::unique_ptr<ListenerState> error_listener(Protocol protocol = Protocol::http) {
  ListenerConfig config;
  config.name = "ERROR";
  config.listen = {"127.0.0.1", 8003};
  config.backend = {"127.0.0.1", 8001};
  config.protocol = protocol;
  config.behaviors = parse_behavior_mix(protocol == Protocol::http ? "25:error,50:delay" : "50:delay", protocol);
  config.params = behavior_values({{"delay", 0.5}});
  config.toxics.push_back(toxic_from_json({{"type", "latency"}, {"attributes", {{"latency", 20}}}}, protocol));
  return std::make_unique<ListenerState>(std::move(config), 42);
}

const json lag = {{"name", "lag"}, {"type", "latency"}, {"stream", "upstream"}, {"toxicity", 0.5},
                  {"attributes", {{"latency", 300}, {"jitter", 10}}}};

}  // namespace

TEST(ApiModel, DescribeShowsToxicsAsToxiproxyDoesAndTheBehaviorParameters) {
  const auto l = error_listener();
  const json j = describe(*l);
  EXPECT_EQ(j.at("toxics"), json::array({{{"name", "latency_downstream"},
                                           {"type", "latency"},
                                           {"stream", "downstream"},
                                           {"toxicity", 1.0},
                                           {"attributes", {{"latency", 20}, {"jitter", 0}}}}}));
  EXPECT_EQ(j.at("behavior"), "25:error,50:delay");
  EXPECT_EQ(j.at("delay"), 0.5);
  EXPECT_EQ(j.at("delay_before"), true);
  EXPECT_EQ(j.at("error_codes"), json({500, 501, 502, 503}));
  for (const Parameter& p : behavior_parameters()) EXPECT_TRUE(j.contains(p.key)) << p.key;
  EXPECT_EQ(j.at("counters").at("by_toxic"), json::object());
}

TEST(ApiModel, UpdateReplacesTheToxicList) {
  const auto l = error_listener();
  update(*l, {{"toxics", {lag, {{"type", "http_error"}, {"attributes", {{"codes", {429}}}}}}}});
  const json toxics = describe(*l).at("toxics");
  ASSERT_EQ(toxics.size(), 2u);
  EXPECT_EQ(toxics[0], lag);
  EXPECT_EQ(toxics[1].at("name"), "http_error_downstream");
  EXPECT_EQ(toxics[1].at("attributes"), json({{"codes", {429}}, {"body", ""}}));
  EXPECT_EQ(l->config().toxics.at(1).type->name(), "http_error");

  // Other fields leave the toxics as they are; an empty list clears them.
  update(*l, {{"behavior", "10:error"}, {"delay", 2}});
  EXPECT_EQ(describe(*l).at("toxics").size(), 2u);
  EXPECT_EQ(describe(*l).at("delay"), 2.0);
  update(*l, {{"toxics", json::array()}});
  EXPECT_EQ(describe(*l).at("toxics"), json::array());
}

TEST(ApiModel, ABadToxicChangesNothing) {
  const auto l = error_listener();
  const json before = describe(*l);
  const auto refused = [&](const json& change) {
    const std::string message = error_of([&] { update(*l, change); });
    EXPECT_EQ(describe(*l), before) << change.dump();
    return message;
  };
  EXPECT_EQ(refused({{"behavior", "10:error"},
                     {"toxics", {lag, {{"type", "slicer"}, {"attributes", {{"average_size", 0}}}}}}}),
            "toxic 'slicer_downstream' (slicer): attribute 'average_size' must be a whole number of bytes from 1 to "
            "1048576, not 0");
  EXPECT_EQ(refused({{"toxics", {lag, lag}}}),
            "duplicate toxic name 'lag' (names are unique on a listener, both streams together)");
  EXPECT_EQ(refused({{"toxics", lag}}), "field 'toxics' must be a list of toxics");
  EXPECT_EQ(refused({{"toxics", {lag, {{"type", "lag"}}}}}).substr(0, 26), "unknown toxic type 'lag' (");
  EXPECT_NE(refused({{"delay", 1}, {"toxics", {{{"type", "latency"}, {"toxicity", 2}}}}}).find("toxicity must be"),
            std::string::npos);
  EXPECT_NE(refused({{"toxics", json::array()}, {"delay", -1}}).find("'delay' must be"), std::string::npos);

  const auto tcp = error_listener(Protocol::tcp);
  const json tcp_before = describe(*tcp);
  EXPECT_NE(error_of([&] { update(*tcp, {{"toxics", {{{"type", "http_error"}}}}}); })
                .find("toxic type 'http_error' does not work with protocol tcp"),
            std::string::npos);
  EXPECT_EQ(describe(*tcp), tcp_before);
}

TEST(ApiModel, MetricsCountEachToxicApplied) {
  Listeners listeners;
  listeners.push_back(error_listener());
  ListenerState& l = *listeners.front();
  update(l, {{"behavior", ""}, {"toxics", {lag, {{"type", "noop"}, {"name", "never"}, {"toxicity", 0}}}}});
  int lagged = 0;
  for (int i = 0; i < 200; ++i) lagged += l.next_http_fate("GET", "/flags/" + std::to_string(i)).wait_before.count() > 0;
  ASSERT_GT(lagged, 50);
  ASSERT_LT(lagged, 150);
  const std::string metrics = prometheus_metrics(listeners);
  EXPECT_NE(metrics.find("# TYPE chaos_proxy_toxic_applied_total counter\n"), std::string::npos);
  EXPECT_NE(metrics.find("chaos_proxy_toxic_applied_total{listener=\"ERROR\",toxic=\"lag\",type=\"latency\","
                         "stream=\"upstream\"} " +
                         std::to_string(lagged) + "\n"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("toxic=\"never\""), std::string::npos);  // never applied: no sample
  EXPECT_EQ(describe(l).at("counters").at("by_toxic"), json({{"lag", lagged}}));
}

TEST(ApiModel, MetricsEscapeToxicNames) {
  Listeners listeners;
  listeners.push_back(error_listener());
  update(*listeners.front(), {{"behavior", ""}, {"toxics", {{{"type", "noop"}, {"name", "a.b:c-d_e"}}}}});
  listeners.front()->next_http_fate("GET", "/");
  EXPECT_NE(prometheus_metrics(listeners).find("toxic=\"a.b:c-d_e\",type=\"noop\",stream=\"downstream\"} 1\n"),
            std::string::npos);
}
