// flagbench end to end: the real binary starts the real flag_server,
// chaos_proxy and clients (or finds services this test started itself).
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "bench_result.hpp"
#include "drawn_timeline.hpp"
#include "flagbench_invocation.hpp"
#include "evaluate.hpp"
#include "http.hpp"
#include "services.hpp"
#include "xml_document.hpp"

using namespace platespin;
using namespace platespin::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The one file of this extension in `dir`.
fs::path file_in(const fs::path& dir, const std::string& extension) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == extension) return entry.path();
  ADD_FAILURE() << "no " << extension << " file in " << dir;
  return {};
}

// The pids of `pid`'s children (Linux keeps the list per thread; flagbench's
// children are all started from its main thread).
std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  for (pid_t child; in >> child;) out.push_back(child);
  return out;
}

const char* kLocalScenario = R"(name: local-b
runs:
  - name: b
    client: sequential
    server: LOCAL
    concurrency: 1
    codes: [B]
    expect: {ok: 17, not_found: 9}
)";

}  // namespace

TEST(Flagbench, HelpVersionAndUsageErrors) {
  const auto dir = temp_dir("fb-cli");
  EXPECT_EQ(flagbench({"--version"}, dir).out, "flagbench " PLATESPIN_VERSION "\n");
  EXPECT_EQ(flagbench({"--help"}, dir).exit_code, 0);
  const Invocation none = flagbench({}, dir);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(std::count(none.err.begin(), none.err.end(), '\n'), 1) << none.err;
  EXPECT_EQ(flagbench({"run", (dir / "missing.yaml").string()}, dir).exit_code, 2);
  EXPECT_EQ(flagbench({"run", PLATESPIN_CONFIGS_DIR "/ci.yaml", "--only", "nope"}, dir).exit_code, 2);
}

TEST(Flagbench, ClientOverItsTimeLimitIsKilledAndFailsTheRun) {
  const auto dir = temp_dir("fb-limit");
  const auto file = write(dir, "hang.yaml", R"(name: hang
proxy:
  listeners:
    - {name: HANG, behavior: "100:hang"}
runs:
  - {name: stuck, client: async, server: HANG, concurrency: 2, codes: [BR], timeout: 60, time_limit: 0.5}
)");
  const Invocation r = flagbench({"run", file.string(), "--out", dir.string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("**FAIL** client_failures 0 (got 1)"), std::string::npos) << r.out;
  const auto rep = cell(result_in(dir), "stuck").at("repetitions").at(0);
  EXPECT_NE(rep.at("failure").get<std::string>().find("time_limit"), std::string::npos);
  EXPECT_FALSE(rep.contains("client"));
}

TEST(Flagbench, CiScenarioEndToEnd) {
  const auto dir = temp_dir("fb-ci");
  const Invocation r = flagbench({"run", PLATESPIN_CONFIGS_DIR "/ci.yaml", "--out", (dir / "results").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("| sequential-local | sequential | LOCAL | 1 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("All expectations hold."), std::string::npos);

  const auto result = result_in(dir / "results");
  EXPECT_EQ(result.at("schema"), "platespin.bench/1");
  EXPECT_EQ(result.at("scenario"), "ci");
  EXPECT_EQ(result.at("mode"), "managed");
  EXPECT_GT(result.at("machine").at("cores").get<int>(), 0);
  EXPECT_GT(result.at("machine").at("memory_kb").get<long>(), 0);
  EXPECT_EQ(result.at("versions").at("platespin"), PLATESPIN_VERSION);
  EXPECT_TRUE(result.at("pass").get<bool>());
  ASSERT_EQ(result.at("runs").size(), 4u);  // 3 runs, one of them at two concurrencies
  for (const auto& c : result.at("runs")) {
    const auto& rep = c.at("repetitions").at(0);
    EXPECT_EQ(rep.at("client").at("schema"), "platespin.result/1");
    // The client ran under the run's label (LOCAL, DELAY, ERROR), not as a bare URL.
    EXPECT_EQ(rep.at("client").at("server_label"), c.at("server_label"));
    EXPECT_GT(rep.at("cpu_s").get<double>(), 0);
    EXPECT_GT(rep.at("peak_rss_kb").get<long>(), 0);
    const auto& a = c.at("aggregate");
    EXPECT_EQ(a.at("requested").at("median").get<double>(),
              a.at("ok").at("median").get<double>() + a.at("not_found").at("median").get<double>() +
                  a.at("errors").at("median").get<double>());
  }
  const auto& local = cell(result, "sequential-local");
  EXPECT_EQ(local.at("aggregate").at("ok").at("median"), 17);
  EXPECT_EQ(local.at("aggregate").at("not_found").at("median"), 9);
  EXPECT_EQ(local.at("bound_items_per_s"), 0);  // nothing delays LOCAL
  const auto& delay = cell(result, "threadpool-delay");
  EXPECT_DOUBLE_EQ(delay.at("delay_s").get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(delay.at("bound_items_per_s").get<double>(), 4 / 0.05);
  EXPECT_EQ(cell(result, "async-errors").at("aggregate").at("requested").at("median"), 60);

  fs::path svg;
  for (const auto& entry : fs::directory_iterator(dir / "results"))
    if (entry.path().extension() == ".svg") svg = entry.path();
  ASSERT_FALSE(svg.empty());
  boost::property_tree::ptree tree;
  std::ifstream in(svg);
  EXPECT_NO_THROW(boost::property_tree::read_xml(in, tree));
  EXPECT_EQ(tree.get<std::string>("svg.<xmlattr>.xmlns"), "http://www.w3.org/2000/svg");
}

// The page of a real run: every request of every cell drawn once, from the
// clients' own start_ms; the sequential one a staircase, no curve above its c.
TEST(Flagbench, CiScenarioWritesThePageWithATimelinePerCell) {
  const auto dir = temp_dir("fb-page");
  const Invocation r = flagbench({"run", PLATESPIN_CONFIGS_DIR "/ci.yaml", "--out", (dir / "results").string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const fs::path html = file_in(dir / "results", ".html");
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(html.stem(), file_in(dir / "results", ".json").stem());  // beside the JSON, same name
  const auto page_line = r.out.find("\npage:   " + html.string() + "\n");
  EXPECT_NE(page_line, std::string::npos) << r.out;
  EXPECT_LT(page_line, r.out.find("\nresult: ")) << "the page is the first output named";

  const auto result = result_in(dir / "results");
  XmlElement page;
  ASSERT_NO_THROW(page = parse_xml(read_file(html)));
  const auto timelines = drawn_timelines(page);
  ASSERT_EQ(timelines.size(), result.at("runs").size());
  for (const auto& t : timelines) {
    const auto& c = [&]() -> const nlohmann::json& {
      for (const auto& run : result.at("runs"))
        if (run.at("run").get<std::string>() + "@" + std::to_string(run.at("concurrency").get<int>()) == t.cell)
          return run;
      throw std::runtime_error("no cell " + t.cell);
    }();
    const auto& items = c.at("repetitions").at(0).at("client").at("items");
    for (const auto& item : items) EXPECT_TRUE(item.contains("start_ms")) << t.cell;
    EXPECT_EQ(t.bars.size(), items.size()) << t.cell;
    EXPECT_EQ(t.items, items.size()) << t.cell;
    EXPECT_TRUE(curve_within_concurrency(t)) << t.cell;
    if (c.at("client") == "sequential") {
      EXPECT_TRUE(bars_do_not_overlap(t)) << t.cell;
    }
  }
}

TEST(Flagbench, FailingExpectationExitsOne) {
  const auto dir = temp_dir("fb-fail");
  std::string text = kLocalScenario;
  text.replace(text.find("ok: 17"), 6, "ok: 18");
  const Invocation r = flagbench({"run", write(dir, "s.yaml", text).string(), "--out", dir.string()}, dir);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("**FAIL** ok 18 (got 17)"), std::string::npos) << r.out;
  EXPECT_FALSE(result_in(dir).at("pass").get<bool>());
}

TEST(Flagbench, ScenarioMistakesExitTwoWithTheirLine) {
  const auto dir = temp_dir("fb-mistakes");
  const std::vector<std::pair<std::string, std::string>> mistakes = {
      {"    codes: [B]\n", "    codes: [B]\n    colour: red\n"},   // unknown key
      {"concurrency: 1", "concurrency: lots"},                        // wrong type
      {"server: LOCAL", "server: DELAY"},                             // no such listener
      {"concurrency: 1", "concurrency: []"},                          // empty matrix
  };
  for (const auto& [from, to] : mistakes) {
    std::string text = kLocalScenario;
    text.replace(text.find(from), from.size(), to);
    const auto file = write(dir, "bad.yaml", text);
    for (const char* command : {"validate", "run"}) {
      const Invocation r = flagbench({command, file.string()}, dir);
      EXPECT_EQ(r.exit_code, 2) << to;
      EXPECT_EQ(r.err.rfind("flagbench: " + file.string() + ":", 0), 0u) << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
  }
  const Invocation ok = flagbench({"validate", write(dir, "good.yaml", kLocalScenario).string()}, dir);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_NE(ok.out.find("1 runs, 1 cells, managed mode"), std::string::npos) << ok.out;
}

TEST(Flagbench, SigintMidRunLeavesNoChildProcess) {
  const auto dir = temp_dir("fb-sigint");
  const auto file = write(dir, "slow.yaml", R"(name: slow
proxy:
  listeners:
    - {name: DELAY, behavior: "100:delay", delay: 5}
runs:
  - {name: slow, client: sequential, server: DELAY, concurrency: 1, codes: every, limit: 20}
)");
  ChildProcess bench(binary("flagbench"), {"run", file.string(), "--out", dir.string()},
                     ChildOptions{.err = ChildOutput::into(dir / "stderr"), .working_dir = dir});
  // Server, proxy and client: wait until all three run.
  std::vector<pid_t> children;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (children.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    children = children_of(bench.pid());
  }
  ASSERT_EQ(children.size(), 3u) << read_file(dir / "stderr");
  bench.signal(SIGINT);
  const ChildExit exit = bench.wait(30s);
  EXPECT_EQ(exit.exit_code, 128 + SIGINT) << read_file(dir / "stderr");
  for (pid_t child : children) {
    errno = 0;
    EXPECT_EQ(::kill(child, 0), -1) << "child " << child << " outlived flagbench";
    EXPECT_EQ(errno, ESRCH);
  }
  EXPECT_NE(read_file(dir / "stderr").find("interrupted"), std::string::npos);
}

TEST(Flagbench, ExternalModeUsesRunningServicesAndStartsNone) {
  const auto dir = temp_dir("fb-external");
  Service server = start_flag_server();
  const std::string url = server.url(0, "/flags");
  const Invocation r = flagbench({"run", write(dir, "s.yaml", kLocalScenario).string(), "--endpoint", "LOCAL=" + url,
                           "--out", dir.string()},
                          dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  EXPECT_EQ(result.at("mode"), "external");
  EXPECT_EQ(cell(result, "b").at("url"), url);
  EXPECT_EQ(cell(result, "b").at("aggregate").at("ok").at("median"), 17);
  EXPECT_EQ(r.err.find("flag_server"), std::string::npos) << r.err;
}

TEST(Flagbench, ReportAndCompare) {
  const auto dir = temp_dir("fb-report");
  const auto make = [&](const std::string& name, double rate) {
    bench::BenchResult r;
    r.scenario = "demo";
    r.mode = "managed";
    r.started_at = "2026-11-25T14:30:00Z";
    bench::Cell c;
    c.run = "async";
    c.client = "async";
    c.server_label = "DELAY";
    c.concurrency = 100;
    c.delay_s = 0.5;
    bench::Repetition rep;
    ClientResult cr;
    cr.items_per_s = rate;
    cr.requested = cr.ok = 676;
    rep.client = cr;
    c.repetitions = {rep};
    bench::evaluate(c, {});
    r.cells = {c};
    return write(dir, name, nlohmann::json(r).dump());
  };
  const auto now = make("now.json", 150), before = make("before.json", 180);

  const Invocation table = flagbench({"report", now.string(), "--svg", (dir / "chart.svg").string()}, dir);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| async | async | DELAY | 100 | 150 |"), std::string::npos) << table.out;
  EXPECT_NE(read_file(dir / "chart.svg").find("</svg>"), std::string::npos);

  const Invocation compare = flagbench({"report", now.string(), "--compare", before.string()}, dir);
  EXPECT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.out.find("| async | 100 | 150 | 180 | 0.83× |"), std::string::npos) << compare.out;
  EXPECT_EQ(flagbench({"report", now.string(), "--compare", before.string(), "--min-ratio", "0.9"}, dir).exit_code, 1);
  EXPECT_EQ(flagbench({"report", now.string(), "--compare", before.string(), "--min-ratio", "0.8"}, dir).exit_code, 0);
  EXPECT_EQ(flagbench({"report", now.string(), "--min-ratio", "0.8"}, dir).exit_code, 2);
  EXPECT_EQ(flagbench({"report", write(dir, "junk.json", "{\"schema\": 1}").string()}, dir).exit_code, 1);
}

// A saved result redrawn as a page; one whose items have no start_ms (an
// older file) too, with its timelines left out and a note in their place.
TEST(Flagbench, ReportRedrawsThePageAndToleratesResultsWithoutStartTimes) {
  const auto dir = temp_dir("fb-report-html");
  const auto make = [&](const std::string& name, bool with_start) {
    bench::BenchResult r;
    r.scenario = "old";
    r.mode = "managed";
    r.started_at = "2026-11-25T14:30:00Z";
    bench::Cell c;
    c.run = "sequential";
    c.client = "sequential";
    c.server_label = "LOCAL";
    bench::Repetition rep;
    ClientResult cr;
    for (int i = 0; i < 26; ++i) {
      ItemResult item;
      item.cc = std::string("B") + static_cast<char>('A' + i);
      item.outcome = i % 3 ? Outcome::ok : Outcome::not_found;
      item.latency_ms = 2;
      item.attempts = 1;
      if (with_start) item.start_ms = 3.0 * i;
      cr.items.push_back(item);
    }
    cr.elapsed_s = 0.08;
    cr.tally();
    rep.client = cr;
    c.repetitions = {rep};
    bench::evaluate(c, {});
    r.cells = {c};
    nlohmann::json j = r;
    if (!with_start) {
      for (auto& item : j["runs"][0]["repetitions"][0]["client"]["items"]) EXPECT_FALSE(item.contains("start_ms"));
    }
    return write(dir, name, j.dump());
  };
  for (const bool with_start : {true, false}) {
    const auto file = make(with_start ? "new.json" : "old.json", with_start);
    const auto html = dir / (with_start ? "new.html" : "old.html");
    const Invocation r = flagbench({"report", file.string(), "--html", html.string()}, dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("| sequential | sequential | LOCAL | 1 |"), std::string::npos) << r.out;
    XmlElement page;
    ASSERT_NO_THROW(page = parse_xml(read_file(html))) << html;
    const auto timelines = drawn_timelines(page);
    if (with_start) {
      ASSERT_EQ(timelines.size(), 1u);
      EXPECT_EQ(timelines.front().bars.size(), 26u);
      EXPECT_TRUE(bars_do_not_overlap(timelines.front()));
    } else {
      EXPECT_TRUE(timelines.empty());
      EXPECT_EQ(cells_without_timeline(page), std::vector<std::string>{"sequential@1"});
      EXPECT_NE(read_file(html).find("no <code>start_ms</code>"), std::string::npos);
    }
  }
}

namespace {

fs::path on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string d; std::getline(dirs, d, ':');)
    if (!d.empty() && ::access((fs::path(d) / name).c_str(), X_OK) == 0) return fs::path(d) / name;
  return {};
}

// Headless Chromium's screenshot of a page (TOOLCHAIN.md's command line).
std::uintmax_t screenshot_bytes(const fs::path& chromium, const fs::path& page, const fs::path& png) {
  ChildProcess p(chromium, {"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--window-size=1280,2000", "--screenshot=" + png.string(), "file://" + page.string()},
                 ChildOptions{.err = ChildOutput::into(png.string() + ".stderr"), .working_dir = png.parent_path()});
  p.read_rest(90s);
  EXPECT_EQ(p.wait(30s).exit_code, 0) << read_file(png.string() + ".stderr");
  return fs::exists(png) ? fs::file_size(png) : 0;
}

}  // namespace

// A browser draws the page: the screenshot carries far more than a blank
// page's (a blank 1280×2000 PNG compresses to a few kilobytes).
TEST(Flagbench, ChromiumDrawsThePage) {
  const fs::path chromium = on_path("chromium");
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install --no-install-recommends chromium)";
  const auto dir = temp_dir("fb-chromium");
  const Invocation r = flagbench({"run", PLATESPIN_CONFIGS_DIR "/ci.yaml", "--out", (dir / "results").string(),
                                  "--only", "threadpool-delay"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto blank = write(dir, "blank.html", "<!DOCTYPE html><html><body></body></html>");
  const auto blank_bytes = screenshot_bytes(chromium, blank, dir / "blank.png");
  const auto page_bytes = screenshot_bytes(chromium, file_in(dir / "results", ".html"), dir / "page.png");
  ASSERT_GT(blank_bytes, 0u);
  EXPECT_GT(page_bytes, 10 * blank_bytes) << "blank " << blank_bytes << " bytes, page " << page_bytes << " bytes";
  RecordProperty("screenshot_bytes", std::to_string(page_bytes));
}

TEST(Flagbench, MicroWritesGoogleBenchmarkJson) {
  if (!fs::exists(binary("platespin_micro"))) GTEST_SKIP() << "platespin_micro is not built";
  const auto dir = temp_dir("fb-micro");
  const Invocation r = flagbench(
      {"micro", "--out", (dir / "results").string(), "--filter", "BM_SeededDecision$", "--min-time", "0.01"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = result_in(dir / "results");
  ASSERT_EQ(result.at("benchmarks").size(), 1u);
  EXPECT_EQ(result.at("benchmarks")[0].at("name"), "BM_SeededDecision");
  EXPECT_GT(result.at("benchmarks")[0].at("iterations").get<long>(), 0);
}

TEST(Flagbench, ExternalModeResetsTheGivenProxyApiSoSeededCountsRepeat) {
  const auto dir = temp_dir("fb-external-api");
  Service server = start_flag_server();
  const auto proxy_config = write(dir, "proxies.yaml",
                                  "backend: 127.0.0.1:" + std::to_string(server.port()) +
                                      "\napi: 127.0.0.1:0\nseed: 3\nlisteners:\n"
                                      "  - {name: ERROR, listen: \"127.0.0.1:0\", behavior: \"50:error\"}\n");
  Service proxy = start_service("chaos_proxy", {"--config", proxy_config.string()}, 2);  // ERROR, then the API
  const auto scenario = write(dir, "s.yaml",
                              "name: ext\nproxy_api: 127.0.0.1:" + std::to_string(proxy.port(1)) +
                                  "\nruns:\n  - {name: e, client: async, server: ERROR, concurrency: 10, codes: [B, C],"
                                  " rounds: 3}\n");
  const Invocation r = flagbench(
      {"run", scenario.string(), "--endpoint", "ERROR=" + proxy.url(0, "/flags"), "--out", dir.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  const auto& errors = cell(result, "e").at("aggregate").at("errors");
  EXPECT_GT(errors.at("min").get<double>(), 0);
  EXPECT_EQ(errors.at("min"), errors.at("max"));  // the same URLs failed in every repetition
}

TEST(Flagbench, ValidateRefusesNotANumberInfinityControlCharactersAndNonUtf8) {
  const auto dir = temp_dir("fb-refused");
  const std::vector<std::pair<std::string, std::string>> mistakes = {
      {"expect: {ok: 17, not_found: 9}", "expect: {items_per_s_min: .nan}"},  // NaN: every comparison false
      {"expect: {ok: 17, not_found: 9}", "expect: {items_per_s_max: .inf}"},
      {"    concurrency: 1\n", "    concurrency: 1\n    timeout: .NaN\n"},
      {"  - name: b\n", "  - name: \"b\\nok\"\n"},                             // a newline in a run name
      {"  - name: b\n", "  - name: \"b\\tc\"\n"},
      {"  - name: b\n", "  - name: b\xff\n"},                                  // not UTF-8
  };
  for (const auto& [from, to] : mistakes) {
    std::string text = kLocalScenario;
    text.replace(text.find(from), from.size(), to);
    const auto file = write(dir, "bad.yaml", text);
    const Invocation r = flagbench({"validate", file.string()}, dir);
    EXPECT_EQ(r.exit_code, 2) << to;
    EXPECT_EQ(r.err.rfind("flagbench: " + file.string() + ":", 0), 0u) << r.err;  // FILE:LINE:COL
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(Flagbench, ValidatesFortyThousandRunsInLinearTime) {
  const auto dir = temp_dir("fb-many");
  std::string text = "name: many\nruns:\n";
  for (int i = 0; i < 40'000; ++i)
    text += "  - {name: run-" + std::to_string(i) + ", client: async, server: LOCAL, concurrency: 1, codes: [B]}\n";
  const auto file = write(dir, "many.yaml", text);
  const auto start = std::chrono::steady_clock::now();
  const Invocation r = flagbench({"validate", file.string()}, dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("40000 runs"), std::string::npos) << r.out;
  // About 4 s in a debug build, under 1 s in a release build: a generous
  // bound (scenario_test.cpp checks the growth itself).
  EXPECT_LT(seconds, 60.0);
}

TEST(Flagbench, AResultWithBytesThatAreNotUtf8IsStillWritten) {
  const auto dir = temp_dir("fb-utf8");
  // A comment is no value, so validation lets it through; the result keeps
  // the scenario's text, and dumping that text used to throw after the run.
  const auto file = write(dir, "latin1.yaml", std::string("# caf\xe9, in Latin-1\n") + kLocalScenario);
  const Invocation r = flagbench({"run", file.string(), "--out", (dir / "out").string()}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto result = result_in(dir / "out");
  EXPECT_NE(result.value("scenario_yaml", "").find("caf\xef\xbf\xbd,"), std::string::npos);  // U+FFFD
}

// `report` on a peer comparison (bench/peers) prints its tables; a malformed one is one
// line on stderr and exit 1.
TEST(Flagbench, ReportRendersAPeersDocument) {
  const auto dir = temp_dir("fb-report-peers");
  const auto peers = write(dir, "peers.json", R"({"schema": "platespin.peers/1", "command": "c",
    "started_at": "2026-12-01T17:29:00Z", "comparisons": [{"name": "n", "title": "flag_server against nginx",
    "setup": "s", "rows": [{"measure": "keep-alive", "unit": "req/s", "ours": "flag_server", "ours_value": 2,
    "peer": "nginx", "peer_value": 1, "ratio": 2, "rounds": [{"ours": 2, "peer": 1}]}]}]})");
  const Invocation table = flagbench({"report", peers.string()}, dir);
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| keep-alive | req/s | flag_server | 2.00 | nginx | 1.00 | 2.00× |"), std::string::npos)
      << table.out;
  EXPECT_EQ(flagbench({"report", peers.string(), "--html", (dir / "p.html").string()}, dir).exit_code, 1);

  const auto broken = write(dir, "broken.json", R"({"schema": "platespin.peers/1", "command": "c",
    "started_at": "x", "comparisons": [{"name": "n", "title": "t", "setup": "s", "rows": [{"unit": "req/s"}]}]})");
  const Invocation error = flagbench({"report", broken.string()}, dir);
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_EQ(error.err, "flagbench: " + broken.string() + ": comparisons[0].rows[0]: missing \"measure\"\n");
  EXPECT_EQ(error.out, "");
}

namespace {

// flag_server and a chaos_proxy with one listener FLAKY in front of it (a
// 10 ms latency toxic paces a sequential client) and the API, for external mode.
struct FlakyProxy {
  Service server = start_flag_server();
  Service proxy;
  FlakyProxy(const fs::path& dir) {
    const auto config = write(dir, "proxies.yaml",
                              "backend: 127.0.0.1:" + std::to_string(server.port()) +
                                  "\napi: 127.0.0.1:0\nlisteners:\n"
                                  "  - name: FLAKY\n    listen: \"127.0.0.1:0\"\n    behavior: \"\"\n"
                                  "    toxics: [{type: latency, attributes: {latency: 10}}]\n");
    proxy = start_service("chaos_proxy", {"--config", config.string()}, 2);  // FLAKY, then the API
  }
  std::string scenario_head() const {
    return "name: sched\nproxy_api: 127.0.0.1:" + std::to_string(proxy.port(1)) + "\nruns:\n";
  }
  std::vector<std::string> endpoint() const { return {"--endpoint", "FLAKY=" + proxy.url(0, "/flags")}; }
  // What PUT /proxies/FLAKY could change, as GET says it now.
  nlohmann::json listener() const {
    auto j = nlohmann::json::parse(http_request(proxy.port(1), "GET", "/proxies/FLAKY").body);
    j.erase("counters");
    return j;
  }
};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

// Each step is applied within 50 ms of its time, by flagbench's record and by
// what the client saw: a sequential client paced at about 11 ms a request
// meets errors from the first step and none after the second, and the
// requests it made meanwhile (its own clock) span the steps' interval. The
// client's clock starts when its process is set up, a little after
// flagbench's: at most wall_s - elapsed_s earlier than flagbench's record.
TEST(Flagbench, ScheduleStepsTakeEffectWithinFiftyMillisecondsOfTheirTime) {
  const auto dir = temp_dir("fb-schedule");
  FlakyProxy services(dir);
  const auto scenario = write(dir, "s.yaml", services.scenario_head() + R"(  - name: s
    client: sequential
    server: FLAKY
    concurrency: 1
    codes: every
    limit: 110
    schedule:
      - {at: 0.4, listener: FLAKY, set: {behavior: "100:error"}}
      - {at: 0.8, listener: FLAKY, set: {behavior: ""}}
    expect: {recovered_within_s: 0.5}
)");
  const Invocation r = flagbench(concat({"run", scenario.string(), "--out", dir.string()}, services.endpoint()), dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  const auto& rep = cell(result, "s").at("repetitions").at(0);
  const auto& steps = rep.at("schedule");
  ASSERT_EQ(steps.size(), 2u) << rep.dump();
  for (const auto& step : steps) {
    const double late = step.at("applied_ms").get<double>() - step.at("at_ms").get<double>();
    EXPECT_GE(late, 0) << step;
    EXPECT_LE(late, 50) << step;
  }
  EXPECT_EQ(steps[0].at("set"), nlohmann::json({{"behavior", "100:error"}}));

  // The client's view: the first and last error, and the longest gap between two requests.
  const auto& items = rep.at("client").at("items");
  double first_error = -1, last_error = -1, last_start = 0, gap = 0;
  for (const auto& item : items) {
    const double start = item.at("start_ms").get<double>();
    EXPECT_GE(start, last_start);  // one at a time, in order
    gap = std::max(gap, start - last_start);
    last_start = start;
    if (item.at("outcome") != "error") continue;
    if (first_error < 0) first_error = start;
    last_error = start;
  }
  ASSERT_GE(first_error, 0) << "the first step never reached the proxy";
  // Each bound below widens by the longest gap between two requests, so a
  // client stalled by a loaded machine (55 ms once in CI) weakens the check
  // instead of failing it.
  const double offset = (rep.at("wall_s").get<double>() - rep.at("client").at("elapsed_s").get<double>()) * 1000;
  EXPECT_GE(first_error, 400 - offset - gap) << "errors came before the step was due";
  EXPECT_LE(first_error, 400 + 50 + gap) << "the first step came late";
  EXPECT_GE(last_error, 800 - offset - gap) << "the second step came early";
  EXPECT_LE(last_error, 800 + 50) << "errors went on after the second step was due";
  // Once healthy again, the next request succeeded: recovered within a request's time.
  const auto& verdict = cell(result, "s").at("expectations").at(0);
  EXPECT_EQ(verdict.at("expectation"), "recovered_within_s");
  EXPECT_LE(verdict.at("observed").get<double>(), std::max(0.05, gap / 1000));
  // The proxy counted as many errors as requests started within the window.
  const auto counters = nlohmann::json::parse(http_request(services.proxy.port(1), "GET", "/proxies/FLAKY").body)
                            .at("counters");
  std::size_t errors_seen = 0;
  for (const auto& item : items) errors_seen += item.at("outcome") == "error" ? 1 : 0;
  EXPECT_EQ(counters.at("by_behavior").value("error", 0u), errors_seen);
}

// Whatever the steps set, the listener is as it was before once the run is
// over: after a client that finished, and after one killed over its time limit
// while a step had it hang. The killed client's first requests may beat the
// step at 0 s; even then, 100 requests of at least 10 ms each outlast its
// 0.6 s limit.
TEST(Flagbench, ScheduleRestoresTheListenersItChangedAfterTheRun) {
  const auto dir = temp_dir("fb-schedule-restore");
  FlakyProxy services(dir);
  const nlohmann::json before = services.listener();
  const auto scenario = write(dir, "s.yaml", services.scenario_head() + R"(  - name: done
    client: sequential
    server: FLAKY
    concurrency: 1
    codes: every
    limit: 40
    schedule:
      - {at: 0, listener: FLAKY, set: {behavior: "30:delay", delay: 0.01, max_connections: 50}}
      - {at: 0.05, listener: FLAKY, set: {toxics: [{type: latency, attributes: {latency: 20}}]}}
      - {at: 0.1, listener: FLAKY, set: {enabled: false}}
  - name: killed
    client: sequential
    server: FLAKY
    concurrency: 1
    codes: every
    limit: 100
    time_limit: 0.6
    timeout: 30
    schedule:
      - {at: 0, listener: FLAKY, set: {behavior: "100:hang", toxics: [{type: latency, attributes: {latency: 20}}]}}
)");
  const Invocation r = flagbench(concat({"run", scenario.string(), "--out", dir.string()}, services.endpoint()), dir);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the killed one fails its run
  EXPECT_NE(r.out.find("client_failures"), std::string::npos) << r.out;
  const auto result = result_in(dir);
  EXPECT_EQ(cell(result, "done").at("repetitions").at(0).at("schedule").size(), 3u);
  EXPECT_EQ(cell(result, "killed").at("repetitions").at(0).at("schedule").size(), 1u);
  EXPECT_EQ(services.listener(), before);
  EXPECT_EQ(before.at("behavior"), "");
}

TEST(Flagbench, BadScheduleStepsExitTwoWithTheirLine) {
  const auto dir = temp_dir("fb-schedule-bad");
  const std::string good = R"(name: bad
proxy:
  listeners:
    - {name: FLAKY}
runs:
  - name: s
    client: sequential
    server: FLAKY
    concurrency: 1
    codes: [B]
    schedule:
      - {at: 0.1, listener: FLAKY, set: {behavior: "50:error"}}
)";
  const std::vector<std::pair<std::string, std::string>> mistakes = {
      {"listener: FLAKY", "listener: SLOW"},                   // unknown listener
      {"set: {behavior", "set: {behaviour"},                   // a key the API refuses
      {"\"50:error\"", "\"50:eror\""},                         // a value it refuses
      {"at: 0.1", "at: soon"},                                 // not a time
  };
  const std::vector<std::string> where = {":12:29: unknown listener 'SLOW'", ":12:42: the control API would refuse",
                                          ":12:52: the control API would refuse", ":12:14: 'at' must be"};
  for (std::size_t i = 0; i < mistakes.size(); ++i) {
    std::string text = good;
    text.replace(text.find(mistakes[i].first), mistakes[i].first.size(), mistakes[i].second);
    const auto file = write(dir, "bad.yaml", text);
    for (const char* command : {"validate", "run"}) {
      const Invocation r = flagbench({command, file.string()}, dir);
      EXPECT_EQ(r.exit_code, 2) << mistakes[i].second;
      EXPECT_EQ(r.err.rfind("flagbench: " + file.string() + where[i], 0), 0u) << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
  }
  EXPECT_EQ(flagbench({"validate", write(dir, "good.yaml", good).string()}, dir).exit_code, 0);
}

// SIGINT while a step has the listener hang: flagbench stops the client and
// still puts the listener back before it exits. The client has 676 requests of
// at least 10 ms each, so it is still running whether or not its first ones
// beat the step.
TEST(Flagbench, ScheduleRestoresTheListenerWhenFlagbenchIsInterrupted) {
  const auto dir = temp_dir("fb-schedule-sigint");
  FlakyProxy services(dir);
  const nlohmann::json before = services.listener();
  const auto scenario = write(dir, "s.yaml", services.scenario_head() + R"(  - name: stuck
    client: sequential
    server: FLAKY
    concurrency: 1
    codes: every
    timeout: 60
    schedule:
      - {at: 0, listener: FLAKY, set: {behavior: "100:hang", delay: 3}}
)");
  ChildProcess bench(binary("flagbench"), concat({"run", scenario.string(), "--out", dir.string()}, services.endpoint()),
                     ChildOptions{.err = ChildOutput::into(dir / "stderr"), .working_dir = dir});
  // Until the step is in place (the proxy says so), then interrupt.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (services.listener().at("behavior") != "100:hang" && bench.running() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(services.listener().at("behavior"), "100:hang") << read_file(dir / "stderr");
  bench.signal(SIGINT);
  EXPECT_EQ(bench.wait(30s).exit_code, 128 + SIGINT) << read_file(dir / "stderr");
  EXPECT_EQ(services.listener(), before);
}

// configs/recovery.yaml: each client through errors, a blackout and back,
// with the exact counts it expects.
TEST(Flagbench, RecoveryScenarioCountsAreExactAndEveryClientRecovers) {
  const auto dir = temp_dir("fb-recovery");
  const Invocation r = flagbench({"run", PLATESPIN_CONFIGS_DIR "/recovery.yaml", "--out", dir.string()}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto result = result_in(dir);
  for (const char* run : {"sequential", "threadpool", "async"}) {
    const auto& rep = cell(result, run).at("repetitions").at(0);
    EXPECT_EQ(rep.at("schedule").size(), 4u) << run;
    std::size_t retried = 0;
    for (const auto& item : rep.at("client").at("items")) retried += item.at("attempts").get<int>() > 1 ? 1 : 0;
    EXPECT_GT(retried, 0u) << run << ": the faults hit nothing";
  }
}
