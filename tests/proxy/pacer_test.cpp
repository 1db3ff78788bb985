// The one pacing piece (proxy/faults/pacer.cpp): write sizes and due times for
// a throttle, a slicer and a limit, on a clock the test moves itself.
#include "pacer.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace platespin::proxy;
using namespace std::chrono_literals;
using Clock = Pacer::Clock;

namespace {

const Clock::time_point t0 = Clock::time_point() + 1000s;

Pacing rate(std::uint64_t bps) {
  Pacing p;
  p.throttle(bps);
  return p;
}

Pacing sliced(std::uint64_t bytes, std::uint64_t variation, Micros gap) {
  Pacing p;
  p.slice(bytes, variation, gap);
  return p;
}

// Writes `total` bytes as the pacer says, waiting as it says; returns when the last write's successor may start.
Clock::time_point relay(Pacer& pacer, std::size_t total, std::vector<std::size_t>* sizes = nullptr) {
  Clock::time_point now = t0;
  while (total > 0 && !pacer.cut()) {
    const std::size_t n = pacer.next_size(total);
    if (n == 0) break;
    if (sizes) sizes->push_back(n);
    total -= n;
    now = pacer.wrote(n, now);
  }
  return now;
}

}  // namespace

TEST(Pacer, IdleWhenNothingIsSet) {
  Pacer pacer(Pacing{}, 0, t0);
  EXPECT_TRUE(pacer.idle());
  EXPECT_EQ(pacer.next_size(1 << 20), 1u << 20);
  EXPECT_EQ(pacer.wrote(1 << 20, t0 + 1s), t0 + 1s);
  EXPECT_FALSE(pacer.cut());
  EXPECT_EQ(pacer.passed(), 1u << 20);
  EXPECT_FALSE(Pacer(rate(1), 0, t0).idle());
  EXPECT_FALSE(Pacer(sliced(1, 0, 0us), 0, t0).idle());
  Pacing limited;
  limited.cap(5);
  EXPECT_FALSE(Pacer(limited, 0, t0).idle());
}

TEST(Pacer, ARateGivesStepsAndDueTimes) {
  Pacer pacer(rate(10'000), 0, t0);
  EXPECT_EQ(pacer.next_size(1 << 20), 500u);  // a twentieth of a second's worth
  EXPECT_EQ(pacer.wrote(500, t0), t0 + 50ms);
  EXPECT_EQ(pacer.wrote(500, t0 + 50ms), t0 + 100ms);
  // Late writes are not made up for by sending faster, nor earlier than now.
  EXPECT_EQ(pacer.wrote(500, t0 + 2s), t0 + 2s);

  Pacer whole(rate(10'000), 0, t0);
  std::vector<std::size_t> sizes;
  EXPECT_EQ(relay(whole, 200'000, &sizes), t0 + 20s);  // 200 KB at 10,000 B/s
  EXPECT_EQ(sizes.size(), 400u);
  EXPECT_EQ(whole.passed(), 200'000u);
}

TEST(Pacer, StepsStayBetweenOneByteAndSixtyFourKiB) {
  EXPECT_EQ(Pacer(rate(1), 0, t0).next_size(100), 1u);
  EXPECT_EQ(Pacer(rate(19), 0, t0).next_size(100), 1u);
  EXPECT_EQ(Pacer(rate(1'000'000'000), 0, t0).next_size(1 << 24), 64u * 1024);
  EXPECT_EQ(Pacer(rate(1'000'000), 0, t0).next_size(10), 10u);  // never more than there is
  Pacer slow(rate(1), 0, t0);
  EXPECT_EQ(slow.wrote(1, t0), t0 + 1s);
  EXPECT_EQ(slow.wrote(1, t0), t0 + 2s);
}

TEST(Pacer, ALimitCutsExactly) {
  Pacing p;
  p.cap(1000);
  Pacer pacer(p, 0, t0);
  std::vector<std::size_t> sizes;
  Clock::time_point now = t0;
  for (int i = 0; i < 10; ++i) {
    const std::size_t n = pacer.next_size(300);
    sizes.push_back(n);
    now = pacer.wrote(n, now);
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{300, 300, 300, 100, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(pacer.cut());
  EXPECT_EQ(pacer.passed(), 1000u);
  EXPECT_EQ(now, t0);  // a limit alone never waits

  Pacing nothing;
  nothing.cap(0);
  EXPECT_TRUE(Pacer(nothing, 0, t0).cut());
  EXPECT_EQ(Pacer(nothing, 0, t0).next_size(10), 0u);
}

TEST(Pacer, SlicesWithoutVariationAreExactAndPauseBetween) {
  Pacer pacer(sliced(100, 0, 3ms), 0, t0);
  std::vector<std::size_t> sizes;
  const Clock::time_point end = relay(pacer, 1050, &sizes);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50}));
  EXPECT_EQ(end, t0 + 11 * 3ms);
  // The size holds until a write is made.
  Pacer held(sliced(100, 40, 0us), 99, t0);
  const std::size_t first = held.next_size(1000);
  EXPECT_EQ(held.next_size(1000), first);
  EXPECT_EQ(held.next_size(10), 10u);
}

TEST(Pacer, SliceSizesVaryWithinTheVariationAndComeBackFromTheSeed) {
  const auto sizes_for = [](std::uint64_t seed) {
    Pacer pacer(sliced(100, 30, 0us), seed, t0);
    std::vector<std::size_t> sizes;
    relay(pacer, 100'000, &sizes);
    return sizes;
  };
  const std::vector<std::size_t> sizes = sizes_for(7);
  std::map<std::size_t, int> seen;
  double sum = 0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {  // the last one takes what is left
    EXPECT_GE(sizes[i], 70u);
    EXPECT_LE(sizes[i], 130u);
    ++seen[sizes[i]];
    sum += static_cast<double>(sizes[i]);
  }
  EXPECT_EQ(seen.begin()->first, 70u);
  EXPECT_EQ(seen.rbegin()->first, 130u);
  EXPECT_EQ(seen.size(), 61u);  // every size from 70 to 130
  EXPECT_NEAR(sum / static_cast<double>(sizes.size() - 1), 100, 2);
  EXPECT_EQ(sizes_for(7), sizes);
  EXPECT_NE(sizes_for(8), sizes);
}

TEST(Pacer, ThrottleSliceAndLimitTogether) {
  Pacing p;
  p.throttle(1000);
  p.slice(30, 0, 1ms);
  p.cap(100);
  Pacer pacer(p, 0, t0);
  std::vector<std::size_t> sizes;
  const Clock::time_point end = relay(pacer, 1000, &sizes);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{30, 30, 30, 10}));  // slices under the 50-byte step, then the limit
  EXPECT_TRUE(pacer.cut());
  EXPECT_EQ(end, t0 + 100ms);  // the rate's due time is later than the slice gaps
}
