// Seeded rolls of stacked toxics (proxy/decision.cpp, proxy/listener_state.cpp):
// the fate is a pure function of (listener, roll), and a seeded listener gives
// the same fates and counts to the same requests at concurrency 1 and 200.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "decision.hpp"
#include "fault_test_support.hpp"
#include "listener_state.hpp"

using namespace platespin::proxy;
using namespace platespin::proxy::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

ListenerConfig listener(std::vector<json> toxics, Protocol protocol = Protocol::http, const std::string& mix = "") {
  ListenerConfig l;
  l.name = "STACK";
  l.protocol = protocol;
  l.behaviors = parse_behavior_mix(mix, protocol);
  for (const json& t : toxics) l.toxics.push_back(toxic_from_json(t, protocol));
  return l;
}

// A mix of everything: a Vaurien share, toxics at several toxicities, one that closes.
ListenerConfig busy_listener() {
  return listener({{{"type", "latency"}, {"toxicity", 0.5}, {"attributes", {{"latency", 100}, {"jitter", 50}}}},
                   {{"type", "http_error"}, {"toxicity", 0.2}, {"attributes", {{"codes", {500, 502, 503}}}}},
                   {{"type", "bandwidth"}, {"stream", "upstream"}, {"toxicity", 0.7}, {"attributes", {{"rate", 5}}}},
                   {{"type", "timeout"}, {"toxicity", 0.1}},
                   {{"type", "slicer"}, {"toxicity", 0.4}}},
                  Protocol::http, "20:delay,10:error");
}

std::string target(int i) { return "/flags/" + std::to_string(i) + ".gif"; }

struct Asked {
  std::map<std::string, std::multiset<std::string>> fates;  // per target
  ToxicCounts counts;
};

// `requests` (targets, repeats allowed) asked of a fresh seeded listener from `threads` threads, in shuffled order.
Asked ask(const ListenerConfig& config, const std::vector<std::string>& requests, int threads, unsigned shuffle) {
  ListenerState state(config, 2015);
  std::vector<std::string> order = requests;
  if (shuffle) std::shuffle(order.begin(), order.end(), std::mt19937(shuffle));
  Asked run;
  std::mutex mutex;
  std::atomic<std::size_t> next = 0;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next++) < order.size();) {
        const std::string fate = text(state.next_http_fate("GET", order[i]));
        const std::lock_guard lock(mutex);
        run.fates[order[i]].insert(fate);
      }
    });
  for (auto& t : pool) t.join();
  run.counts = state.toxic_counts();
  return run;
}

std::uint64_t count_of(const ToxicCounts& counts, const std::string& name) {
  for (const auto& [key, n] : counts)
    if (std::get<0>(key) == name) return n;
  return 0;
}

}  // namespace

TEST(StackedToxics, TheFateIsAPureFunctionOfListenerAndRoll) {
  const ListenerConfig l = busy_listener();
  std::set<std::string> distinct;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const std::uint64_t roll = seeded_roll(1, "STACK", "GET", target(static_cast<int>(i)), 0);
    std::vector<std::size_t> hit1, hit2;
    const std::string first = text(decide_http_fate(l, roll, &hit1));
    EXPECT_EQ(text(decide_http_fate(l, roll, &hit2)), first);
    EXPECT_EQ(hit1, hit2);
    EXPECT_EQ(text(decide_http_fate(busy_listener(), roll)), first);  // a copy of the listener: the same
    distinct.insert(first);
    EXPECT_EQ(text(decide_tcp_fate(listener({{{"type", "latency"}, {"toxicity", 0.5}}}, Protocol::tcp), roll)),
              text(decide_tcp_fate(listener({{{"type", "latency"}, {"toxicity", 0.5}}}, Protocol::tcp), roll)));
  }
  EXPECT_GT(distinct.size(), 500u);  // and not the same fate for every roll
}

TEST(StackedToxics, SameFatesAndCountsFromOneThreadAndFromTwoHundred) {
  std::vector<std::string> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(target(i));
  const ListenerConfig l = busy_listener();
  const Asked alone = ask(l, requests, 1, 0);
  const Asked crowd = ask(l, requests, 200, 7);
  EXPECT_EQ(alone.fates, crowd.fates);
  EXPECT_EQ(alone.counts, crowd.counts);
  EXPECT_EQ(alone.counts.size(), 5u);  // each toxic hit some
  // Another seed gives other fates.
  ListenerState other(l, 2016);
  int differ = 0;
  for (const auto& r : requests) differ += *alone.fates.at(r).begin() != text(other.next_http_fate("GET", r));
  EXPECT_GT(differ, 300);
}

// With repeats, each URL's n-th occurrence gets the n-th fate whatever the order: per URL the multisets agree.
TEST(StackedToxics, RepeatedTargetsGetTheSameFatesPerTargetInAnyOrder) {
  std::vector<std::string> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(target(i % 100));
  const ListenerConfig l = busy_listener();
  const Asked alone = ask(l, requests, 1, 0);
  const Asked crowd = ask(l, requests, 200, 11);
  const Asked again = ask(l, requests, 200, 12);
  EXPECT_EQ(alone.fates, crowd.fates);
  EXPECT_EQ(alone.fates, again.fates);
  EXPECT_EQ(alone.counts, crowd.counts);
}

TEST(StackedToxics, ResetRestartsTheSeededSequence) {
  ListenerState state(busy_listener(), 3);
  std::vector<std::string> first;
  for (int i = 0; i < 50; ++i) first.push_back(text(state.next_http_fate("GET", "/same")));
  const ToxicCounts counts = state.toxic_counts();
  state.reset();
  EXPECT_TRUE(state.toxic_counts().empty());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(text(state.next_http_fate("GET", "/same")), first[i]) << i;
  EXPECT_EQ(state.toxic_counts(), counts);
  // TCP: per connection, the same after a reset too.
  ListenerState tcp(listener({{{"type", "latency"}, {"toxicity", 0.3}, {"attributes", {{"jitter", 5}}}}}, Protocol::tcp), 3);
  std::vector<std::string> connections;
  for (int i = 0; i < 50; ++i) connections.push_back(text(tcp.next_tcp_fate()));
  tcp.reset();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(text(tcp.next_tcp_fate()), connections[i]) << i;
}

TEST(StackedToxics, ToxicityIsTheShareOfRequestsHit) {
  ListenerState state(listener({{{"type", "latency"}, {"toxicity", 0.3}, {"attributes", {{"latency", 10}}}},
                                {{"type", "noop"}, {"toxicity", 0.0}},
                                {{"type", "slow_close"}, {"toxicity", 1.0}, {"attributes", {{"delay", 1}}}}}),
                      42);
  int delayed = 0;
  for (int i = 0; i < 1000; ++i) {
    const HttpFate fate = state.next_http_fate("GET", target(i));
    EXPECT_TRUE(fate.wait_after == 0ms || fate.wait_after == 10ms);
    delayed += fate.wait_after == 10ms;
    EXPECT_EQ(fate.close_delay, 1ms);  // toxicity 1: always
  }
  EXPECT_NEAR(delayed, 300, 45);
  const ToxicCounts counts = state.toxic_counts();
  EXPECT_EQ(count_of(counts, "latency_downstream"), static_cast<std::uint64_t>(delayed));
  EXPECT_EQ(count_of(counts, "noop_downstream"), 0u);  // toxicity 0: never
  EXPECT_EQ(count_of(counts, "slow_close_downstream"), 1000u);
  EXPECT_EQ(counts.count({"slow_close_downstream", "slow_close", "downstream"}), 1u);
}

// Each toxic rolls its own die (its name is in the roll): two at 0.5 do not hit the same requests.
TEST(StackedToxics, EachToxicRollsOnItsOwn) {
  const ListenerConfig l = listener({{{"type", "latency"}, {"name", "a"}, {"toxicity", 0.5}, {"attributes", {{"latency", 1}}}},
                                     {{"type", "latency"}, {"name", "b"}, {"toxicity", 0.5}, {"attributes", {{"latency", 2}}}}});
  std::map<Micros, int> waits;
  for (int i = 0; i < 2000; ++i) ++waits[decide_http_fate(l, seeded_roll(5, "S", "GET", target(i), 0)).wait_after];
  for (const Micros w : {0ms, 1ms, 2ms, 3ms}) EXPECT_NEAR(waits[w], 500, 90) << w.count();
}

TEST(StackedToxics, AClosingToxicStopsTheOnesAfterIt) {
  ListenerState state(listener({{{"type", "latency"}, {"attributes", {{"latency", 100}}}},
                                {{"type", "timeout"}, {"attributes", {{"timeout", 500}}}},
                                {{"type", "latency"}, {"name", "late"}, {"attributes", {{"latency", 7}}}},
                                {{"type", "http_error"}}}),
                      1);
  for (int i = 0; i < 20; ++i) {
    const HttpFate fate = state.next_http_fate("GET", target(i));
    EXPECT_EQ(fate.cut, HttpFate::Cut::hang);
    EXPECT_EQ(fate.wait_after, 100ms);
    EXPECT_EQ(fate.status, 0);
  }
  const ToxicCounts counts = state.toxic_counts();
  EXPECT_EQ(count_of(counts, "latency_downstream"), 20u);
  EXPECT_EQ(count_of(counts, "timeout_downstream"), 20u);
  EXPECT_EQ(count_of(counts, "late"), 0u);
  EXPECT_EQ(count_of(counts, "http_error_downstream"), 0u);
  EXPECT_EQ(counts.size(), 2u);
  std::vector<std::size_t> hit;
  decide_http_fate(state.config(), 99, &hit);
  EXPECT_EQ(hit, (std::vector<std::size_t>{0, 1}));
}

// A behavior of the mix that ends the exchange leaves no room for toxics.
TEST(StackedToxics, AClosingBehaviorStopsEveryToxic) {
  const ListenerConfig l = listener({{{"type", "latency"}, {"attributes", {{"latency", 5}}}}}, Protocol::http, "100:abort");
  std::vector<std::size_t> hit;
  const HttpFate fate = decide_http_fate(l, 1234, &hit);
  EXPECT_EQ(fate.behavior, "abort");
  EXPECT_EQ(fate.wait_after, 0ms);
  EXPECT_TRUE(hit.empty());
}

TEST(StackedToxics, EffectsCompose) {
  std::vector<std::size_t> hit;
  const HttpFate fate = decide_http_fate(
      listener({{{"type", "latency"}, {"attributes", {{"latency", 100}}}},
                {{"type", "latency"}, {"name", "more"}, {"attributes", {{"latency", 50}}}},
                {{"type", "latency"}, {"stream", "upstream"}, {"attributes", {{"latency", 30}}}},
                {{"type", "bandwidth"}, {"attributes", {{"rate", 20}}}},
                {{"type", "limit_data"}, {"attributes", {{"bytes", 1000}}}}},
               Protocol::http, "100:delay"),
      0, &hit);
  EXPECT_EQ(fate.behavior, "delay");
  EXPECT_EQ(fate.wait_before, 1s + 30ms);  // the behavior's default 1 s, then the upstream toxic
  EXPECT_EQ(fate.wait_after, 150ms);       // two latency toxics add
  EXPECT_EQ(fate.response.rate_bps, 20'000u);
  EXPECT_EQ(fate.response.limit, 1000u);
  EXPECT_EQ(hit.size(), 5u);

  const TcpFate tcp = decide_tcp_fate(listener({{{"type", "latency"}, {"attributes", {{"latency", 100}}}},
                                                {{"type", "latency"}, {"name", "more"}, {"attributes", {{"latency", 50}}}},
                                                {{"type", "bandwidth"}, {"attributes", {{"rate", 1}}}}},
                                               Protocol::tcp),
                                      0);
  EXPECT_EQ(tcp.downstream.latency, 150ms);
  EXPECT_EQ(tcp.upstream.latency, 0ms);
  EXPECT_EQ(tcp.downstream.pacing.rate_bps, 1000u);
}

TEST(StackedToxics, NoBehaviorsAndNoToxicsIsAPlainPassThrough) {
  ListenerState state(listener({}), 1);
  EXPECT_EQ(text(state.next_http_fate("GET", "/")), text(HttpFate{}));
  // A connection always rolls (toxics may come while it lives), so only its random bits differ.
  const TcpFate tcp = state.next_tcp_fate();
  TcpFate plain;
  plain.random = tcp.random;
  EXPECT_EQ(text(tcp), text(plain));
  EXPECT_TRUE(state.toxic_counts().empty());
}
