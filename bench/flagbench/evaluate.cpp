#include "evaluate.hpp"

#include <algorithm>

#include "recovery.hpp"
#include "stats.hpp"

namespace platespin::bench {

namespace {

template <typename Field>
Spread spread(const std::vector<Repetition>& reps, Field field) {
  std::vector<double> values;
  for (const auto& r : reps)
    if (r.client) values.push_back(field(r));
  if (values.empty()) return {};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {median(values), *lo, *hi};
}

double as_double(std::size_t n) { return static_cast<double>(n); }

}  // namespace

Aggregate aggregate(const std::vector<Repetition>& reps) {
  Aggregate a;
  for (const auto& r : reps) a.repetitions += r.client ? 1 : 0;
  a.items_per_s = spread(reps, [](const Repetition& r) { return r.client->items_per_s; });
  a.elapsed_s = spread(reps, [](const Repetition& r) { return r.client->elapsed_s; });
  a.p50_ms = spread(reps, [](const Repetition& r) { return r.client->latency_ms.p50; });
  a.p99_ms = spread(reps, [](const Repetition& r) { return r.client->latency_ms.p99; });
  a.cpu_s = spread(reps, [](const Repetition& r) { return r.cpu_s; });
  a.peak_rss_kb = spread(reps, [](const Repetition& r) { return static_cast<double>(r.peak_rss_kb); });
  a.requested = spread(reps, [](const Repetition& r) { return as_double(r.client->requested); });
  a.ok = spread(reps, [](const Repetition& r) { return as_double(r.client->ok); });
  a.not_found = spread(reps, [](const Repetition& r) { return as_double(r.client->not_found); });
  a.errors = spread(reps, [](const Repetition& r) { return as_double(r.client->error); });
  return a;
}

double latency_bound(int concurrency, double items, double delay_s) {
  if (delay_s <= 0 || items <= 0) return 0;
  return std::min(static_cast<double>(concurrency), items) / delay_s;
}

std::vector<Verdict> check(const Expectations& e, const Cell& cell) {
  const Aggregate& a = cell.aggregate;
  std::vector<Verdict> out;
  const auto failed = static_cast<std::size_t>(
      std::count_if(cell.repetitions.begin(), cell.repetitions.end(), [](const Repetition& r) { return !r.client; }));
  if (failed > 0) out.push_back({"client_failures", 0, static_cast<double>(failed), false});
  if (e.items_per_s_min)
    out.push_back({"items_per_s_min", *e.items_per_s_min, a.items_per_s.median, a.items_per_s.median >= *e.items_per_s_min});
  if (e.items_per_s_max)
    out.push_back({"items_per_s_max", *e.items_per_s_max, a.items_per_s.median, a.items_per_s.median <= *e.items_per_s_max});
  if (e.p99_ms_max) out.push_back({"p99_ms_max", *e.p99_ms_max, a.p99_ms.median, a.p99_ms.median <= *e.p99_ms_max});
  if (e.errors_max) {
    const double limit = as_double(*e.errors_max);
    out.push_back({"errors_max", limit, a.errors.max, a.errors.max <= limit});
  }
  if (e.recovered_within_s) {
    // The worst repetition; one that never recovered is reported as -1 ("never").
    double worst = 0;
    for (const auto& r : cell.repetitions) {
      if (!r.client) continue;
      const auto took = recovery_s(r, cell.schedule_steps);
      worst = !took ? -1 : worst < 0 ? worst : std::max(worst, *took);
    }
    out.push_back({"recovered_within_s", *e.recovered_within_s, worst, worst >= 0 && worst <= *e.recovered_within_s});
  }
  const auto exact = [&](const char* name, const std::optional<std::size_t>& want, const Spread& got) {
    if (!want) return;
    const double w = as_double(*want);
    // Report the repetition that differs, if one does.
    const double observed = got.min != w ? got.min : got.max;
    out.push_back({name, w, observed, got.min == w && got.max == w});
  };
  exact("errors", e.errors, a.errors);
  exact("ok", e.ok, a.ok);
  exact("not_found", e.not_found, a.not_found);
  return out;
}

void evaluate(Cell& cell, const Expectations& expect) {
  cell.aggregate = aggregate(cell.repetitions);
  cell.bound_items_per_s = latency_bound(cell.concurrency, cell.aggregate.requested.median, cell.delay_s);
  cell.verdicts = check(expect, cell);
  cell.pass = std::all_of(cell.verdicts.begin(), cell.verdicts.end(), [](const Verdict& v) { return v.pass; });
}

}  // namespace platespin::bench
