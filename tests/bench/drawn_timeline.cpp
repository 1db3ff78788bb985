#include "drawn_timeline.hpp"

#include <sstream>

namespace platespin::test {

namespace {

// Coordinates are written with two decimals.
constexpr double kRounding = 0.02;

std::vector<std::pair<double, double>> points_of(const std::string& text) {
  std::vector<std::pair<double, double>> out;
  std::istringstream in(text);
  for (std::string point; in >> point;) {
    const auto comma = point.find(',');
    out.emplace_back(std::stod(point.substr(0, comma)), std::stod(point.substr(comma + 1)));
  }
  return out;
}

std::string text_of(const XmlElement& e) {
  std::string out = e.text;
  for (const auto& child : e.children) out += text_of(child);
  return out;
}

}  // namespace

std::vector<DrawnTimeline> drawn_timelines(const XmlElement& page) {
  std::vector<DrawnTimeline> out;
  for (const XmlElement* section : page.with_class("section", "cell")) {
    const auto svgs = section->with_class("svg", "timeline");
    if (svgs.empty()) continue;
    const XmlElement& svg = *svgs.front();
    DrawnTimeline t;
    t.cell = section->attribute("data-cell");
    t.items = std::stoul(svg.attribute("data-items"));
    t.stride = std::stoul(svg.attribute("data-stride"));
    for (const XmlElement* bar : svg.with_class("rect", "bar")) {
      std::string title;
      for (const auto& child : bar->children)
        if (child.name == "title") title = text_of(child);
      t.bars.push_back({std::stod(bar->attribute("x")), std::stod(bar->attribute("y")),
                        std::stod(bar->attribute("width")), bar->attribute("fill"), title});
    }
    const auto line = svg.with_class("line", "concurrency");
    if (!line.empty()) t.concurrency_y = std::stod(line.front()->attribute("y1"));
    const auto curve = svg.with_class("polyline", "in-flight");
    if (!curve.empty()) t.curve = points_of(curve.front()->attribute("points"));
    t.says_sampled = !svg.with_class("text", "sampled").empty();
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> cells_without_timeline(const XmlElement& page) {
  std::vector<std::string> out;
  for (const XmlElement* section : page.with_class("section", "cell"))
    if (section->with_class("svg", "timeline").empty()) out.push_back(section->attribute("data-cell"));
  return out;
}

bool bars_do_not_overlap(const DrawnTimeline& t) {
  for (std::size_t i = 1; i < t.bars.size(); ++i)
    if (t.bars[i].x + kRounding < t.bars[i - 1].x + t.bars[i - 1].width) return false;
  return true;
}

bool curve_within_concurrency(const DrawnTimeline& t) {
  for (const auto& [x, y] : t.curve)
    if (y + kRounding < t.concurrency_y) return false;  // SVG's y grows downwards
  return !t.curve.empty();
}

}  // namespace platespin::test
