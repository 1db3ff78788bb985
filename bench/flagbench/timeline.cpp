#include "timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "time_axis.hpp"
#include "xml_text.hpp"

namespace platespin::bench {

namespace {

constexpr double kLeft = 56, kPlotWidth = static_cast<double>(kTimelineColumns), kRight = 24;
constexpr double kCurveTop = 24, kCurveHeight = 64, kBarsTop = kCurveTop + kCurveHeight + 14;

// Height of the bars' area: four pixels a row, within bounds that keep a
// 20-request run readable and a 1,500-bar one on a laptop screen.
double bars_height(std::size_t rows) { return std::clamp(4.0 * static_cast<double>(rows), 60.0, 320.0); }

// The most in flight per column. A request that ends at the moment another
// starts is not counted with it (ends go first), and one of no length never is.
std::vector<int> in_flight_columns(const std::vector<std::pair<double, double>>& spans, double end_ms,
                                   std::size_t columns) {
  std::vector<std::pair<double, int>> events;
  for (const auto& [start, end] : spans)
    if (end > start) {
      events.emplace_back(start, +1);
      events.emplace_back(end, -1);
    }
  std::sort(events.begin(), events.end());  // at equal times -1 sorts before +1
  std::vector<int> most(columns, 0);
  const auto column_of = [&](double t) {
    double c = end_ms > 0 ? std::floor(t / end_ms * static_cast<double>(columns)) : 0;
    if (std::isnan(c)) c = 0;  // a file's times are not ours: inf / inf must not reach the cast
    return static_cast<std::size_t>(std::clamp(c, 0.0, static_cast<double>(columns - 1)));
  };
  int now = 0;
  std::size_t column = 0;
  for (const auto& [t, delta] : events) {
    // What was in flight at the end of the last event's column is in flight
    // through every column up to this event's.
    for (const std::size_t to = column_of(t); column < to;) {
      ++column;
      most[column] = std::max(most[column], now);
    }
    now += delta;
    most[column] = std::max(most[column], now);
  }
  return most;
}

// Alternate fills, so that two bands side by side are told apart.
constexpr const char* kBandFills[] = {"#fde9c8", "#e3d7f4"};

// A file's times are not ours: NaN goes to the left edge, infinities to the edges.
double step_x(double ms, double span_ms) {
  const double share = ms / span_ms;
  return kLeft + kPlotWidth * (std::isnan(share) ? 0 : std::clamp(share, 0.0, 1.0));
}

// Behind the curve and the bars: one band per step, from its effect to the next step's.
std::string schedule_bands(const std::vector<StepEffect>& steps, double span_ms, double top, double bottom) {
  std::string out = "<g class=\"schedule\">\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const StepEffect& step = steps[i];
    const double from = step_x(step.applied_ms, span_ms);
    const double to = step_x(i + 1 < steps.size() ? steps[i + 1].applied_ms : span_ms, span_ms);
    out += fmt::format("<rect class=\"step\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
                       "fill=\"{}\" fill-opacity=\"0.45\" data-at-ms=\"{:.1f}\" data-applied-ms=\"{:.1f}\">"
                       "<title>from {:.0f} ms: {}</title></rect>\n",
                       from, top, std::max(to - from, 0.0), bottom - top, kBandFills[i % 2], step.at_ms,
                       step.applied_ms, step.applied_ms, xml_escape(step_label(step)));
  }
  return out + "</g>\n";
}

// On top of everything: a marker line and a label per step, in three rows so
// that steps close in time do not write over each other.
std::string schedule_labels(const std::vector<StepEffect>& steps, double span_ms, double top, double bottom) {
  std::string out = "<g class=\"schedule-labels\">\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double x = step_x(steps[i].applied_ms, span_ms);
    out += fmt::format("<line class=\"step-marker\" x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" "
                       "stroke=\"#a60\" stroke-width=\"1\"/>\n",
                       x, top, bottom);
    out += fmt::format("<text class=\"step-label\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" fill=\"#730\">{}</text>\n",
                       x + 2, top + 10 + 11 * static_cast<double>(i % 3), xml_escape(step_label(steps[i])));
  }
  return out + "</g>\n";
}

}  // namespace

std::string step_label(const StepEffect& step) {
  std::string out = step.listener;
  for (const auto& [key, value] : step.set.items()) {
    if (key == "toxics") {
      std::vector<std::string> types;
      for (const auto& toxic : value) types.push_back(toxic.value("type", std::string("?")));
      out += fmt::format(" toxics=[{}]", fmt::join(types, "+"));
    } else {
      // Text as it is, but an empty one ("behavior": "", all healthy) shown as "".
      const bool text = value.is_string() && !value.get<std::string>().empty();
      out += " " + key + "=" + (text ? value.get<std::string>() : value.dump());
    }
  }
  return out;
}

double end_ms(const ItemResult& item) {
  if (!item.stages.empty()) return item.stages.back().start_ms + item.stages.back().length_ms;
  return item.start_ms.value_or(0) + item.latency_ms;
}

std::optional<Timeline> make_timeline(const ClientResult& run, std::size_t columns, std::size_t max_bars) {
  Timeline t;
  t.items = run.items.size();
  t.end_ms = run.elapsed_s * 1000;
  std::vector<std::size_t> order(run.items.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::pair<double, double>> spans;
  for (const auto& item : run.items) {
    if (!item.start_ms) return std::nullopt;
    spans.emplace_back(*item.start_ms, end_ms(item));
    t.end_ms = std::max(t.end_ms, spans.back().second);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return spans[a].first < spans[b].first; });
  t.stride = std::max<std::size_t>(1, (t.items + max_bars - 1) / std::max<std::size_t>(max_bars, 1));
  for (std::size_t k = 0; k < order.size(); k += t.stride) {
    const ItemResult& item = run.items[order[k]];
    t.bars.push_back({spans[order[k]].first, spans[order[k]].second, item.cc, outcome_style(item)});
  }
  t.in_flight = in_flight_columns(spans, t.end_ms, std::max<std::size_t>(columns, 1));
  t.max_in_flight = t.in_flight.empty() ? 0 : *std::max_element(t.in_flight.begin(), t.in_flight.end());
  return t;
}

std::string timeline_svg(const Timeline& t, int concurrency, const std::vector<StepEffect>& steps) {
  const double rows = static_cast<double>(std::max<std::size_t>(t.bars.size(), 1));
  const double height_of_bars = bars_height(t.bars.size());
  const double width = kLeft + kPlotWidth + kRight, height = kBarsTop + height_of_bars + 40;
  const double span_ms = t.end_ms > 0 ? t.end_ms : 1;
  const auto x = [&](double ms) { return kLeft + kPlotWidth * ms / span_ms; };
  const double top_value = std::max({concurrency, t.max_in_flight, 1});
  const auto y = [&](double v) { return kCurveTop + kCurveHeight * (1 - v / top_value); };

  std::string out = fmt::format(
      "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"11\" data-items=\"{2}\" data-stride=\"{3}\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height, t.items, t.stride);
  if (!steps.empty()) out += schedule_bands(steps, span_ms, kCurveTop, kBarsTop + height_of_bars);
  // The in-flight curve: steps over the columns, the concurrency above as a dashed line.
  out += fmt::format("<text x=\"{}\" y=\"14\" fill=\"#444\">requests in flight (the most in each pixel column), "
                     "peak {}</text>\n",
                     kLeft, t.max_in_flight);
  out += fmt::format("<line class=\"concurrency\" x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#c00\" "
                     "stroke-dasharray=\"4 3\"/>\n<text x=\"{3}\" y=\"{4:.2f}\" text-anchor=\"end\" fill=\"#c00\">"
                     "c={5}</text>\n",
                     kLeft, y(concurrency), kLeft + kPlotWidth, kLeft - 4, y(concurrency) + 4, concurrency);
  out += fmt::format("<line x1=\"{0}\" y1=\"{1:.2f}\" x2=\"{2}\" y2=\"{1:.2f}\" stroke=\"#999\"/>\n", kLeft, y(0),
                     kLeft + kPlotWidth);
  // Closed along the zero line, so that the area under the curve can be shaded.
  std::string points = fmt::format("{:.1f},{:.2f} ", kLeft, y(0));
  const double column_width = kPlotWidth / static_cast<double>(std::max<std::size_t>(t.in_flight.size(), 1));
  for (std::size_t c = 0; c < t.in_flight.size(); ++c) {
    if (c > 0 && t.in_flight[c] == t.in_flight[c - 1]) continue;  // a step only where the count changes
    const double left = kLeft + column_width * static_cast<double>(c);
    if (c > 0) points += fmt::format("{:.1f},{:.2f} ", left, y(t.in_flight[c - 1]));
    points += fmt::format("{:.1f},{:.2f} ", left, y(t.in_flight[c]));
  }
  if (!t.in_flight.empty()) points += fmt::format("{:.1f},{:.2f} ", kLeft + kPlotWidth, y(t.in_flight.back()));
  points += fmt::format("{:.1f},{:.2f}", kLeft + kPlotWidth, y(0));
  out += fmt::format("<polyline class=\"in-flight\" points=\"{}\" fill=\"#dde6f0\" stroke=\"#345\" "
                     "stroke-width=\"1.2\"/>\n",
                     points);

  // The bars, one row each, in the order the requests started.
  const double pitch = height_of_bars / rows, bar = pitch >= 3 ? pitch * 0.7 : pitch;
  out += "<g class=\"bars\">\n";
  for (std::size_t r = 0; r < t.bars.size(); ++r) {
    const TimelineBar& b = t.bars[r];
    out += fmt::format("<rect class=\"bar\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\">"
                       "<title>{} {} {:.1f}–{:.1f} ms</title></rect>\n",
                       x(b.start_ms), kBarsTop + pitch * static_cast<double>(r), x(b.end_ms) - x(b.start_ms), bar,
                       b.style.colour, xml_escape(b.cc), xml_escape(b.style.label), b.start_ms, b.end_ms);
  }
  out += "</g>\n";
  if (!steps.empty()) out += schedule_labels(steps, span_ms, kCurveTop, kBarsTop + height_of_bars);
  out += time_axis(kLeft, kPlotWidth, kBarsTop + height_of_bars, span_ms);
  if (t.stride > 1)
    out += fmt::format("<text class=\"sampled\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#c00\">sampled: "
                       "1 request in {} has a bar ({} of {}); the curve counts them all</text>\n",
                       kLeft + kPlotWidth, kBarsTop - 3, t.stride, t.bars.size(), t.items);
  out += "</svg>\n";
  return out;
}

}  // namespace platespin::bench
