#include "bench_result.hpp"

#include <fstream>
#include <stdexcept>

#include "json_whole_number.hpp"

namespace platespin::bench {

void to_json(nlohmann::json& j, const StepEffect& s) {
  j = {{"at_ms", s.at_ms}, {"listener", s.listener}, {"set", s.set}, {"applied_ms", s.applied_ms}};
}

void from_json(const nlohmann::json& j, StepEffect& s) {
  j.at("at_ms").get_to(s.at_ms);
  j.at("listener").get_to(s.listener);
  s.set = j.value("set", nlohmann::json::object());
  j.at("applied_ms").get_to(s.applied_ms);
}

void to_json(nlohmann::json& j, const Repetition& r) {
  j = {{"exit_code", r.exit_code}, {"wall_s", r.wall_s}, {"cpu_s", r.cpu_s}, {"peak_rss_kb", r.peak_rss_kb}};
  if (r.client) j["client"] = *r.client;
  if (!r.failure.empty()) j["failure"] = r.failure;
  if (r.server) {
    j["server"] = *r.server;
    j["overclaims"] = r.overclaims();
  }
  if (!r.schedule.empty()) j["schedule"] = r.schedule;
}

void from_json(const nlohmann::json& j, Repetition& r) {
  whole_number_at(j, "exit_code", r.exit_code);
  j.at("wall_s").get_to(r.wall_s);
  j.at("cpu_s").get_to(r.cpu_s);
  whole_number_at(j, "peak_rss_kb", r.peak_rss_kb);
  if (j.contains("client")) r.client = j.at("client").get<ClientResult>();
  r.failure = j.value("failure", "");
  if (j.contains("server")) r.server = j.at("server").get<ServerCounts>();
  if (j.contains("schedule")) j.at("schedule").get_to(r.schedule);
}

void to_json(nlohmann::json& j, const Cell& c) {
  const Aggregate& a = c.aggregate;
  j = {{"run", c.run},
       {"client", c.client},
       {"server_label", c.server_label},
       {"url", c.url},
       {"concurrency", c.concurrency},
       {"delay_s", c.delay_s},
       {"bound_items_per_s", c.bound_items_per_s},
       {"efficiency", c.efficiency()},
       {"aggregate",
        {{"repetitions", a.repetitions}, {"items_per_s", a.items_per_s}, {"elapsed_s", a.elapsed_s},
         {"p50_ms", a.p50_ms}, {"p99_ms", a.p99_ms}, {"cpu_s", a.cpu_s}, {"peak_rss_kb", a.peak_rss_kb},
         {"requested", a.requested}, {"ok", a.ok}, {"not_found", a.not_found}, {"errors", a.errors}}},
       {"expectations", nlohmann::json::array()},
       {"pass", c.pass},
       {"result", c.result},
       {"repetitions", c.repetitions}};
  if (!c.command.empty()) j["command"] = c.command;
  if (a.server_repetitions > 0)
    j["aggregate"]["server"] = {{"repetitions", a.server_repetitions},
                                {"ok", a.server_ok},
                                {"not_found", a.server_not_found},
                                {"errors", a.server_errors}};
  if (c.schedule_steps > 0) j["schedule_steps"] = c.schedule_steps;
  if (c.reference_items_per_s)
    j["reference"] = {{"items_per_s", *c.reference_items_per_s}, {"source", c.reference_source}};
  for (const auto& v : c.verdicts)
    j["expectations"].push_back(
        {{"expectation", v.expectation}, {"limit", v.limit}, {"observed", v.observed}, {"pass", v.pass}});
}

void from_json(const nlohmann::json& j, Cell& c) {
  j.at("run").get_to(c.run);
  j.at("client").get_to(c.client);
  j.at("server_label").get_to(c.server_label);
  j.at("url").get_to(c.url);
  whole_number_at(j, "concurrency", c.concurrency);
  j.at("delay_s").get_to(c.delay_s);
  j.at("bound_items_per_s").get_to(c.bound_items_per_s);
  c.schedule_steps = j.value("schedule_steps", std::size_t{0});
  if (j.contains("reference")) {
    c.reference_items_per_s = j["reference"].at("items_per_s").get<double>();
    c.reference_source = j["reference"].value("source", "");
  }
  const auto& a = j.at("aggregate");
  whole_number_at(a, "repetitions", c.aggregate.repetitions);
  a.at("items_per_s").get_to(c.aggregate.items_per_s);
  a.at("elapsed_s").get_to(c.aggregate.elapsed_s);
  a.at("p50_ms").get_to(c.aggregate.p50_ms);
  a.at("p99_ms").get_to(c.aggregate.p99_ms);
  a.at("cpu_s").get_to(c.aggregate.cpu_s);
  a.at("peak_rss_kb").get_to(c.aggregate.peak_rss_kb);
  a.at("requested").get_to(c.aggregate.requested);
  a.at("ok").get_to(c.aggregate.ok);
  a.at("not_found").get_to(c.aggregate.not_found);
  a.at("errors").get_to(c.aggregate.errors);
  for (const auto& v : j.at("expectations"))
    c.verdicts.push_back({v.at("expectation").get<std::string>(), v.at("limit").get<double>(),
                          v.at("observed").get<double>(), v.at("pass").get<bool>()});
  j.at("pass").get_to(c.pass);
  j.at("repetitions").get_to(c.repetitions);
  c.result = j.value("result", "platespin");
  c.command = j.value("command", "");
  if (a.contains("server")) {
    const auto& server = a.at("server");
    whole_number_at(server, "repetitions", c.aggregate.server_repetitions);
    server.at("ok").get_to(c.aggregate.server_ok);
    server.at("not_found").get_to(c.aggregate.server_not_found);
    server.at("errors").get_to(c.aggregate.server_errors);
  }
}

void to_json(nlohmann::json& j, const BenchResult& r) {
  j = {{"schema", kBenchSchema}, {"scenario", r.scenario}, {"scenario_file", r.scenario_file},
       {"scenario_yaml", r.scenario_yaml},
       {"mode", r.mode},         {"started_at", r.started_at}, {"finished_at", r.finished_at},
       {"machine", r.machine},   {"versions", r.versions},     {"pass", r.pass},
       {"runs", r.cells}};
  if (!r.skipped.empty()) j["skipped"] = r.skipped;
}

void from_json(const nlohmann::json& j, BenchResult& r) {
  if (j.value("schema", "") != kBenchSchema)
    throw std::invalid_argument(std::string("not a ") + kBenchSchema + " document");
  j.at("scenario").get_to(r.scenario);
  r.scenario_file = j.value("scenario_file", "");
  r.scenario_yaml = j.value("scenario_yaml", "");
  j.at("mode").get_to(r.mode);
  j.at("started_at").get_to(r.started_at);
  r.finished_at = j.value("finished_at", "");
  r.machine = j.value("machine", nlohmann::json::object());
  r.versions = j.value("versions", nlohmann::json::object());
  j.at("pass").get_to(r.pass);
  j.at("runs").get_to(r.cells);
  r.skipped = j.value("skipped", std::vector<std::string>{});
}

BenchResult read_bench_result(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  try {
    return nlohmann::json::parse(in).get<BenchResult>();
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace platespin::bench
