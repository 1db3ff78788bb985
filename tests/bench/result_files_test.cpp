// write_result_files(): each run's result under its own name, written whole,
// whatever bytes it holds.
#include "result_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "services.hpp"

using namespace platespin;
using namespace platespin::bench;
namespace fs = std::filesystem;

namespace {

BenchResult result_named(const std::string& scenario) {
  BenchResult r;
  r.scenario = scenario;
  r.mode = "managed";
  r.started_at = "2026-12-01T10:00:00Z";
  return r;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.insert(entry.path().filename().string());
  return out;
}

}  // namespace

TEST(ResultFiles, TwoResultsOfOneStemKeepBothFiles) {
  const auto dir = test::temp_dir("result-files");
  const auto first = write_result_files(result_named("first"), dir, "s-20261201T100000Z");
  const auto second = write_result_files(result_named("second"), dir, "s-20261201T100000Z");
  EXPECT_EQ(first.json, dir / "s-20261201T100000Z.json");
  EXPECT_EQ(second.json, dir / "s-20261201T100000Z-2.json");
  EXPECT_EQ(second.svg, dir / "s-20261201T100000Z-2.svg");
  EXPECT_EQ(second.html, dir / "s-20261201T100000Z-2.html");  // the page goes with its JSON
  EXPECT_EQ(read_bench_result(first.json.string()).scenario, "first");
  EXPECT_EQ(read_bench_result(second.json.string()).scenario, "second");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"s-20261201T100000Z.json", "s-20261201T100000Z.svg",
                                                  "s-20261201T100000Z.html", "s-20261201T100000Z-2.json",
                                                  "s-20261201T100000Z-2.svg", "s-20261201T100000Z-2.html"}));
  fs::remove_all(dir);
}

TEST(ResultFiles, WritersRacingForOneStemEachGetTheirOwn) {
  const auto dir = test::temp_dir("result-race");
  constexpr int kWriters = 8;
  std::vector<ResultFiles> files(kWriters);
  {
    std::vector<std::jthread> writers;
    for (int i = 0; i < kWriters; ++i)
      writers.emplace_back([&, i] { files[i] = write_result_files(result_named(std::to_string(i)), dir, "s"); });
  }
  std::set<fs::path> distinct;
  for (int i = 0; i < kWriters; ++i) {
    distinct.insert(files[i].json);
    EXPECT_EQ(read_bench_result(files[i].json.string()).scenario, std::to_string(i));
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kWriters));
  EXPECT_EQ(names_in(dir).size(), 3u * kWriters);  // a JSON, an SVG and a page each, no temporaries left
  fs::remove_all(dir);
}

TEST(ResultFiles, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  BenchResult r = result_named("latin1");
  r.scenario_yaml = "# caf\xe9\n";
  r.machine = {{"host", "h\xff"}};
  std::string text;
  ASSERT_NO_THROW(text = result_json_text(r));
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j.at("scenario_yaml"), "# caf\xef\xbf\xbd\n");
  const auto dir = test::temp_dir("result-utf8");
  EXPECT_NO_THROW(write_result_files(r, dir, "latin1"));
  fs::remove_all(dir);
}
