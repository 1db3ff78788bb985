// Every toxic type's effect on the fates (proxy/toxics/), in each stream, as
// Toxiproxy keeps a toxic's test beside it.
#include <gtest/gtest.h>

#include <set>

#include "fault_test_support.hpp"
#include "toxic_config.hpp"

using namespace platespin::proxy;
using namespace platespin::proxy::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr Stream up = Stream::upstream, down = Stream::downstream;

HttpFate http(std::string_view type, Stream stream, const json& attributes = json::object(), std::uint64_t random = 0,
              HttpFate fate = {}) {
  const Fault& t = toxic_type(type);
  t.shape_http(fate, Values(t.parameters(), attributes), stream, random);
  return fate;
}

TcpFate tcp(std::string_view type, Stream stream, const json& attributes = json::object(), TcpFate fate = {}) {
  const Fault& t = toxic_type(type);
  t.shape_tcp(fate, Values(t.parameters(), attributes), stream, 0);
  return fate;
}

const HttpFate untouched_http;
const TcpFate untouched_tcp;

}  // namespace

// A new type in toxics/registry.cpp fails here until it has its tests in this file.
TEST(Toxics, EveryTypeIsTestedHere) {
  std::set<std::string> names;
  for (const Fault* t : toxic_types()) names.insert(std::string(t->name()));
  EXPECT_EQ(names, (std::set<std::string>{"latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer",
                                          "limit_data", "noop", "http_error", "http_header"}));
}

TEST(Toxics, LatencyUpstreamWaitsBeforeTheBackendDownstreamAfter) {
  const HttpFate upstream = http("latency", up, {{"latency", 250}});
  EXPECT_EQ(upstream.wait_before, 250ms);
  EXPECT_EQ(upstream.wait_after, 0ms);
  const HttpFate downstream = http("latency", down, {{"latency", 250}});
  EXPECT_EQ(downstream.wait_before, 0ms);
  EXPECT_EQ(downstream.wait_after, 250ms);
  EXPECT_FALSE(downstream.ends());
  // Nothing else moves.
  HttpFate expected;
  expected.wait_after = 250ms;
  EXPECT_EQ(text(downstream), text(expected));
}

TEST(Toxics, LatencyJitterStaysWithinAndSpreads) {
  Micros low = 1h, high = 0ms;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const Micros wait = http("latency", down, {{"latency", 100}, {"jitter", 20}}, i * 0x9e3779b97f4a7c15ULL).wait_after;
    low = std::min(low, wait);
    high = std::max(high, wait);
  }
  EXPECT_GE(low, 80ms);
  EXPECT_LE(high, 120ms);
  EXPECT_LT(low, 82ms);
  EXPECT_GT(high, 118ms);
  // Jitter larger than the latency never makes a wait below 0.
  for (std::uint64_t i = 0; i < 200; ++i)
    EXPECT_GE(http("latency", up, {{"latency", 5}, {"jitter", 50}}, i * 0x9e3779b97f4a7c15ULL).wait_before, 0ms);
}

TEST(Toxics, LatencyAddsToWhatIsThere) {
  HttpFate fate = http("latency", down, {{"latency", 100}});
  fate = http("latency", down, {{"latency", 50}}, 0, fate);
  fate = http("latency", up, {{"latency", 30}}, 0, fate);
  EXPECT_EQ(fate.wait_after, 150ms);
  EXPECT_EQ(fate.wait_before, 30ms);
}

TEST(Toxics, LatencyOverTcpHoldsEachChunkOfItsStream) {
  const TcpFate fate = tcp("latency", down, {{"latency", 500}, {"jitter", 40}});
  EXPECT_EQ(fate.downstream.latency, 500ms);
  EXPECT_EQ(fate.downstream.jitter, 40ms);
  EXPECT_EQ(text(fate.upstream), text(untouched_tcp.upstream));  // a 500 ms downstream latency costs 500 ms, not 1 s
  const TcpFate both = tcp("latency", up, {{"latency", 20}}, tcp("latency", down, {{"latency", 10}}, fate));
  EXPECT_EQ(both.upstream.latency, 20ms);
  EXPECT_EQ(both.downstream.latency, 510ms);
  EXPECT_FALSE(both.ends());
}

TEST(Toxics, BandwidthIsKilobytesOfAThousandBytesPerSecond) {
  EXPECT_EQ(http("bandwidth", down, {{"rate", 100}}).response.rate_bps, 100'000u);
  EXPECT_EQ(http("bandwidth", down, {{"rate", 100}}).request.rate_bps, 0u);
  EXPECT_EQ(http("bandwidth", up, {{"rate", 7}}).request.rate_bps, 7'000u);
  EXPECT_EQ(http("bandwidth", up, {{"rate", 7}}).response.rate_bps, 0u);
  EXPECT_EQ(tcp("bandwidth", down, {{"rate", 3}}).downstream.pacing.rate_bps, 3'000u);
  EXPECT_EQ(tcp("bandwidth", down, {{"rate", 3}}).upstream.pacing.rate_bps, 0u);
  EXPECT_EQ(tcp("bandwidth", up, {{"rate", 3}}).upstream.pacing.rate_bps, 3'000u);
}

TEST(Toxics, BandwidthZeroIsNoLimitAndTheTightestWins) {
  EXPECT_EQ(text(http("bandwidth", down, {{"rate", 0}})), text(untouched_http));
  EXPECT_EQ(text(tcp("bandwidth", up, {{"rate", 0}})), text(untouched_tcp));
  EXPECT_EQ(text(http("bandwidth", down)), text(untouched_http));  // the default is 0
  const HttpFate slow = http("bandwidth", down, {{"rate", 10}});
  EXPECT_EQ(http("bandwidth", down, {{"rate", 50}}, 0, slow).response.rate_bps, 10'000u);
  EXPECT_EQ(http("bandwidth", down, {{"rate", 2}}, 0, slow).response.rate_bps, 2'000u);
  EXPECT_EQ(http("bandwidth", down, {{"rate", 0}}, 0, slow).response.rate_bps, 10'000u);
  EXPECT_FALSE(slow.ends());
}

TEST(Toxics, SlowCloseWaitsBeforeTheClose) {
  EXPECT_EQ(http("slow_close", down, {{"delay", 300}}).close_delay, 300ms);
  EXPECT_EQ(http("slow_close", up, {{"delay", 300}}).close_delay, 300ms);
  EXPECT_FALSE(http("slow_close", down, {{"delay", 300}}).ends());
  const TcpFate down_only = tcp("slow_close", down, {{"delay", 300}});
  EXPECT_EQ(down_only.downstream.close_delay, 300ms);
  EXPECT_EQ(down_only.upstream.close_delay, 0ms);
  EXPECT_EQ(tcp("slow_close", up, {{"delay", 40}}).upstream.close_delay, 40ms);
  EXPECT_EQ(tcp("slow_close", up, {{"delay", 40}}).downstream.close_delay, 0ms);
}

TEST(Toxics, TimeoutGivesNoAnswerAndClosesLater) {
  const HttpFate downstream = http("timeout", down, {{"timeout", 1500}});
  EXPECT_EQ(downstream.cut, HttpFate::Cut::hang);
  EXPECT_EQ(downstream.cut_after, 1500ms);
  EXPECT_TRUE(downstream.cut_after_backend);  // the request went through; the answer is dropped
  EXPECT_TRUE(downstream.ends());
  const HttpFate upstream = http("timeout", up);
  EXPECT_EQ(upstream.cut, HttpFate::Cut::hang);
  EXPECT_EQ(upstream.cut_after, 0ms);  // 0: until the client leaves
  EXPECT_FALSE(upstream.cut_after_backend);
}

TEST(Toxics, TimeoutOverTcpDropsItsStream) {
  const TcpFate fate = tcp("timeout", up, {{"timeout", 200}});
  EXPECT_TRUE(fate.upstream.drop);
  EXPECT_EQ(fate.upstream.drop_close_after, 200ms);
  EXPECT_FALSE(fate.downstream.drop);
  EXPECT_TRUE(tcp("timeout", down).downstream.drop);
  EXPECT_EQ(tcp("timeout", down).downstream.drop_close_after, 0ms);
  EXPECT_FALSE(tcp("timeout", down).upstream.drop);
}

TEST(Toxics, ResetPeerResets) {
  const HttpFate downstream = http("reset_peer", down, {{"timeout", 20}});
  EXPECT_EQ(downstream.cut, HttpFate::Cut::reset);
  EXPECT_EQ(downstream.cut_after, 20ms);
  EXPECT_TRUE(downstream.cut_after_backend);
  EXPECT_TRUE(downstream.ends());
  const HttpFate upstream = http("reset_peer", up);
  EXPECT_EQ(upstream.cut, HttpFate::Cut::reset);
  EXPECT_EQ(upstream.cut_after, 0ms);
  EXPECT_FALSE(upstream.cut_after_backend);

  const TcpFate fate = tcp("reset_peer", down, {{"timeout", 75}});
  EXPECT_TRUE(fate.downstream.reset);
  EXPECT_EQ(fate.downstream.reset_after, 75ms);
  EXPECT_FALSE(fate.upstream.reset);
  EXPECT_TRUE(tcp("reset_peer", up).upstream.reset);
  EXPECT_FALSE(tcp("reset_peer", up).downstream.reset);
}

TEST(Toxics, SlicerSplitsTheBodyOrTheStream) {
  const json attributes = {{"average_size", 100}, {"size_variation", 30}, {"delay", 2500}};
  const HttpFate response = http("slicer", down, attributes);
  EXPECT_EQ(response.response.slice_bytes, 100u);
  EXPECT_EQ(response.response.slice_variation, 30u);
  EXPECT_EQ(response.response.slice_gap, 2500us);  // microseconds, as Toxiproxy's
  EXPECT_EQ(response.request.slice_bytes, 0u);
  EXPECT_EQ(http("slicer", up, attributes).request.slice_bytes, 100u);
  EXPECT_EQ(http("slicer", up, attributes).response.slice_bytes, 0u);

  const TcpFate stream = tcp("slicer", up, attributes);
  EXPECT_EQ(stream.upstream.pacing.slice_bytes, 100u);
  EXPECT_EQ(stream.upstream.pacing.slice_variation, 30u);
  EXPECT_EQ(stream.upstream.pacing.slice_gap, 2500us);
  EXPECT_EQ(stream.downstream.pacing.slice_bytes, 0u);
  EXPECT_EQ(tcp("slicer", down).downstream.pacing.slice_bytes, 1024u);  // Toxiproxy's defaults
  EXPECT_EQ(tcp("slicer", down).downstream.pacing.slice_gap, 0us);
}

TEST(Toxics, LimitDataCutsItsDirection) {
  EXPECT_EQ(http("limit_data", down, {{"bytes", 4096}}).response.limit, 4096u);
  EXPECT_EQ(http("limit_data", down, {{"bytes", 4096}}).request.limit, kUnlimited);
  EXPECT_EQ(http("limit_data", up, {{"bytes", 10}}).request.limit, 10u);
  EXPECT_EQ(http("limit_data", up, {{"bytes", 10}}).response.limit, kUnlimited);
  EXPECT_EQ(http("limit_data", down).response.limit, 0u);  // Toxiproxy's default: nothing passes
  EXPECT_EQ(tcp("limit_data", down, {{"bytes", 9}}).downstream.pacing.limit, 9u);
  EXPECT_EQ(tcp("limit_data", down, {{"bytes", 9}}).upstream.pacing.limit, kUnlimited);
  EXPECT_EQ(tcp("limit_data", up, {{"bytes", 9}}).upstream.pacing.limit, 9u);
  // The tightest limit wins, in either order.
  EXPECT_EQ(http("limit_data", down, {{"bytes", 100}}, 0, http("limit_data", down, {{"bytes", 50}})).response.limit, 50u);
  EXPECT_EQ(http("limit_data", down, {{"bytes", 50}}, 0, http("limit_data", down, {{"bytes", 100}})).response.limit, 50u);
}

TEST(Toxics, NoopChangesNothing) {
  for (const Stream s : {up, down}) {
    EXPECT_EQ(text(http("noop", s)), text(untouched_http));
    EXPECT_EQ(text(tcp("noop", s)), text(untouched_tcp));
    // Nor on a fate other faults already wrote.
    const HttpFate before = http("latency", down, {{"latency", 5}}, 0, http("http_error", down));
    EXPECT_EQ(text(http("noop", s, json::object(), 7, before)), text(before));
  }
}

TEST(Toxics, HttpErrorAnswersOneOfItsCodes) {
  const HttpFate fate = http("http_error", down, {{"codes", {500, 503}}, {"body", "busy"}}, 1);
  EXPECT_EQ(fate.status, 503);  // random 1 picks the second of two
  EXPECT_EQ(fate.body, "busy");
  EXPECT_EQ(fate.cut, HttpFate::Cut::none);
  std::set<int> seen;
  for (std::uint64_t r = 0; r < 20; ++r) seen.insert(http("http_error", up, {{"codes", {500, 503, 429}}}, r).status);
  EXPECT_EQ(seen, (std::set<int>{429, 500, 503}));
  EXPECT_EQ(http("http_error", down).status, 503);  // the default
  EXPECT_EQ(http("http_error", down).body, "");     // a small HTML page
}

TEST(Toxics, HttpErrorKeepsTheFirstAnswer) {
  HttpFate vaurien;
  vaurien.behavior = "error";
  vaurien.status = 502;
  const HttpFate fate = http("http_error", down, {{"codes", {418}}, {"body", "teapot"}}, 0, vaurien);
  EXPECT_EQ(fate.status, 502);
  EXPECT_EQ(fate.body, "");
  EXPECT_EQ(http("http_error", down, {{"codes", {418}}}, 0, http("http_error", down, {{"codes", {429}}})).status, 429);
}

TEST(Toxics, HttpHeaderEditsTheRequestUpstreamTheResponseDownstream) {
  const json attributes = {{"set", {{"X-Chaos", "1"}, {"Cache-Control", "no-store"}}}, {"remove", {"Server", "ETag"}}};
  const HttpFate response = http("http_header", down, attributes);
  EXPECT_TRUE(response.request_headers.empty());
  EXPECT_EQ(response.response_headers.remove, (std::vector<std::string>{"Server", "ETag"}));
  EXPECT_EQ(response.response_headers.set.size(), 2u);
  EXPECT_NE(std::find(response.response_headers.set.begin(), response.response_headers.set.end(),
                      std::pair<std::string, std::string>("X-Chaos", "1")),
            response.response_headers.set.end());
  const HttpFate request = http("http_header", up, {{"set", {{"Authorization", "Bearer x"}}}});
  EXPECT_TRUE(request.response_headers.empty());
  EXPECT_EQ(request.request_headers.set,
            (std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer x"}}));
  EXPECT_TRUE(request.request_headers.remove.empty());
  // Two toxics' edits both apply.
  const HttpFate both = http("http_header", down, {{"remove", {"Date"}}}, 0, response);
  EXPECT_EQ(both.response_headers.remove, (std::vector<std::string>{"Server", "ETag", "Date"}));
  EXPECT_TRUE(http("http_header", down).response_headers.empty());
}

TEST(Toxics, HttpOnlyTypesAreRefusedForTcpListeners) {
  for (const char* type : {"http_error", "http_header"}) {
    EXPECT_TRUE(toxic_type(type).works_with(Protocol::http));
    EXPECT_FALSE(toxic_type(type).works_with(Protocol::tcp));
    const std::string expected = std::string("toxic type '") + type +
                                 "' does not work with protocol tcp (known: latency, bandwidth, slow_close, timeout, "
                                 "reset_peer, slicer, limit_data, noop)";
    EXPECT_EQ(error_of([&] { toxic_from_json({{"type", type}}, Protocol::tcp); }), expected);
    EXPECT_EQ(error_of([&] { toxic_from_command_line(type, Protocol::tcp); }),
              std::string("--toxic '") + type + "': " + expected);
    EXPECT_EQ(error_of([&] { toxic_from_json({{"type", type}}, Protocol::http); }), "");
  }
  // Every other type works with both.
  for (const Fault* t : toxic_types())
    if (t->name().substr(0, 5) != "http_") {
      EXPECT_TRUE(t->works_with(Protocol::tcp)) << t->name();
      EXPECT_TRUE(t->works_with(Protocol::http)) << t->name();
    }
}
