#include "report_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace platespin::bench {

namespace {

std::string count(const Spread& s) {
  return s.min == s.max ? fmt::format("{:.0f}", s.median) : fmt::format("{:.0f}–{:.0f}", s.min, s.max);
}

// Counts as counts, rates as rates.
std::string format_value(double x) { return x == std::floor(x) ? fmt::format("{:.0f}", x) : format_rate(x); }

std::string failures(const Cell& cell) {
  std::string out;
  for (const auto& v : cell.verdicts)
    if (!v.pass)
      out += (out.empty() ? "" : "; ") +
             fmt::format("{} {} (got {})", v.expectation, format_value(v.limit),
                         v.expectation == "recovered_within_s" && v.observed < 0 ? "never" : format_value(v.observed));
  return out;
}

// Latencies come only with a platespin result (flags2 and none have none).
std::string latency(const Cell& c, const Spread& s) {
  return c.result == "platespin" ? fmt::format("{:.1f}", s.median) : "—";
}

// The client's own counts; none with `result: none`. ⚠ marks a client that
// reported more successes than the server served.
std::string client_counts(const Cell& c) {
  if (c.result == "none") return "—";
  const Aggregate& a = c.aggregate;
  const bool overclaims = std::any_of(c.repetitions.begin(), c.repetitions.end(),
                                      [](const Repetition& r) { return r.overclaims(); });
  return fmt::format("{}{} / {} / {}", overclaims ? "⚠ " : "", count(a.ok), count(a.not_found), count(a.errors));
}

// What the proxy listener or flag_server answered during the runs.
std::string served_counts(const Cell& c) {
  const Aggregate& a = c.aggregate;
  if (a.server_repetitions == 0) return "—";
  return fmt::format("{} / {} / {}", count(a.server_ok), count(a.server_not_found), count(a.server_errors));
}

}  // namespace

std::string format_rate(double x) {
  if (x == 0) return "0";
  if (x < 10) return fmt::format("{:.2f}", x);
  if (x < 100) return fmt::format("{:.1f}", x);
  return fmt::format("{:.0f}", x);
}

const std::vector<SummaryColumn>& summary_columns() {
  static const std::vector<SummaryColumn> columns = {
      {"run", false},      {"client", false},  {"server", false}, {"c", true},       {"items/s (median)", true},
      {"min–max", true},   {"bound", true},    {"eff.", true},    {"talk", true},    {"p50 ms", true},
      {"p99 ms", true},    {"ok / 404 / err", true}, {"served ok / 404 / err", true},
      {"CPU s", true},     {"RSS MB", true},   {"verdict", false}};
  return columns;
}

std::vector<SummaryRow> summary_rows(const BenchResult& result) {
  std::vector<SummaryRow> rows;
  for (const auto& c : result.cells) {
    const Aggregate& a = c.aggregate;
    const bool has_bound = c.bound_items_per_s > 0;
    rows.push_back({{c.run, c.client, c.server_label, std::to_string(c.concurrency), format_rate(a.items_per_s.median),
                     fmt::format("{}–{}", format_rate(a.items_per_s.min), format_rate(a.items_per_s.max)),
                     has_bound ? format_rate(c.bound_items_per_s) : "—",
                     has_bound ? fmt::format("{:.0f}%", 100 * c.efficiency()) : "—",
                     c.reference_items_per_s ? format_rate(*c.reference_items_per_s) : "—",
                     latency(c, a.p50_ms), latency(c, a.p99_ms),
                     client_counts(c), served_counts(c),
                     fmt::format("{:.2f}", a.cpu_s.median), fmt::format("{:.1f}", a.peak_rss_kb.median / 1024)},
                    c.pass,
                    failures(c)});
  }
  return rows;
}

std::string markdown_table(const BenchResult& result) {
  std::string out = fmt::format("### {} ({} mode, {})\n\n", result.scenario, result.mode, result.started_at);
  std::string header = "|", rule = "|";
  for (const auto& column : summary_columns()) {
    header += " " + column.name + " |";
    rule += column.right_aligned ? " ---: |" : " --- |";
  }
  out += header + "\n" + rule + "\n";
  for (const auto& row : summary_rows(result))
    out += fmt::format("| {} | {} |\n", fmt::join(row.fields, " | "), row.pass ? "pass" : "**FAIL** " + row.failures);
  out += fmt::format("\n{}\n", kBoundNote);
  out += "served: what the proxy listener or flag_server answered during the run (⚠: the client claims more ok).\n";
  for (const auto& skipped : result.skipped) out += "Skipped: " + skipped + "\n";
  out += result.pass ? "All expectations hold.\n" : "Some expectations FAILED (marked above).\n";
  return out;
}

std::string compare_table(const BenchResult& now, const BenchResult& before, double& worst_ratio) {
  std::map<std::string, const Cell*> earlier;
  for (const auto& c : before.cells) earlier[c.key()] = &c;
  worst_ratio = 1;
  bool any = false;
  std::string out = fmt::format("### {} ({}) against {} ({})\n\n", now.scenario, now.started_at, before.scenario,
                                before.started_at);
  out += "| run | c | items/s now | items/s before | ratio | p99 ms now | p99 ms before |\n"
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& c : now.cells) {
    const auto it = earlier.find(c.key());
    if (it == earlier.end()) {
      out += fmt::format("| {} | {} | {} | — | new | {:.1f} | — |\n", c.run, c.concurrency,
                         format_rate(c.aggregate.items_per_s.median), c.aggregate.p99_ms.median);
      continue;
    }
    const Cell& b = *it->second;
    const double old_rate = b.aggregate.items_per_s.median;
    const double ratio = old_rate > 0 ? c.aggregate.items_per_s.median / old_rate : 0;
    worst_ratio = any ? std::min(worst_ratio, ratio) : ratio;
    any = true;
    out += fmt::format("| {} | {} | {} | {} | {:.2f}× | {:.1f} | {:.1f} |\n", c.run, c.concurrency,
                       format_rate(c.aggregate.items_per_s.median), format_rate(old_rate), ratio,
                       c.aggregate.p99_ms.median, b.aggregate.p99_ms.median);
    earlier.erase(it);
  }
  for (const auto& [key, b] : earlier)
    out += fmt::format("| {} | {} | — | {} | gone | — | {:.1f} |\n", b->run, b->concurrency,
                       format_rate(b->aggregate.items_per_s.median), b->aggregate.p99_ms.median);
  return out;
}

}  // namespace platespin::bench
