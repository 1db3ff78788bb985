#include "svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report_table.hpp"
#include "xml_text.hpp"

namespace platespin::bench {

namespace {

constexpr double kLabelWidth = 300, kPlotWidth = 560, kRowHeight = 26, kTop = 60, kRight = 90;

// Decades from below the smallest to above the largest value worth drawing.
struct LogScale {
  double lo_exp = -1, hi_exp = 1;
  double x(double value) const {
    const double e = std::log10(std::max(value, std::pow(10.0, lo_exp)));
    return kLabelWidth + kPlotWidth * (e - lo_exp) / (hi_exp - lo_exp);
  }
};

LogScale scale_for(const BenchResult& result) {
  double lo = 0, hi = 0;
  const auto see = [&](double v) {
    if (v <= 0) return;
    lo = lo > 0 ? std::min(lo, v) : v;
    hi = std::max(hi, v);
  };
  for (const auto& c : result.cells) {
    see(c.aggregate.items_per_s.min);
    see(c.aggregate.items_per_s.max);
    see(c.bound_items_per_s);
    if (c.reference_items_per_s) see(*c.reference_items_per_s);
  }
  if (hi == 0) return {};
  LogScale s{std::floor(std::log10(lo)), std::ceil(std::log10(hi))};
  if (s.hi_exp <= s.lo_exp) s.hi_exp = s.lo_exp + 1;
  return s;
}

}  // namespace

std::string svg_chart(const BenchResult& result) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg_chart_element(result);
}

std::string svg_chart_element(const BenchResult& result) {
  const LogScale scale = scale_for(result);
  const double plot_height = kRowHeight * static_cast<double>(result.cells.size());
  const double width = kLabelWidth + kPlotWidth + kRight, height = kTop + plot_height + 50;
  std::string out = fmt::format(
      "<svg class=\"rates\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">{2}: items/s per run (log scale)</text>\n"
      "<text x=\"10\" y=\"42\" fill=\"#444\">bar: median; whisker: min–max; "
      "<tspan fill=\"#c00\">red tick: bound min(c, n)/d</tspan>; "
      "<tspan fill=\"#06c\">blue diamond: the talk's figure</tspan>; hatched: failed an expectation</text>\n"
      "<defs><pattern id=\"fail\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
      "<path d=\"M0 6L6 0\" stroke=\"#c00\" stroke-width=\"1.5\"/></pattern></defs>\n",
      width, height, xml_escape(result.scenario));
  // Decade grid lines with their labels under the plot.
  for (double e = scale.lo_exp; e <= scale.hi_exp; e += 1) {
    const double x = scale.x(std::pow(10.0, e));
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>\n"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#444\">{4}</text>\n",
                       x, kTop - 4, kTop + plot_height, kTop + plot_height + 16,
                       format_rate(std::pow(10.0, e)));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">items/s</text>\n",
                     kLabelWidth + kPlotWidth / 2, kTop + plot_height + 36);
  double y = kTop;
  for (const auto& c : result.cells) {
    const Spread& r = c.aggregate.items_per_s;
    const double mid = y + kRowHeight / 2, x0 = scale.x(0);
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{} · {} · c={}</text>\n", kLabelWidth - 8,
                       mid + 4, xml_escape(c.run), xml_escape(c.server_label), c.concurrency);
    out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x0, y + 5,
                       std::max(scale.x(r.median) - x0, 1.0), kRowHeight - 10, c.pass ? "#7a9" : "url(#fail)");
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>\n",
                       scale.x(r.min), mid, scale.x(r.max), mid);
    if (c.bound_items_per_s > 0)
      out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#c00\" "
                         "stroke-width=\"3\"/>\n",
                         scale.x(c.bound_items_per_s), y + 2, y + kRowHeight - 2);
    if (c.reference_items_per_s) {
      const double x = scale.x(*c.reference_items_per_s);
      out += fmt::format("<path d=\"M{:.1f} {:.1f}l5 5l-5 5l-5 -5z\" fill=\"#06c\"/>\n", x, mid - 5);
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                       std::max({scale.x(r.max), scale.x(c.bound_items_per_s), x0}) + 6, mid + 4,
                       format_rate(r.median));
    y += kRowHeight;
  }
  out += "</svg>\n";
  return out;
}

}  // namespace platespin::bench
