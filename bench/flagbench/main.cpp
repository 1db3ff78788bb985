// flagbench: runs YAML scenarios against the flag server, the chaos proxy and
// the three downloaders, and reports items/s against the latency bound.
#include <fmt/format.h>

#include <iostream>

#include "file_write.hpp"
#include "bench_result.hpp"
#include "child_process.hpp"
#include "html_report.hpp"
#include "cli.hpp"
#include "interrupt.hpp"
#include "peers_report.hpp"
#include "process_setup.hpp"
#include "report_table.hpp"
#include "runner.hpp"
#include "scenario.hpp"
#include "services.hpp"
#include "svg_chart.hpp"

using namespace platespin;
using namespace platespin::bench;

namespace {

int validate(const Scenario& s) {
  std::size_t cells = 0;
  for (const auto& run : s.runs) cells += run.concurrency.size();
  std::cout << fmt::format("{}: ok, scenario '{}': {} runs, {} cells, ", s.file.string(), s.name, s.runs.size(), cells)
            << (s.external() ? fmt::format("external mode ({} endpoints)\n", s.endpoints.size())
                             : fmt::format("managed mode (flag_server and {} proxy listeners)\n", s.listeners.size()));
  return 0;
}

int report(const std::string& file, const std::string& svg, const std::string& html, const std::string& compare,
           double min_ratio, bool headline) {
  try {
    // A peer comparison (bench/peers) has only tables; any other schema is read as a bench result.
    if (const auto peers = read_peers_document(file)) {
      if (!svg.empty() || !html.empty() || !compare.empty())
        throw std::runtime_error(file + ": a platespin.peers/1 document has tables only (no --svg, --html, --compare)");
      std::cout << (headline ? peers_headline_table(*peers) : peers_markdown(*peers));
      return 0;
    }
    if (headline) throw std::runtime_error(file + ": --headline is for a platespin.peers/1 document");
    const BenchResult result = read_bench_result(file);
    if (!svg.empty()) write_file_whole(svg, svg_chart(result));
    if (!html.empty()) write_file_whole(html, html_report(result));
    if (compare.empty()) {
      std::cout << markdown_table(result);
      return result.pass ? 0 : 1;
    }
    double worst = 1;
    std::cout << compare_table(result, read_bench_result(compare), worst);
    if (worst < min_ratio) {
      std::cout << fmt::format("\nREGRESSION: a run went at {:.2f}× its earlier rate, below --min-ratio {:.2f}\n",
                               worst, min_ratio);
      return 1;
    }
    return 0;
  } catch (const std::runtime_error& e) {
    std::cerr << "flagbench: " << e.what() << "\n";
    return 1;
  }
}

int micro(const std::string& out_dir, const std::string& filter, double min_time) {
  const auto exe = sibling_binary("platespin_micro");
  if (!std::filesystem::exists(exe)) {
    std::cerr << "flagbench: " << exe.string() << " was not built (build the platespin_micro target)\n";
    return 1;
  }
  std::filesystem::create_directories(out_dir);
  const auto out = std::filesystem::path(out_dir) / (result_stem("micro", utc_timestamp()) + ".json");
  std::vector<std::string> args = {"--benchmark_out=" + out.string(), "--benchmark_out_format=json",
                                   fmt::format("--benchmark_min_time={}", min_time)};
  if (!filter.empty()) args.push_back("--benchmark_filter=" + filter);
  ChildProcess child(exe, args, ChildOptions{.out = ChildOutput::ours()});
  const ChildExit exit = child.wait(std::chrono::minutes(10));
  if (exit.exit_code != 0) {
    std::cerr << "flagbench: platespin_micro failed\n";
    return 1;
  }
  std::cout << "result: " << out.string() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flagbench: run HTTP-client scenarios (YAML) against the flag server and the chaos proxy, "
               "and report items/s against the latency bound",
               "flagbench"};
  add_version_flag(app);
  app.require_subcommand(1);

  std::string scenario_file, result_file, svg, html, compare, out_dir = "results", filter;
  std::vector<std::string> only, endpoints;
  int rounds = 0, old_repeat = 0;
  double min_ratio = 0, min_time = 0.1;
  bool headline = false;

  auto* run = app.add_subcommand("run", "run a scenario and write results/<scenario>-<UTC>.json, an HTML page, an SVG and a table");
  run->add_option("scenario", scenario_file, "the scenario YAML")->required()->check(CLI::ExistingFile);
  run->add_option("--out", out_dir, "directory for the JSON and SVG results")->capture_default_str();
  run->add_option("--only", only, "run only the run of this name (repeatable)")->allow_extra_args(false);
  run->add_option("--rounds", rounds, "rounds of every run: client runs per cell (overrides the scenario's)")
      ->check(CLI::Range(1, 1000));
  run->add_option("--repeat", old_repeat, "the old name of --rounds (goes in the next release)")
      ->check(CLI::Range(1, 1000))->excludes("--rounds");
  run->add_option("--endpoint", endpoints, "LABEL=URL of a running service: external mode, nothing is started (repeatable)")
      ->allow_extra_args(false);
  run->add_option("--svg", svg, "where to write the chart (default: next to the JSON)");

  auto* val = app.add_subcommand("validate", "check a scenario without running it");
  val->add_option("scenario", scenario_file, "the scenario YAML")->required()->check(CLI::ExistingFile);
  val->add_option("--only", only, "check only the run of this name (repeatable)")->allow_extra_args(false);
  val->add_option("--endpoint", endpoints, "LABEL=URL of a running service: external mode (repeatable)")
      ->allow_extra_args(false);

  auto* rep = app.add_subcommand("report", "print the table (and the chart, the page) of a saved result, or a peer comparison's tables");
  rep->add_option("result", result_file, "a platespin.bench/1 or platespin.peers/1 JSON file")->required()->check(CLI::ExistingFile);
  rep->add_option("--svg", svg, "write the chart to this file");
  rep->add_option("--html", html, "write the page (table, charts, timelines, latency curves) to this file");
  rep->add_option("--compare", compare, "an earlier result: show each run's ratio against it")
      ->check(CLI::ExistingFile);
  rep->add_option("--min-ratio", min_ratio, "with --compare: exit 1 when a run's items/s ratio is below this")
      ->check(CLI::Range(0.0, 1000.0));
  rep->add_flag("--headline", headline, "of a platespin.peers/1 document: only its headline rows, as the README shows them");

  auto* mic = app.add_subcommand("micro", "run the Google Benchmark micro benchmarks into results/micro-<UTC>.json");
  mic->add_option("--out", out_dir, "directory for the JSON")->capture_default_str();
  mic->add_option("--filter", filter, "only benchmarks matching this regex");
  mic->add_option("--min-time", min_time, "seconds per benchmark")->check(CLI::Range(0.001, 60.0));

  if (const auto code = parse_command_line(app, argc, argv)) return *code;
  if (rep->parsed()) {
    if (min_ratio > 0 && compare.empty()) return usage_error(app, "--min-ratio needs --compare");
    return report(result_file, svg, html, compare, min_ratio, headline);
  }
  if (mic->parsed()) return micro(out_dir, filter, min_time);

  ScenarioOverrides overrides;
  overrides.only = only;
  Scenario scenario;
  try {
    for (const auto& e : endpoints) overrides.endpoints.insert(parse_endpoint_option(e));
    scenario = load_scenario(scenario_file, overrides);
  } catch (const std::invalid_argument& e) {
    return usage_error(app, e.what());
  } catch (const ConfigError& e) {
    std::cerr << "flagbench: " << e.what() << "\n";
    return 2;
  }
  for (const auto& warning : scenario.warnings) std::cerr << "flagbench: warning: " << warning << "\n";
  if (old_repeat > 0) {
    std::cerr << "flagbench: warning: --repeat is now --rounds (the old name goes in the next release)\n";
    rounds = old_repeat;
  }
  if (val->parsed()) return validate(scenario);

  raise_open_file_limit(4096);
  install_interrupt_handlers();
  RunOptions options;
  options.out_dir = out_dir;
  if (rounds > 0) options.rounds = rounds;
  options.svg_file = svg;
  return run_scenario(scenario, options);
}
