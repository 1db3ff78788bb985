#pragma once
// Writing a run's result: the JSON, the SVG and the HTML page under names no other run can
// take, each written whole, and never lost to text nlohmann::json refuses.
#include <filesystem>
#include <string>

#include "bench_result.hpp"

namespace platespin::bench {

struct ResultFiles {
  std::filesystem::path json, svg, html;
};

// The result as JSON text. Bytes that are not UTF-8 (from a client's output
// or the scenario's own text) become U+FFFD instead of making dump() throw
// at the end of a run and lose all of it.
std::string result_json_text(const BenchResult& result);

// Writes DIR/STEM.json, its chart (DIR/STEM.svg, or `svg_file` when not
// empty) and its page (DIR/STEM.html) where STEM is `stem`, or `stem-2`, `stem-3`... when a file of that
// name exists: two runs of a scenario in the same second keep both results.
// The JSON takes its name with link(2), which fails rather than replace a file,
// so two processes cannot pick the same stem. Throws std::runtime_error
// naming the file.
ResultFiles write_result_files(const BenchResult& result, const std::filesystem::path& dir, const std::string& stem,
                               const std::string& svg_file = "");

}  // namespace platespin::bench
