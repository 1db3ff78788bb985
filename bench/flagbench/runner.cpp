#include "runner.hpp"

#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <fstream>
#include <iostream>

#include "client_run.hpp"
#include "evaluate.hpp"
#include "interrupt.hpp"
#include "machine.hpp"
#include "report_table.hpp"
#include "result_files.hpp"
#include "services.hpp"

namespace platespin::bench {

namespace {

struct Planned {
  const RunSpec* spec;
  int rounds;
  Cell cell;
};

// Why a run cannot run here ("" when it can): an {env:NAME} it needs is unset.
std::string missing_environment(const RunSpec& run) {
  for (const auto& name : run.env_needed)
    if (const char* value = std::getenv(name.c_str()); !value || !*value)
      return name + " is not set (its command uses {env:" + name + "})";
  return "";
}


std::vector<Planned> plan(const Scenario& s, const RunOptions& o, std::vector<std::string>& skipped) {
  std::vector<Planned> cells;
  for (const auto& run : s.runs) {
    if (const auto why = missing_environment(run); !why.empty()) {
      std::cerr << "flagbench: skipping run " << run.name << ": " << why << "\n";
      skipped.push_back(run.name + ": " + why);
      continue;
    }
    for (int c : run.concurrency) {
      Cell cell;
      cell.run = run.name;
      cell.client = run.client;
      cell.result = run.result;
      cell.command = fmt::format("{}", fmt::join(run.command, " "));
      cell.server_label = run.server;
      cell.concurrency = c;
      cell.delay_s = s.mean_delay_s(run.server);
      cell.reference_items_per_s = run.reference_items_per_s;
      cell.reference_source = run.reference_source;
      cell.schedule_steps = run.schedule.size();
      cells.push_back({&run, o.rounds.value_or(run.rounds), std::move(cell)});
    }
  }
  return cells;
}

// Runs the cells round by round (all cells once, then again), so that noise
// from the machine spreads over every contender instead of hitting one.
void run_rounds(std::vector<Planned>& cells, const Services& services, const std::filesystem::path& work_dir) {
  int rounds = 0;
  for (const auto& p : cells) rounds = std::max(rounds, p.rounds);
  for (int round = 0; round < rounds; ++round) {
    for (auto& p : cells) {
      if (round >= p.rounds) continue;
      p.cell.url = services.urls.at(p.cell.server_label);
      std::cerr << fmt::format("[{}/{}] {} ({} via {}, c={}) ... ", round + 1, p.rounds, p.cell.run,
                               p.cell.client, p.cell.server_label, p.cell.concurrency)
                << std::flush;
      services.reset_proxy();
      const auto before = services.counts_of(p.cell.server_label);
      // Snapshotted after the reset, restored right after the client (the
      // destructor does it when the client throws: SIGINT, a refused step).
      std::optional<ScheduledChanges> changes;
      if (!p.spec->schedule.empty()) changes.emplace(p.spec->schedule, services.proxy_api.value());
      Repetition rep = run_client(*p.spec, p.cell.concurrency, p.cell.url, work_dir, changes ? &*changes : nullptr);
      if (changes) changes->restore();
      rep.server = services.served_since(p.cell.server_label, before);
      if (!rep.failure.empty())
        std::cerr << "FAILED: " << rep.failure << "\n";
      else if (rep.client)
        std::cerr << fmt::format("{} items/s, {} ok, {} 404, {} errors in {:.2f} s", format_rate(rep.client->items_per_s),
                                 rep.client->ok, rep.client->not_found, rep.client->error, rep.client->elapsed_s);
      else
        std::cerr << fmt::format("done in {:.2f} s", rep.wall_s);
      if (rep.failure.empty() && rep.server)
        std::cerr << fmt::format("; served {} ok, {} 404, {} errors{}", rep.server->ok(), rep.server->not_found(),
                                 rep.server->errors(), rep.overclaims() ? " (the client claims more ok than served)" : "");
      if (rep.failure.empty()) std::cerr << "\n";
      p.cell.repetitions.push_back(std::move(rep));
    }
  }
}

std::filesystem::path make_work_dir() {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("flagbench-{}", ::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

std::string result_stem(const std::string& scenario, const std::string& utc_timestamp) {
  std::string compact;
  for (char c : utc_timestamp)
    if (c != '-' && c != ':') compact += c;
  return scenario + "-" + compact;
}

int run_scenario(const Scenario& scenario, const RunOptions& options) {
  BenchResult result;
  result.scenario = scenario.name;
  result.scenario_file = scenario.file.string();
  std::ifstream in(scenario.file);
  result.scenario_yaml.assign(std::istreambuf_iterator<char>(in), {});
  result.mode = scenario.external() ? "external" : "managed";
  result.started_at = utc_timestamp();
  result.machine = machine_info();
  result.versions = version_info();
  std::vector<Planned> cells = plan(scenario, options, result.skipped);

  const auto work_dir = make_work_dir();
  struct RemoveAtExit {
    std::filesystem::path dir;
    ~RemoveAtExit() { std::filesystem::remove_all(dir); }
  } remove_work_dir{work_dir};
  try {
    Services services = start_services(scenario, work_dir);
    for (const auto& [label, url] : services.urls) std::cerr << label << ": " << url << "\n";
    run_rounds(cells, services, work_dir);
    services.stop();
  } catch (const Interrupted&) {
    std::cerr << "\nflagbench: interrupted; every child process stopped, nothing written\n";
    return 128 + interrupt_signal();
  } catch (const std::runtime_error& e) {
    std::cerr << "flagbench: " << e.what() << "\n";
    return 1;
  }
  result.finished_at = utc_timestamp();

  for (auto& p : cells) {
    evaluate(p.cell, p.spec->expect);
    result.pass = result.pass && p.cell.pass;
    result.cells.push_back(std::move(p.cell));
  }
  // Whatever happens here is printed, never thrown out of main: the table
  // goes to stdout even when no file can be written.
  ResultFiles files;
  try {
    std::filesystem::create_directories(options.out_dir);
    files = write_result_files(result, options.out_dir, result_stem(scenario.name, result.started_at), options.svg_file);
  } catch (const std::exception& e) {
    std::cerr << "flagbench: " << e.what() << "\n";
    std::cout << markdown_table(result);
    return 1;
  }
  // The page first: it is what to look at.
  std::cout << markdown_table(result) << "\npage:   " << files.html.string() << "\nresult: " << files.json.string()
            << "\nchart:  " << files.svg.string() << "\n";
  return result.pass ? 0 : 1;
}

}  // namespace platespin::bench
