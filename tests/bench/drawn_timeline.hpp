#pragma once
// The timelines of a flagbench page read back from its XHTML, as drawn: what
// the tests check against the items they came from.
#include <string>
#include <utility>
#include <vector>

#include "xml_document.hpp"

namespace platespin::test {

struct DrawnBar {
  double x = 0, y = 0, width = 0;
  std::string fill, title;
};

struct DrawnTimeline {
  std::string cell;              // "run@c", the section's data-cell
  std::size_t items = 0, stride = 1;
  std::vector<DrawnBar> bars;    // in document order: by start
  double concurrency_y = 0;      // where the dashed line of the cell's concurrency is
  std::vector<std::pair<double, double>> curve;  // the in-flight polyline's points
  bool says_sampled = false;     // a note on the plot that the bars are sampled
};

// One per <section class="cell"> that has a timeline.
std::vector<DrawnTimeline> drawn_timelines(const XmlElement& page);

// Sections of cells that show a note instead of a timeline.
std::vector<std::string> cells_without_timeline(const XmlElement& page);

// True when no bar begins before the one above it has ended (within the
// drawing's rounding): one request at a time.
bool bars_do_not_overlap(const DrawnTimeline& timeline);

// True when every point of the curve is on or below the concurrency line.
bool curve_within_concurrency(const DrawnTimeline& timeline);

}  // namespace platespin::test
