#include "result.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

#include "json_whole_number.hpp"

namespace platespin {

void ClientResult::tally() {
  ok = not_found = error = 0;
  bytes = 0;
  errors_by_kind.clear();
  std::vector<double> latencies;
  for (const auto& item : items) {
    switch (item.outcome) {
      case Outcome::ok: ++ok; break;
      case Outcome::not_found: ++not_found; break;
      case Outcome::error: ++error; ++errors_by_kind[item.error_kind]; break;
    }
    bytes += item.bytes;
    latencies.push_back(item.latency_ms);
  }
  requested = items.size();
  latency_ms = summarize(std::move(latencies));
  items_per_s = elapsed_s > 0 ? static_cast<double>(requested) / elapsed_s : 0;
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::not_found: return "not_found";
    case Outcome::error: return "error";
  }
  return "error";
}

Outcome outcome_from_string(const std::string& text) {
  if (text == "ok") return Outcome::ok;
  if (text == "not_found") return Outcome::not_found;
  if (text == "error") return Outcome::error;
  throw std::invalid_argument("unknown outcome '" + text + "'");
}

void to_json(nlohmann::json& j, const ItemResult& item) {
  j = {{"cc", item.cc},       {"status", item.status},         {"outcome", to_string(item.outcome)},
       {"bytes", item.bytes}, {"latency_ms", item.latency_ms}, {"attempts", item.attempts}};
  if (item.start_ms) j["start_ms"] = *item.start_ms;
  for (const auto& stage : item.stages)
    j["stages"].push_back({{"name", stage.name}, {"start_ms", stage.start_ms}, {"length_ms", stage.length_ms}});
  if (item.outcome == Outcome::error) {
    j["error_kind"] = item.error_kind;
    j["detail"] = item.detail;
  }
}

void from_json(const nlohmann::json& j, ItemResult& item) {
  j.at("cc").get_to(item.cc);
  whole_number_at(j, "status", item.status);
  item.outcome = outcome_from_string(j.at("outcome").get<std::string>());
  whole_number_at(j, "bytes", item.bytes);
  j.at("latency_ms").get_to(item.latency_ms);
  whole_number_at(j, "attempts", item.attempts);
  item.error_kind = j.value("error_kind", "");
  item.detail = j.value("detail", "");
  item.start_ms.reset();
  if (j.contains("start_ms")) item.start_ms = j.at("start_ms").get<double>();
  item.stages.clear();
  if (j.contains("stages"))
    for (const auto& stage : j.at("stages"))
      item.stages.push_back({stage.at("name").get<std::string>(), stage.at("start_ms").get<double>(),
                             stage.at("length_ms").get<double>()});
}

void to_json(nlohmann::json& j, const ClientResult& r) {
  j = {{"schema", kResultSchema},
       {"client", r.client},
       {"server", r.server},
       {"server_label", r.server_label},
       {"concurrency", r.concurrency},
       {"requested", r.requested},
       {"ok", r.ok},
       {"not_found", r.not_found},
       {"error", r.error},
       {"errors_by_kind", r.errors_by_kind},
       {"elapsed_s", r.elapsed_s},
       {"items_per_s", r.items_per_s},
       {"bytes", r.bytes},
       {"latency_ms", {{"p50", r.latency_ms.p50}, {"p90", r.latency_ms.p90}, {"p99", r.latency_ms.p99},
                       {"max", r.latency_ms.max}}},
       {"cpu_s", r.cpu_s},
       {"peak_rss_kb", r.peak_rss_kb},
       {"started_at", r.started_at},
       {"items", r.items}};
}

void from_json(const nlohmann::json& j, ClientResult& r) {
  if (j.value("schema", "") != kResultSchema)
    throw std::invalid_argument(std::string("not a ") + kResultSchema + " document");
  j.at("client").get_to(r.client);
  j.at("server").get_to(r.server);
  r.server_label = j.value("server_label", "");
  whole_number_at(j, "concurrency", r.concurrency);
  whole_number_at(j, "requested", r.requested);
  whole_number_at(j, "ok", r.ok);
  whole_number_at(j, "not_found", r.not_found);
  whole_number_at(j, "error", r.error);
  r.errors_by_kind.clear();
  for (const auto& [kind, n] : j.at("errors_by_kind").get_ref<const nlohmann::json::object_t&>())
    r.errors_by_kind[kind] = whole_number<std::size_t>(n, "errors_by_kind");
  j.at("elapsed_s").get_to(r.elapsed_s);
  j.at("items_per_s").get_to(r.items_per_s);
  whole_number_at(j, "bytes", r.bytes);
  const auto& lat = j.at("latency_ms");
  r.latency_ms = {lat.at("p50").get<double>(), lat.at("p90").get<double>(), lat.at("p99").get<double>(),
                  lat.at("max").get<double>()};
  j.at("cpu_s").get_to(r.cpu_s);
  whole_number_at(j, "peak_rss_kb", r.peak_rss_kb);
  j.at("started_at").get_to(r.started_at);
  j.at("items").get_to(r.items);
}

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace platespin
