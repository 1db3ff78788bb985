// The seeded decision's occurrence counts stay bounded and give memory back on reset.
#include "occurrence_counts.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

using platespin::proxy::OccurrenceCounts;

TEST(OccurrenceCounts, CountsEachRequestApart) {
  OccurrenceCounts counts;
  EXPECT_EQ(counts.next("GET", "/a"), 0U);
  EXPECT_EQ(counts.next("GET", "/b"), 0U);
  EXPECT_EQ(counts.next("GET", "/a"), 1U);
  EXPECT_EQ(counts.next("HEAD", "/a"), 0U);
  EXPECT_EQ(counts.next("GET", "/a"), 2U);
}

TEST(OccurrenceCounts, MemoryIsBoundedWhateverTheNumberOfDistinctTargets) {
  OccurrenceCounts counts;
  counts.next("GET", "/first");
  for (int i = 0; i < 200000; ++i) counts.next("GET", fmt::format("/flags/{}/{:x>100}", i, ""));
  EXPECT_LE(counts.memory_bytes(), 2U << 20);
  EXPECT_EQ(counts.distinct(), OccurrenceCounts::kExact);
  EXPECT_EQ(counts.next("GET", "/first"), 1U);  // the first ones keep their own counters
}

TEST(OccurrenceCounts, TheSameSequenceGivesTheSameCountsAfterClear) {
  OccurrenceCounts counts;
  std::vector<std::uint64_t> first, second;
  for (int round = 0; round < 2; ++round) {
    auto& seen = round == 0 ? first : second;
    for (int i = 0; i < 100000; ++i) seen.push_back(counts.next("GET", fmt::format("/{}", i % 70000)));
    counts.clear();
    EXPECT_EQ(counts.memory_bytes(), 0U);
  }
  EXPECT_EQ(first, second);
}
