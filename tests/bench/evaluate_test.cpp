#include "evaluate.hpp"

#include <gtest/gtest.h>

using namespace platespin;
using namespace platespin::bench;

namespace {

Repetition rep(double items_per_s, std::size_t ok, std::size_t not_found, std::size_t error, double p99) {
  Repetition r;
  ClientResult c;
  c.items_per_s = items_per_s;
  c.ok = ok;
  c.not_found = not_found;
  c.error = error;
  c.requested = ok + not_found + error;
  c.latency_ms.p99 = p99;
  r.client = c;
  r.cpu_s = 0.5;
  r.peak_rss_kb = 1000;
  return r;
}

}  // namespace

TEST(LatencyBound, IsConcurrencyOrItemsOverDelay) {
  EXPECT_DOUBLE_EQ(latency_bound(1, 40, 0.5), 2.0);       // the book's sequential run
  EXPECT_DOUBLE_EQ(latency_bound(1000, 676, 0.5), 1352);  // more in flight than items
  EXPECT_DOUBLE_EQ(latency_bound(100, 676, 0.25), 400);
  EXPECT_EQ(latency_bound(10, 676, 0), 0);  // nothing delays: no bound
}

TEST(Evaluate, MediansRangesAndBound) {
  Cell cell;
  cell.concurrency = 1;
  cell.delay_s = 0.5;
  cell.repetitions = {rep(1.9, 10, 30, 0, 510), rep(1.7, 10, 30, 0, 530), rep(1.95, 10, 30, 0, 505)};
  Expectations e;
  e.items_per_s_min = 1.8;
  e.ok = 10;
  evaluate(cell, e);
  EXPECT_DOUBLE_EQ(cell.aggregate.items_per_s.median, 1.9);
  EXPECT_DOUBLE_EQ(cell.aggregate.items_per_s.min, 1.7);
  EXPECT_DOUBLE_EQ(cell.aggregate.items_per_s.max, 1.95);
  EXPECT_DOUBLE_EQ(cell.bound_items_per_s, 2.0);
  EXPECT_NEAR(cell.efficiency(), 0.95, 1e-9);
  EXPECT_TRUE(cell.pass);
  ASSERT_EQ(cell.verdicts.size(), 2u);
}

TEST(Evaluate, ExactCountMustHoldInEveryRepetition) {
  Cell cell;
  cell.repetitions = {rep(100, 10, 5, 1, 1), rep(100, 10, 5, 2, 1), rep(100, 10, 5, 1, 1)};
  Expectations e;
  e.errors = 1;  // the median is 1, but one repetition had 2
  evaluate(cell, e);
  EXPECT_FALSE(cell.pass);
  ASSERT_EQ(cell.verdicts.size(), 1u);
  EXPECT_EQ(cell.verdicts[0].observed, 2);
}

TEST(Evaluate, FailedClientFailsTheCell) {
  Cell cell;
  Repetition failed;
  failed.failure = "flags_async exited with 1";
  cell.repetitions = {rep(100, 10, 5, 0, 1), failed};
  evaluate(cell, {});
  EXPECT_FALSE(cell.pass);
  EXPECT_EQ(cell.aggregate.repetitions, 1u);
  ASSERT_EQ(cell.verdicts.size(), 1u);
  EXPECT_EQ(cell.verdicts[0].expectation, "client_failures");
}

TEST(Evaluate, RateAboveMaximumAndP99Fail) {
  Cell cell;
  cell.repetitions = {rep(2.5, 1, 0, 0, 900)};
  Expectations e;
  e.items_per_s_max = 2.05;
  e.p99_ms_max = 800;
  e.errors_max = 0;
  evaluate(cell, e);
  EXPECT_FALSE(cell.pass);
  ASSERT_EQ(cell.verdicts.size(), 3u);
  EXPECT_FALSE(cell.verdicts[0].pass);
  EXPECT_FALSE(cell.verdicts[1].pass);
  EXPECT_TRUE(cell.verdicts[2].pass);
}
