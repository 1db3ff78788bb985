// Every Vaurien behavior's effect on the fates (proxy/behaviors/), for each
// protocol it works with; the behaviors' parameters are the listener's flat ones.
#include <gtest/gtest.h>

#include <set>

#include "decision.hpp"
#include "fault_test_support.hpp"
#include "proxy_config.hpp"

using namespace platespin::proxy;
using namespace platespin::proxy::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

HttpFate http(std::string_view name, const json& params = json::object(), std::uint64_t random = 0) {
  HttpFate fate;
  behavior(name).shape_http(fate, behavior_values(params), Stream::downstream, random);
  return fate;
}

TcpFate tcp(std::string_view name, const json& params = json::object()) {
  TcpFate fate;
  behavior(name).shape_tcp(fate, behavior_values(params), Stream::downstream, 0);
  return fate;
}

// What a fresh fate with only the behavior's name set looks like.
template <typename Fate>
Fate named(std::string_view name) {
  Fate fate;
  fate.behavior = name;
  return fate;
}

}  // namespace

// A new behavior in behaviors/registry.cpp fails here until it has its tests in this file.
TEST(Behaviors, EveryBehaviorIsTestedHere) {
  std::set<std::string> names;
  for (const Fault* b : behaviors()) names.insert(std::string(b->name()));
  EXPECT_EQ(names, (std::set<std::string>{"dummy", "delay", "error", "hang", "blackout", "abort", "bandwidth",
                                          "truncate", "slicer"}));
}

TEST(Behaviors, ProtocolsEachWorksWith) {
  EXPECT_EQ(fault_names(behaviors(), Protocol::http), "dummy, delay, error, hang, blackout, abort, bandwidth, truncate");
  EXPECT_EQ(fault_names(behaviors(), Protocol::tcp), "dummy, delay, hang, blackout, abort, bandwidth, slicer");
  EXPECT_NE(error_of([] { parse_behavior_mix("10:error", Protocol::tcp); })
                .find("behavior 'error' does not work with protocol tcp"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("10:truncate", Protocol::tcp); }).find("does not work with protocol tcp"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_behavior_mix("10:slicer", Protocol::http); }).find("does not work with protocol http"),
            std::string::npos);
}

TEST(Behaviors, DummyOnlyNamesItself) {
  EXPECT_EQ(text(http("dummy")), text(named<HttpFate>("dummy")));
  EXPECT_EQ(text(tcp("dummy")), text(named<TcpFate>("dummy")));
}

TEST(Behaviors, DelayWaitsBeforeTheBackendByDefault) {
  HttpFate expected = named<HttpFate>("delay");
  expected.wait_before = 500ms;
  EXPECT_EQ(text(http("delay", {{"delay", 0.5}})), text(expected));
  EXPECT_EQ(http("delay").wait_before, 1s);  // Vaurien's default
}

TEST(Behaviors, DelayAfterWaitsAfterTheBackendsAnswer) {
  HttpFate expected = named<HttpFate>("delay");
  expected.wait_after = 250ms;
  EXPECT_EQ(text(http("delay", {{"delay", 0.25}, {"delay_before", false}})), text(expected));
}

TEST(Behaviors, DelayJitterStaysWithinAndSpreads) {
  Micros low = 1h, high = 0ms;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const HttpFate fate = http("delay", {{"delay", 0.1}, {"jitter", 0.02}}, i * 0x9e3779b97f4a7c15ULL);
    EXPECT_EQ(fate.wait_after, 0ms);
    low = std::min(low, fate.wait_before);
    high = std::max(high, fate.wait_before);
  }
  EXPECT_GE(low, 80ms);
  EXPECT_LE(high, 120ms);
  EXPECT_LT(low, 82ms);
  EXPECT_GT(high, 118ms);
}

TEST(Behaviors, DelayOverTcpHoldsChunksBothWays) {
  const TcpFate fate = tcp("delay", {{"delay", 0.3}, {"jitter", 0.01}});
  EXPECT_EQ(fate.behavior, "delay");
  for (const TcpStream* s : {&fate.upstream, &fate.downstream}) {
    EXPECT_EQ(s->latency, 300ms);
    EXPECT_EQ(s->jitter, 10ms);
  }
  EXPECT_FALSE(fate.ends());
}

TEST(Behaviors, ErrorAnswersOneOfTheCodes) {
  std::set<int> seen;
  for (std::uint64_t r = 0; r < 40; ++r) {
    const HttpFate fate = http("error", json::object(), r);
    EXPECT_EQ(fate.behavior, "error");
    EXPECT_EQ(fate.cut, HttpFate::Cut::none);
    EXPECT_EQ(fate.body, "");
    seen.insert(fate.status);
  }
  EXPECT_EQ(seen, (std::set<int>{500, 501, 502, 503}));  // Vaurien's defaults
  HttpFate expected = named<HttpFate>("error");
  expected.status = 418;
  EXPECT_EQ(text(http("error", {{"error_codes", {418}}}, 12345)), text(expected));
  EXPECT_EQ(http("error", {{"error_codes", {404, 410}}}, 1).status, 410);
}

// hang holds without an answer (until the client leaves), blackout closes at
// once, abort resets: each only cuts the exchange, at once, in both protocols.
TEST(Behaviors, HangBlackoutAndAbortOnlyCut) {
  const struct {
    const char* name;
    HttpFate::Cut http_cut;
    TcpFate::Cut tcp_cut;
  } cuts[] = {{"hang", HttpFate::Cut::hang, TcpFate::Cut::hang},
              {"blackout", HttpFate::Cut::blackout, TcpFate::Cut::blackout},
              {"abort", HttpFate::Cut::reset, TcpFate::Cut::reset}};
  for (const auto& c : cuts) {
    HttpFate expected = named<HttpFate>(c.name);
    expected.cut = c.http_cut;
    EXPECT_EQ(text(http(c.name)), text(expected)) << c.name;
    EXPECT_EQ(http(c.name).cut_after, 0ms) << c.name;
    EXPECT_TRUE(http(c.name).ends()) << c.name;
    TcpFate tcp_expected = named<TcpFate>(c.name);
    tcp_expected.cut = c.tcp_cut;
    EXPECT_EQ(text(tcp(c.name)), text(tcp_expected)) << c.name;
  }
}

TEST(Behaviors, BandwidthThrottlesTheResponseOrTheWholeStream) {
  HttpFate expected = named<HttpFate>("bandwidth");
  expected.response.rate_bps = 2048;  // bytes per second, Vaurien's unit
  EXPECT_EQ(text(http("bandwidth", {{"bandwidth", 2048}})), text(expected));
  EXPECT_EQ(http("bandwidth").response.rate_bps, 10240u);
  const TcpFate fate = tcp("bandwidth", {{"bandwidth", 4096}});
  EXPECT_EQ(fate.upstream.pacing.rate_bps, 4096u);
  EXPECT_EQ(fate.downstream.pacing.rate_bps, 4096u);
  EXPECT_FALSE(fate.ends());
}

TEST(Behaviors, TruncateSendsAtMostHalfTheBody) {
  HttpFate expected = named<HttpFate>("truncate");
  expected.response.limit = 300;
  expected.half_body_at_most = true;
  EXPECT_EQ(text(http("truncate", {{"truncate_bytes", 300}})), text(expected));
  EXPECT_EQ(http("truncate").response.limit, 1024u);
  EXPECT_EQ(http("truncate").request.limit, kUnlimited);
  EXPECT_FALSE(http("truncate").ends());  // the header goes out, then the cut body
}

TEST(Behaviors, SlicerOverTcpSlicesTheDownstream) {
  TcpFate expected = named<TcpFate>("slicer");
  expected.downstream.pacing.slice_bytes = 16;
  expected.downstream.pacing.slice_gap = 5ms;
  EXPECT_EQ(text(tcp("slicer", {{"slice_bytes", 16}, {"slice_gap", 0.005}})), text(expected));
  EXPECT_EQ(tcp("slicer").downstream.pacing.slice_bytes, 64u);
  EXPECT_EQ(tcp("slicer").downstream.pacing.slice_gap, 10ms);
}

// The mix picks the behavior and passes it the listener's parameters.
TEST(Behaviors, TheMixAppliesTheListenersParameters) {
  ListenerConfig l;
  l.behaviors = parse_behavior_mix("100:delay", Protocol::http);
  l.params = behavior_values({{"delay", 0.2}, {"delay_before", false}});
  const HttpFate fate = decide_http_fate(l, 77);
  EXPECT_EQ(fate.behavior, "delay");
  EXPECT_EQ(fate.wait_after, 200ms);
  l.protocol = Protocol::tcp;
  l.behaviors = parse_behavior_mix("100:slicer", Protocol::tcp);
  l.params = behavior_values({{"slice_bytes", 3}});
  EXPECT_EQ(decide_tcp_fate(l, 77).downstream.pacing.slice_bytes, 3u);
}
