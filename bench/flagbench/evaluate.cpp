#include "evaluate.hpp"

#include <algorithm>
#include <optional>

#include "recovery.hpp"
#include "stats.hpp"

namespace platespin::bench {

namespace {

// What a repetition says it did: the client's own result, or with `result:
// none` (no client result, no failure) the server-side counts over the wall time.
struct Observed {
  double items_per_s = 0, elapsed_s = 0, p50_ms = 0, p99_ms = 0, requested = 0, ok = 0, not_found = 0, errors = 0;
};

double as_double(std::size_t n) { return static_cast<double>(n); }

std::optional<Observed> observed(const Repetition& r) {
  if (r.client) {
    const ClientResult& c = *r.client;
    return Observed{c.items_per_s,           c.elapsed_s,      c.latency_ms.p50,        c.latency_ms.p99,
                    as_double(c.requested), as_double(c.ok), as_double(c.not_found), as_double(c.error)};
  }
  if (!r.failure.empty() || !r.server) return std::nullopt;
  const ServerCounts& s = *r.server;
  const double total = as_double(s.total());
  return Observed{r.wall_s > 0 ? total / r.wall_s : 0, r.wall_s, 0, 0, total, as_double(s.ok()),
                  as_double(s.not_found()), as_double(s.errors())};
}

Spread spread_of(const std::vector<double>& values) {
  if (values.empty()) return {};
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {median(values), *lo, *hi};
}

template <typename Field>
Spread spread(const std::vector<Repetition>& reps, Field field) {
  std::vector<double> values;
  for (const auto& r : reps)
    if (const auto o = observed(r)) values.push_back(field(r, *o));
  return spread_of(values);
}

template <typename Field>
Spread server_spread(const std::vector<Repetition>& reps, Field field) {
  std::vector<double> values;
  for (const auto& r : reps)
    if (r.server) values.push_back(as_double(field(*r.server)));
  return spread_of(values);
}

}  // namespace

Aggregate aggregate(const std::vector<Repetition>& reps) {
  Aggregate a;
  for (const auto& r : reps) a.repetitions += observed(r) ? 1 : 0;
  using O = Observed;
  using R = Repetition;
  a.items_per_s = spread(reps, [](const R&, const O& o) { return o.items_per_s; });
  a.elapsed_s = spread(reps, [](const R&, const O& o) { return o.elapsed_s; });
  a.p50_ms = spread(reps, [](const R&, const O& o) { return o.p50_ms; });
  a.p99_ms = spread(reps, [](const R&, const O& o) { return o.p99_ms; });
  a.cpu_s = spread(reps, [](const R& r, const O&) { return r.cpu_s; });
  a.peak_rss_kb = spread(reps, [](const R& r, const O&) { return static_cast<double>(r.peak_rss_kb); });
  a.requested = spread(reps, [](const R&, const O& o) { return o.requested; });
  a.ok = spread(reps, [](const R&, const O& o) { return o.ok; });
  a.not_found = spread(reps, [](const R&, const O& o) { return o.not_found; });
  a.errors = spread(reps, [](const R&, const O& o) { return o.errors; });
  for (const auto& r : reps) a.server_repetitions += r.server ? 1 : 0;
  a.server_ok = server_spread(reps, [](const ServerCounts& s) { return s.ok(); });
  a.server_not_found = server_spread(reps, [](const ServerCounts& s) { return s.not_found(); });
  a.server_errors = server_spread(reps, [](const ServerCounts& s) { return s.errors(); });
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
      std::count_if(cell.repetitions.begin(), cell.repetitions.end(), [](const Repetition& r) { return !r.failure.empty(); }));
  if (failed > 0) out.push_back({"client_failures", 0, static_cast<double>(failed), false});
  // A client that reports more successes than the server served fails its cell, whatever it expects.
  for (const auto& r : cell.repetitions)
    if (r.overclaims()) {
      out.push_back({"ok_served", as_double(r.server->ok()), as_double(r.client->ok), false});
      break;
    }
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
