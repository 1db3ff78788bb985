#include "time_axis.hpp"

#include <fmt/format.h>

#include <cmath>

namespace platespin::bench {

namespace {

// The round step that gives 4 to 10 ticks over the span.
double tick_step(double span_ms) {
  const double raw = span_ms / 6, decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0})
    if (m * decade >= raw) return m * decade;
  return 10 * decade;
}

}  // namespace

std::string format_ms(double ms) {
  if (ms >= 1000) return fmt::format("{:g} s", std::round(ms) / 1000);
  if (ms >= 1) return fmt::format("{:g} ms", std::round(ms * 10) / 10);
  return fmt::format("{:.2g} ms", ms);
}

std::string time_axis(double left, double width, double y, double span_ms) {
  std::string out = fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#999\"/>\n", left,
                                y + 2, left + width);
  // A file's times are not ours: an infinite span (1e308 + 1e308) made an
  // infinite step and a loop that never ended.
  if (!(span_ms > 0) || !std::isfinite(span_ms)) return out;
  const double step = tick_step(span_ms);
  for (double t = 0; t <= span_ms * 1.0001; t += step) {
    const double x = left + width * t / span_ms;
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#444\">{4}</text>\n",
                       x, y + 2, y + 6, y + 18, t == 0 ? "0" : format_ms(t));
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#444\">time since the client "
                     "started its downloads</text>\n",
                     left + width / 2, y + 32);
  return out;
}

}  // namespace platespin::bench
