#include "mean_wait.hpp"
#include "proxy_config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

using namespace platespin;
using namespace platespin::proxy;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

ProxyConfig read_text(const std::string& text, bool require_addresses = true) {
  YamlReader yaml("p.yaml", text);
  return read_proxy_config(yaml, yaml.root(), require_addresses);
}

}  // namespace

TEST(BehaviorMix, ParsesVaurienStrings) {
  const auto mix = parse_behavior_mix("25:error,50:delay", Protocol::http);
  ASSERT_EQ(mix.size(), 2u);
  EXPECT_EQ(mix[0].name, "error");
  EXPECT_EQ(mix[0].percent, 25);
  EXPECT_EQ(mix[1].name, "delay");
  EXPECT_EQ(to_string(mix), "25:error,50:delay");
  EXPECT_TRUE(parse_behavior_mix("", Protocol::http).empty());
}

TEST(BehaviorMix, RejectsBadInput) {
  EXPECT_EQ(error_of([] { parse_behavior_mix("60:error,50:delay", Protocol::http); }),
            "behavior percentages add up to 110, over 100");
  EXPECT_NE(error_of([] { parse_behavior_mix("25:explode", Protocol::http); }).find("unknown behavior 'explode'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("x:delay", Protocol::http); }).find("bad percentage 'x'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("delay", Protocol::http); }).find("expected PERCENT:NAME"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("10:error", Protocol::tcp); }).find("does not work with protocol tcp"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("10:slicer", Protocol::http); }).find("does not work with protocol http"),
            std::string::npos);
}

TEST(ProxyConfig, ReadsTheShippedFileWithTheBooksListeners) {
  const auto path = std::filesystem::path(PLATESPIN_SOURCE_DIR) / "configs" / "proxies.yaml";
  YamlReader yaml(path.string());
  const auto config = read_proxy_config(yaml, yaml.root());
  ASSERT_EQ(config.listeners.size(), 2u);
  EXPECT_EQ(config.listeners[0].name, "DELAY");
  EXPECT_EQ(config.listeners[0].listen.port, 8002);
  EXPECT_EQ(config.listeners[0].backend.port, 8001);
  EXPECT_EQ(to_string(config.listeners[0].behaviors), "100:delay");
  EXPECT_DOUBLE_EQ(config.listeners[0].params.number("delay"), 0.5);
  EXPECT_EQ(config.listeners[1].name, "ERROR");
  EXPECT_EQ(config.listeners[1].listen.port, 8003);
  EXPECT_EQ(to_string(config.listeners[1].behaviors), "25:error,50:delay");
  EXPECT_EQ(config.listeners[1].params.at("error_codes"), nlohmann::json({500, 501, 502, 503}));
  ASSERT_TRUE(config.api.has_value());
  EXPECT_EQ(config.api->port, 8474);
}

TEST(ProxyConfig, OptionalKeysAndOverrides) {
  const auto config = read_text(
      "backend: 127.0.0.1:9000\nseed: 7\ntimeout: 2.5\nthreads: 3\nlisteners:\n"
      "  - name: T\n    listen: 127.0.0.1:0\n    backend: 127.0.0.1:9001\n    protocol: tcp\n"
      "    behavior: 10:slicer,20:delay\n    jitter: 0.1\n    delay_before: false\n    max_connections: 5\n"
      "    slice_bytes: 8\n    slice_gap: 0.002\n    bandwidth: 100\n");
  EXPECT_EQ(config.seed, 7u);
  EXPECT_DOUBLE_EQ(config.timeout_s, 2.5);
  EXPECT_EQ(config.threads, 3u);
  EXPECT_FALSE(config.api.has_value());
  const auto& l = config.listeners.at(0);
  EXPECT_EQ(l.backend.port, 9001);
  EXPECT_EQ(l.protocol, Protocol::tcp);
  EXPECT_FALSE(l.params.flag("delay_before"));
  EXPECT_EQ(l.max_connections, 5u);
  EXPECT_EQ(l.params.whole("slice_bytes"), 8u);
  EXPECT_EQ(l.params.whole("bandwidth"), 100u);
}

TEST(ProxyConfig, AddressesMayBeLeftToTheCaller) {
  const auto config = read_text("listeners:\n  - name: ERROR\n    behavior: 25:error\n", false);
  EXPECT_EQ(config.listeners.at(0).listen.port, 0);
  EXPECT_EQ(error_of([] { read_text("listeners:\n  - name: ERROR\n    listen: :0\n"); }),
            "p.yaml:2:5: listener 'ERROR' has no 'backend' and there is no top-level 'backend'");
}

TEST(ProxyConfig, ErrorsNameFileLineAndColumn) {
  const std::string head = "backend: 127.0.0.1:1\nlisteners:\n  - name: A\n    listen: :0\n";
  EXPECT_EQ(error_of([&] { read_text(head + "    behavior: 60:error,50:delay\n"); }),
            "p.yaml:5:15: behavior percentages add up to 110, over 100");
  EXPECT_EQ(error_of([&] { read_text(head + "    delay: soon\n"); }), "p.yaml:5:12: 'delay' must be a number of seconds from 0 to 3600, not 'soon'");
  EXPECT_NE(error_of([&] { read_text(head + "    dealy: 1\n"); }).find("p.yaml:5:5: unknown key 'dealy'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_text(head + "    delay: 1\n    delay: 2\n"); }).find("p.yaml:6:5: duplicate key 'delay'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_text(head + "  - name: A\n    listen: :0\n"); }).find("p.yaml:5:11: duplicate listener"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_text("backend: 127.0.0.1:1\nlisteners:\n  - name: A\n    listen: nowhere\n"); })
                .find("p.yaml:4:13: 'listen': bad address 'nowhere'"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_text("listeners: []\n"); }).find("'listeners' must be a list"), std::string::npos);
  EXPECT_EQ(error_of([&] { read_text("threads: 1000\n" + head); }), "p.yaml:1:10: 'threads' must be 0 (one per core) to 256");
  EXPECT_NE(error_of([&] { read_text("threads: many\n" + head); }).find("p.yaml:1:10:"), std::string::npos);
}

// The bound's wait comes from what each fault does to a fate: a delay share,
// a latency toxic by its toxicity (the middle of its jitter), nothing for a
// fault that only errs; over TCP a delay holds both directions.
TEST(MeanWait, EachFaultsWaitByItsShareOrToxicity) {
  const auto config = read_text(
      "listeners:\n"
      "  - name: H\n    behavior: 50:delay,25:error\n    delay: 0.4\n    jitter: 0.1\n"
      "    toxics:\n      - {type: latency, toxicity: 0.5, attributes: {latency: 100, jitter: 50}}\n"
      "      - {type: latency, stream: upstream, attributes: {latency: 20}}\n"
      "      - {type: bandwidth, attributes: {rate: 100}}\n"
      "  - name: T\n    protocol: tcp\n    behavior: 100:delay\n    delay: 0.3\n"
      "    toxics: [{type: latency, attributes: {latency: 10}}]\n",
      false);
  EXPECT_NEAR(mean_wait_s(config.listeners.at(0)), 0.5 * 0.4 + 0.5 * 0.1 + 0.02, 1e-9);
  EXPECT_NEAR(mean_wait_s(config.listeners.at(1)), 2 * 0.3 + 0.01, 1e-9);
}
