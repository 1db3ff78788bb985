#pragma once
// The time axis under a timeline: ticks at a round step (1, 2 or 5 × 10^k ms),
// labelled in ms below a second and in s above.
#include <string>

namespace platespin::bench {

// SVG elements: the axis line at `y` from `left` over `width` pixels for
// 0..span_ms, its ticks and labels below it.
std::string time_axis(double left, double width, double y, double span_ms);

// "250 ms", "1.5 s".
std::string format_ms(double ms);

}  // namespace platespin::bench
