#pragma once
// The picture of one client run in time: every request a bar from its start
// to its end, one row per request in the order they started, under the
// curve of requests in flight. A sequential run draws a staircase, an async
// one a wall: the talk's point at a glance.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bench_result.hpp"
#include "outcome_colours.hpp"
#include "result.hpp"

namespace platespin::bench {

struct TimelineBar {
  double start_ms = 0, end_ms = 0;
  std::string cc;
  OutcomeStyle style;
};

struct Timeline {
  std::size_t items = 0;   // requests in the run
  std::size_t stride = 1;  // every stride-th request (by start) has a bar: 1 unless the run is large
  std::vector<TimelineBar> bars;  // by start time
  double end_ms = 0;              // the time axis: the run's elapsed time or the last end, if later
  std::vector<int> in_flight;     // the most requests in flight within each column of the plot
  int max_in_flight = 0;
};

// Plot columns the in-flight curve is binned into (one per pixel of the plot)
// and the most bars a timeline draws: 20,000 requests drawn one by one would
// make a page of megabytes that a browser draws slowly.
inline constexpr std::size_t kTimelineColumns = 780;
inline constexpr std::size_t kMaxTimelineBars = 1500;

// Where an item's bar ends: its last stage's end with --metadata (retries and
// all), else start_ms + latency_ms.
double end_ms(const ItemResult& item);

// Empty when an item has no start_ms (an older file, an outside client).
std::optional<Timeline> make_timeline(const ClientResult& run, std::size_t columns = kTimelineColumns,
                                      std::size_t max_bars = kMaxTimelineBars);

// One <svg class="timeline"> element: the in-flight curve with the cell's
// concurrency as a dashed line, the bars, the time axis, and a note on the
// plot when the bars are sampled.
// With `steps` (the schedule as it was applied), each step shades a band from
// its effect to the next step's (or the end) behind the curve and the bars,
// with a marker line and a label saying what it set.
std::string timeline_svg(const Timeline& timeline, int concurrency, const std::vector<StepEffect>& steps = {});

// "ERROR behavior=50:error delay=0.5": a step's label.
std::string step_label(const StepEffect& step);

}  // namespace platespin::bench
