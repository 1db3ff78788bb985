#include "evaluate.hpp"

#include <functional>

#include "recovery.hpp"

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

namespace {

// A run whose items start every 10 ms; `failing` says which of them ended in an error.
Repetition scheduled_run(std::size_t items, const std::function<bool(std::size_t)>& failing, double last_step_ms) {
  Repetition r;
  ClientResult c;
  for (std::size_t i = 0; i < items; ++i) {
    ItemResult it;
    it.cc = "AA";
    it.start_ms = 10.0 * static_cast<double>(i);
    it.latency_ms = 5;
    it.outcome = failing(i) ? Outcome::error : Outcome::ok;
    c.items.push_back(it);
  }
  c.tally();
  r.client = c;
  r.schedule = {{500, "ERROR", {{"behavior", "100:error"}}, 502}, {last_step_ms - 2, "ERROR", {{"behavior", ""}}, last_step_ms}};
  return r;
}

Cell scheduled_cell(std::vector<Repetition> reps, double within_s) {
  Cell cell;
  cell.schedule_steps = 2;
  cell.repetitions = std::move(reps);
  Expectations e;
  e.recovered_within_s = within_s;
  evaluate(cell, e);
  return cell;
}

}  // namespace

// After the last step (at 1000 ms), items fail until 1300 ms: the client
// recovered at the first item after the last failure, 1310 ms: 0.31 s.
TEST(Evaluate, RecoveredWithinIsFromTheLastStepToTheFirstRequestAfterTheLastFailure) {
  const auto failing_until = [](std::size_t last) { return [last](std::size_t i) { return i >= 50 && i <= last; }; };
  const Repetition rep = scheduled_run(200, failing_until(130), 1000);
  ASSERT_TRUE(recovery_s(rep, 2).has_value());
  EXPECT_NEAR(*recovery_s(rep, 2), 0.31, 1e-9);
  const Cell pass = scheduled_cell({rep}, 0.5);
  EXPECT_TRUE(pass.pass);
  ASSERT_EQ(pass.verdicts.size(), 1u);
  EXPECT_EQ(pass.verdicts[0].expectation, "recovered_within_s");

  // The worst repetition counts: one that took 0.61 s fails a 0.5 s bound.
  const Cell slow = scheduled_cell({rep, scheduled_run(200, failing_until(160), 1000)}, 0.5);
  EXPECT_FALSE(slow.pass);
  EXPECT_NEAR(slow.verdicts[0].observed, 0.61, 1e-9);

  // An error after a success resets the clock: one failure at 1800 ms.
  const Repetition relapse = scheduled_run(200, [](std::size_t i) { return i == 180; }, 1000);
  EXPECT_NEAR(*recovery_s(relapse, 2), 0.81, 1e-9);
  // Failing to the end, or a last step that never took effect, is never recovering: -1.
  const Repetition never = scheduled_run(200, [](std::size_t i) { return i >= 50; }, 1000);
  EXPECT_FALSE(recovery_s(never, 2).has_value());
  EXPECT_FALSE(recovery_s(rep, 3).has_value());
  const Cell failed = scheduled_cell({rep, never}, 10);
  EXPECT_FALSE(failed.pass);
  EXPECT_EQ(failed.verdicts[0].observed, -1);
}
