#include "decision.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace platespin::proxy;

TEST(Decision, RollIsAPureFunctionOfItsInputs) {
  EXPECT_EQ(seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", 0), seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", 0));
  EXPECT_NE(seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", 0), seeded_roll(43, "ERROR", "GET", "/flags/br/br.gif", 0));
  EXPECT_NE(seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", 0), seeded_roll(42, "ERROR", "GET", "/flags/br/br.gif", 1));
  EXPECT_NE(seeded_roll(42, "ERROR", "GET", "/a", 0), seeded_roll(42, "DELAY", "GET", "/a", 0));
  EXPECT_NE(seeded_roll(42, "AB", "GET", "/", 0), seeded_roll(42, "A", "BGET", "/", 0));
}

TEST(Decision, ShareOfEachBehaviorFollowsTheWeights) {
  ListenerConfig l;
  l.behaviors = parse_behavior_mix("25:error,50:delay", Protocol::http);
  l.params = behavior_values({{"delay", 0.5}});
  std::map<std::string, int> count;
  std::map<int, int> codes;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const HttpFate fate = decide_http_fate(l, seeded_roll(1, "ERROR", "GET", "/x" + std::to_string(i), 0));
    ++count[std::string(fate.behavior)];
    if (fate.status) ++codes[fate.status];
    if (fate.behavior == "delay") {
      EXPECT_EQ(fate.wait_before.count(), 500000);
    }
  }
  EXPECT_NEAR(count["error"], n / 4, n / 50);
  EXPECT_NEAR(count["delay"], n / 2, n / 50);
  EXPECT_NEAR(count["dummy"], n / 4, n / 50);
  EXPECT_EQ(codes.size(), 4u);  // every configured code shows up
}

TEST(Decision, JitterStaysInRangeAndVaries) {
  ListenerConfig l;
  l.behaviors = parse_behavior_mix("100:delay", Protocol::http);
  l.params = behavior_values({{"delay", 0.5}, {"jitter", 0.1}, {"delay_before", false}});
  long low = 1'000'000, high = 0;
  for (int i = 0; i < 1000; ++i) {
    const HttpFate fate = decide_http_fate(l, seeded_roll(9, "D", "GET", "/", static_cast<std::uint64_t>(i)));
    EXPECT_EQ(fate.wait_before.count(), 0);
    low = std::min(low, static_cast<long>(fate.wait_after.count()));
    high = std::max(high, static_cast<long>(fate.wait_after.count()));
  }
  EXPECT_GE(low, 400000);
  EXPECT_LE(high, 600000);
  EXPECT_LT(low, 420000);
  EXPECT_GT(high, 580000);
}

TEST(Decision, EmptyMixPassesEverythingThrough) {
  const HttpFate fate = decide_http_fate(ListenerConfig{}, 12345);
  EXPECT_EQ(fate.behavior, "dummy");
  EXPECT_EQ(fate.cut, HttpFate::Cut::none);
  EXPECT_EQ(fate.status, 0);
}
