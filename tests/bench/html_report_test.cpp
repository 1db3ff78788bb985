// The page flagbench writes, from synthetic results (no sockets): well-formed
// XHTML, one bar per request in the outcome's colour, the in-flight curve
// under the concurrency, a staircase for one-at-a-time, light when large.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "bench_result.hpp"
#include "drawn_timeline.hpp"
#include "evaluate.hpp"
#include "html_report.hpp"
#include "outcome_colours.hpp"
#include "timeline.hpp"
#include "xml_document.hpp"

using namespace platespin;
using namespace platespin::bench;
using namespace platespin::test;

namespace {

// Item i of a run where `concurrency` workers each take the next code when
// their last one is answered after `latency_ms`: starts come in waves.
ItemResult item(std::size_t i, int concurrency, double latency_ms) {
  ItemResult it;
  it.cc = std::string{static_cast<char>('A' + i / 26 % 26), static_cast<char>('A' + i % 26)} +
          (i >= 676 ? std::to_string(i / 676) : "");
  const auto c = static_cast<std::size_t>(concurrency);
  // The last of a wave starts 0.01 * c ms after the first: the next wave
  // starts once all of them are answered.
  const double wave = latency_ms + 0.01 * static_cast<double>(c) + 0.5;
  it.start_ms = static_cast<double>(i / c) * wave + 0.01 * static_cast<double>(i % c);
  it.latency_ms = latency_ms;
  it.attempts = 1;
  switch (i % 5) {
    case 0: case 1: it.outcome = Outcome::ok; it.status = 200; break;
    case 2: it.outcome = Outcome::not_found; it.status = 404; break;
    case 3: it.outcome = Outcome::error; it.status = 503; it.error_kind = "http_503"; break;
    default: it.outcome = Outcome::error; it.error_kind = "timeout"; break;
  }
  return it;
}

Cell cell(const std::string& run, int concurrency, std::size_t items, double latency_ms = 100,
          Expectations expect = {}) {
  Cell c;
  c.run = run;
  c.client = run == "sequential" ? "sequential" : "async";
  c.server_label = "DELAY";
  c.concurrency = concurrency;
  c.delay_s = latency_ms / 1000;
  ClientResult r;
  r.concurrency = concurrency;
  for (std::size_t i = 0; i < items; ++i) r.items.push_back(item(i, concurrency, latency_ms));
  r.elapsed_s = (r.items.back().start_ms.value() + latency_ms) / 1000;
  r.tally();
  Repetition rep;
  rep.client = r;
  c.repetitions = {rep};
  evaluate(c, expect);
  return c;
}

BenchResult demo_like() {
  BenchResult r;
  r.scenario = "demo <&>";
  r.mode = "managed";
  r.started_at = "2026-12-01T16:00:00Z";
  r.finished_at = "2026-12-01T16:01:00Z";
  r.scenario_yaml = "name: demo\nruns: [] # <&> \"quoted\"\n";
  r.machine = {{"cores", 2}, {"cpu", "Some CPU <3>"}};
  r.versions = {{"platespin", "1.0"}};
  Expectations too_much;
  too_much.items_per_s_min = 1e6;
  r.cells = {cell("sequential", 1, 40), cell("async", 100, 676), cell("async", 1000, 676),
             cell("slow", 30, 100, 100, too_much)};
  r.pass = false;
  return r;
}

std::map<std::string, const Cell*> cells_by_key(const BenchResult& r) {
  std::map<std::string, const Cell*> out;
  for (const auto& c : r.cells) out[c.key()] = &c;
  return out;
}

}  // namespace

TEST(HtmlReport, IsWellFormedXhtmlWithEveryPart) {
  const BenchResult result = demo_like();
  const std::string page = html_report(result);
  XmlElement root;
  ASSERT_NO_THROW(root = parse_xml(page)) << page.substr(0, 2000);
  EXPECT_EQ(root.name, "html");
  EXPECT_EQ(root.attribute("xmlns"), "http://www.w3.org/1999/xhtml");
  EXPECT_EQ(page.find("<script"), std::string::npos);  // nothing to run
  for (const char* fetch : {"<link", " src=", "href=", "@import", "url(h", "url(/", "url(."})
    EXPECT_EQ(page.find(fetch), std::string::npos) << fetch << ": nothing is fetched from anywhere";
  EXPECT_EQ(root.with_class("svg", "rates").size(), 1u);        // the items/s chart
  EXPECT_EQ(root.with_class("svg", "latency").size(), 3u);      // one per run
  EXPECT_EQ(root.with_class("svg", "timeline").size(), 4u);     // one per cell
  const auto rows = root.with_class("tr", "fail");
  ASSERT_EQ(rows.size(), 1u);  // the failed expectation, marked
  EXPECT_EQ(rows.front()->children.front().text, "slow");
  EXPECT_NE(page.find("FAIL items_per_s_min 1000000 (got"), std::string::npos);
  EXPECT_NE(page.find("<details>"), std::string::npos);  // the scenario, folded
  EXPECT_NE(page.find("# &lt;&amp;&gt; &quot;quoted&quot;"), std::string::npos);
  EXPECT_NE(page.find("Some CPU &lt;3&gt;"), std::string::npos);
}

TEST(HtmlReport, XmlCheckRefusesWhatBrowsersRefuse) {
  EXPECT_THROW(parse_xml("<a><b></a></b>"), XmlError);
  EXPECT_THROW(parse_xml("<a>&nbsp;</a>"), XmlError);
  EXPECT_THROW(parse_xml("<a x=1/>"), XmlError);
  EXPECT_THROW(parse_xml("<a x='1' x='2'/>"), XmlError);
  EXPECT_THROW(parse_xml("<a>1 < 2</a>"), XmlError);
  EXPECT_THROW(parse_xml("<a/><b/>"), XmlError);
  EXPECT_THROW(parse_xml("<a>\xff</a>"), XmlError);
  EXPECT_EQ(parse_xml("<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<a x=\"&lt;\">&#233;<b/></a>").children.size(), 1u);
}

TEST(HtmlReport, EachTimelineHasOneBarPerItemInItsOutcomesColour) {
  const BenchResult result = demo_like();
  const auto cells = cells_by_key(result);
  const auto timelines = drawn_timelines(parse_xml(html_report(result)));
  ASSERT_EQ(timelines.size(), 4u);
  for (const auto& t : timelines) {
    const ClientResult& run = *cells.at(t.cell)->repetitions.front().client;
    EXPECT_EQ(t.items, run.items.size()) << t.cell;
    EXPECT_EQ(t.stride, 1u) << t.cell;
    ASSERT_EQ(t.bars.size(), run.items.size()) << t.cell;
    EXPECT_FALSE(t.says_sampled);
    std::map<std::string, const ItemResult*> by_code;
    for (const auto& item : run.items) by_code[item.cc] = &item;
    for (const auto& bar : t.bars) {
      const std::string cc = bar.title.substr(0, bar.title.find(' '));
      const OutcomeStyle style = outcome_style(*by_code.at(cc));
      EXPECT_EQ(bar.fill, style.colour) << t.cell << " " << bar.title;
      EXPECT_EQ(bar.title.substr(cc.size() + 1, style.label.size()), style.label) << bar.title;
    }
  }
}

TEST(HtmlReport, OutcomesHaveDistinctColours) {
  std::map<std::string, std::string> seen;  // colour -> label
  for (const auto* kind : {"", "http_500", "http_501", "http_502", "http_503", "timeout", "refused", "reset",
                           "truncated", "protocol", "content", "save"}) {
    ItemResult it;
    it.outcome = std::string(kind).empty() ? Outcome::ok : Outcome::error;
    it.error_kind = kind;
    const OutcomeStyle style = outcome_style(it);
    EXPECT_TRUE(seen.emplace(style.colour, style.label).second) << style.label << " has " << seen[style.colour] << "'s colour";
  }
  ItemResult missing;
  missing.outcome = Outcome::not_found;
  EXPECT_TRUE(seen.emplace(outcome_style(missing).colour, "404").second);
  EXPECT_EQ(outcome_style(missing).label, "404");
}

TEST(HtmlReport, InFlightCurveNeverAboveTheConcurrencyAndReachesIt) {
  const BenchResult result = demo_like();
  for (const auto& t : drawn_timelines(parse_xml(html_report(result)))) {
    EXPECT_TRUE(curve_within_concurrency(t)) << t.cell;
    double top = 1e9;
    for (const auto& p : t.curve) top = std::min(top, p.second);
    if (t.cell != "async@1000") {
      EXPECT_NEAR(top, t.concurrency_y, 0.02) << t.cell;  // all c in flight at once
    }
  }
  // The model under the drawing: exact counts where nothing overlaps.
  const auto model = make_timeline(*result.cells[1].repetitions.front().client);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->max_in_flight, 100);
  EXPECT_EQ(make_timeline(*result.cells[0].repetitions.front().client)->max_in_flight, 1);
  EXPECT_EQ(make_timeline(*result.cells[2].repetitions.front().client)->max_in_flight, 676);
}

TEST(HtmlReport, SequentialBarsMakeAStaircase) {
  const auto timelines = drawn_timelines(parse_xml(html_report(demo_like())));
  ASSERT_FALSE(timelines.empty());
  EXPECT_EQ(timelines.front().cell, "sequential@1");
  EXPECT_TRUE(bars_do_not_overlap(timelines.front()));
  for (std::size_t i = 1; i < timelines.front().bars.size(); ++i)
    EXPECT_GT(timelines.front().bars[i].y, timelines.front().bars[i - 1].y);  // each a row lower
  EXPECT_FALSE(bars_do_not_overlap(timelines[1]));  // async@100: a wall
}

TEST(HtmlReport, AResultWithoutStartTimesStillRendersWithANote) {
  BenchResult result = demo_like();
  for (auto& c : result.cells)
    for (auto& rep : c.repetitions)
      for (auto& it : rep.client->items) it.start_ms.reset();
  // As an older file: read back from JSON that has no start_ms.
  const BenchResult old = nlohmann::json(result).get<BenchResult>();
  ASSERT_FALSE(old.cells[0].repetitions[0].client->items[0].start_ms);
  const std::string page = html_report(old);
  XmlElement root;
  ASSERT_NO_THROW(root = parse_xml(page));
  EXPECT_TRUE(drawn_timelines(root).empty());
  EXPECT_EQ(cells_without_timeline(root).size(), 4u);
  EXPECT_NE(page.find("have no <code>start_ms</code>"), std::string::npos);
  EXPECT_EQ(root.with_class("svg", "latency").size(), 3u);  // latencies are still there
}

TEST(HtmlReport, StartTimesAndStagesRoundTripThroughJson) {
  ItemResult it = item(3, 1, 50);
  it.stages = {{"metadata", 3.5, 20}, {"flag", 23.5, 30.25}};
  const auto back = nlohmann::json(it).get<ItemResult>();
  EXPECT_DOUBLE_EQ(back.start_ms.value(), *it.start_ms);
  ASSERT_EQ(back.stages.size(), 2u);
  EXPECT_EQ(back.stages[1].name, "flag");
  EXPECT_DOUBLE_EQ(back.stages[1].length_ms, 30.25);
  EXPECT_DOUBLE_EQ(end_ms(back), 53.75);  // the bar ends where the last stage does
  it.start_ms.reset();
  it.stages.clear();
  EXPECT_FALSE(nlohmann::json(it).contains("start_ms"));
  EXPECT_FALSE(nlohmann::json(it).contains("stages"));
}

TEST(HtmlReport, TwentyThousandRequestsStayUnderTwoMegabytesAndSaySampled) {
  BenchResult result;
  result.scenario = "c10k";
  result.mode = "managed";
  result.cells = {cell("async-c10k", 10000, 20000, 1000)};
  const std::string page = html_report(result);
  EXPECT_LT(page.size(), 2'000'000u);
  RecordProperty("page_bytes", std::to_string(page.size()));
  const auto timelines = drawn_timelines(parse_xml(page));
  ASSERT_EQ(timelines.size(), 1u);
  const auto& t = timelines.front();
  EXPECT_EQ(t.items, 20000u);
  EXPECT_GT(t.stride, 1u);
  EXPECT_EQ(t.bars.size(), (20000 + t.stride - 1) / t.stride);
  EXPECT_LE(t.bars.size(), kMaxTimelineBars);
  EXPECT_TRUE(t.says_sampled);
  EXPECT_TRUE(curve_within_concurrency(t));
}

// Times come from files: absurd ones draw nonsense, never undefined behaviour
// (an infinite end made a NaN column index) nor a page that does not parse.
TEST(HtmlReport, AbsurdTimesStillMakeAWellFormedPage) {
  BenchResult result = demo_like();
  auto& items = result.cells[0].repetitions[0].client->items;
  items[0].start_ms = 1e308;
  items[0].latency_ms = 1e308;
  items[1].latency_ms = -5;
  items[2].start_ms = -1e9;
  EXPECT_NO_THROW(parse_xml(html_report(result)));
  // Steps from a file, at times no run has: still drawn inside the plot.
  result.cells[1].repetitions[0].schedule = {{0, "X", {{"enabled", false}}, std::nan("")},
                                             {1, "X", {{"enabled", true}}, -1e308},
                                             {2, "X", {{"behavior", ""}}, 1e308}};
  const XmlElement page = parse_xml(html_report(result));
  for (const auto* band : page.with_class("rect", "step")) {
    const double x = std::stod(band->attribute("x")), width = std::stod(band->attribute("width"));
    EXPECT_TRUE(std::isfinite(x) && std::isfinite(width) && width >= 0) << band->attribute("x");
  }
  EXPECT_EQ(page.with_class("rect", "step").size(), 3u);
}

// A run with a schedule: one shaded band per step from its effect to the next
// step's (the last to the end), each with its label, in a page that passes
// the strict XML check.
TEST(HtmlReport, ScheduleStepsAreShadedOnTheTimelineWithTheirLabels) {
  BenchResult result = demo_like();
  Cell& c = result.cells.at(0);  // sequential, 40 items of 100 ms: 4 s
  c.repetitions.at(0).schedule = {{1000, "DELAY", {{"behavior", "50:error"}}, 1003},
                                  {2000, "DELAY", {{"enabled", false}}, 2001},
                                  {3000, "DELAY", {{"enabled", true}, {"behavior", "<&>"}}, 3002}};
  const XmlElement page = parse_xml(html_report(result));
  const auto sections = page.with_class("section", "cell");
  const XmlElement* section = nullptr;
  for (const auto* s : sections)
    if (s->attribute("data-cell") == c.key()) section = s;
  ASSERT_NE(section, nullptr);
  const auto bands = section->with_class("rect", "step");
  ASSERT_EQ(bands.size(), 3u);
  const auto labels = section->with_class("text", "step-label");
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0]->text, "DELAY behavior=50:error");
  EXPECT_EQ(labels[1]->text, "DELAY enabled=false");
  EXPECT_EQ(labels[2]->text, "DELAY behavior=<&> enabled=true");
  EXPECT_EQ(section->with_class("line", "step-marker").size(), 3u);
  // Bands follow each other: each ends where the next begins, the last at the plot's right edge.
  const auto x = [](const XmlElement* e) { return std::stod(e->attribute("x")); };
  const auto right = [&](const XmlElement* e) { return x(e) + std::stod(e->attribute("width")); };
  EXPECT_NEAR(right(bands[0]), x(bands[1]), 0.02);
  EXPECT_NEAR(right(bands[1]), x(bands[2]), 0.02);
  EXPECT_LT(x(bands[0]), x(bands[1]));
  EXPECT_EQ(bands[1]->attribute("data-applied-ms"), "2001.0");
  // Time is linear on the axis: the 1 s between the first two bands is as wide as the next.
  EXPECT_NEAR(x(bands[1]) - x(bands[0]), x(bands[2]) - x(bands[1]), 1.0);
  // Cells without a schedule draw none.
  for (const auto* s : sections)
    if (s != section) {
      EXPECT_TRUE(s->with_class("rect", "step").empty());
    }
}
