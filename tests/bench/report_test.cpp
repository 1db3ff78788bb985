#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "bench_result.hpp"
#include "evaluate.hpp"
#include "report_table.hpp"
#include "svg_chart.hpp"

using namespace platespin;
using namespace platespin::bench;

namespace {

Cell cell(const std::string& run, int c, double items_per_s, double delay_s) {
  Cell cell;
  cell.run = run;
  cell.client = "async";
  cell.server_label = "DELAY <&>";  // must be escaped in the SVG
  cell.url = "http://127.0.0.1:1/flags";
  cell.concurrency = c;
  cell.delay_s = delay_s;
  Repetition r;
  ClientResult cr;
  cr.items_per_s = items_per_s;
  cr.requested = cr.ok = 676;
  r.client = cr;
  cell.repetitions = {r};
  evaluate(cell, {});
  return cell;
}

BenchResult result(double rate) {
  BenchResult r;
  r.scenario = "demo";
  r.mode = "managed";
  r.started_at = "2026-11-25T14:30:00Z";
  r.cells = {cell("sequential", 1, rate / 100, 0.5), cell("async", 100, rate, 0.5)};
  return r;
}

}  // namespace

TEST(Report, FormatsRatesAsPeopleReadThem) {
  EXPECT_EQ(format_rate(1.9234), "1.92");
  EXPECT_EQ(format_rate(37.44), "37.4");
  EXPECT_EQ(format_rate(1352.4), "1352");
}

TEST(Report, TableHasOneRowPerCellWithBoundAndEfficiency) {
  const std::string table = markdown_table(result(150));
  EXPECT_NE(table.find("| sequential | async | DELAY <&> | 1 | 1.50 | 1.50–1.50 | 2.00 | 75% |"), std::string::npos)
      << table;
  EXPECT_NE(table.find("| async | async | DELAY <&> | 100 | 150 |"), std::string::npos) << table;
  EXPECT_NE(table.find("All expectations hold."), std::string::npos);
}

TEST(Report, JsonRoundTrip) {
  const BenchResult before = result(150);
  const nlohmann::json j = before;
  EXPECT_EQ(j["schema"], kBenchSchema);
  const auto after = j.get<BenchResult>();
  ASSERT_EQ(after.cells.size(), 2u);
  EXPECT_DOUBLE_EQ(after.cells[1].aggregate.items_per_s.median, 150);
  EXPECT_DOUBLE_EQ(after.cells[0].bound_items_per_s, 2.0);
  EXPECT_THROW((nlohmann::json{{"schema", "platespin.result/1"}}.get<BenchResult>()), std::invalid_argument);
}

// As in a client's result (fuzz_client_result): 1e300 into an int field was undefined behaviour.
TEST(Report, JsonIntegerFieldsMustBeWholeNumbersInRange) {
  const nlohmann::json good = result(150);
  for (const auto& pointer : {"/runs/0/concurrency", "/runs/0/aggregate/repetitions", "/runs/0/repetitions/0/exit_code",
                              "/runs/0/repetitions/0/peak_rss_kb"}) {
    nlohmann::json bad = good;
    bad[nlohmann::json::json_pointer(pointer)] = -1e300;
    EXPECT_THROW(bad.get<BenchResult>(), std::invalid_argument) << pointer;
  }
}

TEST(Report, CompareShowsRatiosAndTheWorst) {
  BenchResult now = result(150), before = result(300);
  before.cells.push_back(cell("gone", 5, 10, 0));
  double worst = 0;
  const std::string table = compare_table(now, before, worst);
  EXPECT_DOUBLE_EQ(worst, 0.5);
  EXPECT_NE(table.find("| async | 100 | 150 | 300 | 0.50× |"), std::string::npos) << table;
  EXPECT_NE(table.find("| gone | 5 | — | 10.0 | gone |"), std::string::npos) << table;
}

TEST(Report, SvgIsWellFormedXmlWithOneBarPerCell) {
  const std::string svg = svg_chart(result(150));
  std::istringstream in(svg);
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(in, tree));
  std::size_t bars = 0;
  for (const auto& [name, child] : tree.get_child("svg"))
    if (name == "rect" && child.get<std::string>("<xmlattr>.height") != "100%") ++bars;
  EXPECT_EQ(bars, 2u);
  EXPECT_NE(svg.find("DELAY &lt;&amp;&gt;"), std::string::npos);
}
