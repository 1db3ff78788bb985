#include "latency_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "time_axis.hpp"

namespace platespin::bench {

namespace {

constexpr double kLeft = 56, kPlotWidth = 560, kTop = 16, kPlotHeight = 180, kLegendWidth = 240;
constexpr std::array<const char*, 6> kCurveColours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                                      "#17becf"};

std::vector<double> latencies_of(const Cell& cell) {
  std::vector<double> out;
  for (const auto& rep : cell.repetitions)
    if (rep.client)
      for (const auto& item : rep.client->items) out.push_back(item.latency_ms);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string latency_svg(const std::vector<const Cell*>& cells) {
  std::vector<std::vector<double>> curves;
  double lo = 0, hi = 0;
  for (const Cell* cell : cells) {
    curves.push_back(latencies_of(*cell));
    for (double v : curves.back())
      if (v > 0) {
        lo = lo > 0 ? std::min(lo, v) : v;
        hi = std::max(hi, v);
      }
  }
  // Whole decades around every positive latency; a latency of 0 sits on the left edge.
  const double lo_exp = lo > 0 ? std::floor(std::log10(lo)) : 0;
  const double hi_exp = std::max(hi > 0 ? std::ceil(std::log10(hi)) : 1, lo_exp + 1);
  const auto x = [&](double ms) {
    const double e = ms > 0 ? std::log10(ms) : lo_exp;
    return kLeft + kPlotWidth * (std::max(e, lo_exp) - lo_exp) / (hi_exp - lo_exp);
  };
  const auto y = [&](double share) { return kTop + kPlotHeight * (1 - share); };
  const double width = kLeft + kPlotWidth + kLegendWidth, height = kTop + kPlotHeight + 44;

  std::string out = fmt::format(
      "<svg class=\"latency\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"11\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height);
  for (const double share : {0.0, 0.25, 0.5, 0.75, 0.9, 1.0})
    out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#e4e4e4\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\" fill=\"#444\">{5:g}%</text>\n",
                       kLeft, y(share), kLeft + kPlotWidth, kLeft - 4, y(share) + 4, share * 100);
  for (double e = lo_exp; e <= hi_exp; e += 1) {
    const double ms = std::pow(10.0, e);
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e4e4e4\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#444\">{4}</text>\n",
                       x(ms), kTop, kTop + kPlotHeight, kTop + kPlotHeight + 16, format_ms(ms));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#444\">latency (log scale); "
                     "share of requests answered within it</text>\n",
                     kLeft + kPlotWidth / 2, kTop + kPlotHeight + 34);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const auto& v = curves[k];
    const char* colour = kCurveColours[k % kCurveColours.size()];
    const double legend_y = kTop + 10 + 18 * static_cast<double>(k);
    std::string label = fmt::format("c={}", cells[k]->concurrency);
    if (!v.empty())
      label += fmt::format(": p50 {}, p99 {}", format_ms(v[(v.size() - 1) / 2]),
                           format_ms(v[static_cast<std::size_t>(std::floor(0.99 * static_cast<double>(v.size() - 1)))]));
    out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"{3}\" stroke-width=\"2\"/>"
                       "<text x=\"{4}\" y=\"{5:.1f}\">{6}</text>\n",
                       kLeft + kPlotWidth + 12, legend_y, kLeft + kPlotWidth + 32, colour, kLeft + kPlotWidth + 36,
                       legend_y + 4, label);
    if (v.empty()) continue;
    // A quantile every 1/kLatencyCurvePoints of the requests: the curve's
    // size does not grow with the run's.
    std::string points;
    const std::size_t n = v.size(), m = std::min(n, kLatencyCurvePoints);
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t index = m == 1 ? n - 1 : i * (n - 1) / (m - 1);
      points += fmt::format("{:.1f},{:.1f} ", x(v[index]), y(static_cast<double>(index + 1) / static_cast<double>(n)));
    }
    out += fmt::format("<polyline class=\"cdf\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"/>\n",
                       points, colour);
  }
  out += "</svg>\n";
  return out;
}

}  // namespace platespin::bench
