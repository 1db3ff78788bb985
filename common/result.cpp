#include "result.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

#include "json_whole_number.hpp"

namespace platespin {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Stage, name, start_ms, length_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Percentiles, p50, p90, p99, max)

namespace {

// What a result's items say of the run as a whole.
struct Tally {
  std::size_t requested = 0, ok = 0, not_found = 0, error = 0;
  std::map<std::string, std::size_t> errors_by_kind;
  std::uint64_t bytes = 0;
  Percentiles latency_ms;
};

Tally tally_of(const std::vector<ItemResult>& items) {
  Tally t;
  std::vector<double> latencies;
  for (const auto& item : items) {
    switch (item.outcome) {
      case Outcome::ok: ++t.ok; break;
      case Outcome::not_found: ++t.not_found; break;
      case Outcome::error: ++t.error; ++t.errors_by_kind[item.error_kind]; break;
    }
    t.bytes += item.bytes;
    latencies.push_back(item.latency_ms);
  }
  t.requested = items.size();
  t.latency_ms = summarize(std::move(latencies));
  return t;
}

double rate(std::size_t requested, double elapsed_s) {
  return elapsed_s > 0 ? static_cast<double>(requested) / elapsed_s : 0;
}

template <typename T>
void expect_derived(const char* field, const T& stated, const T& from_items) {
  if (stated != from_items)
    throw std::invalid_argument(std::string("'") + field + "' contradicts the items (" +
                                nlohmann::json(stated).dump() + " stated, " + nlohmann::json(from_items).dump() +
                                " from the items)");
}

}  // namespace

void ClientResult::tally() {
  Tally t = tally_of(items);
  requested = t.requested;
  ok = t.ok;
  not_found = t.not_found;
  error = t.error;
  errors_by_kind = std::move(t.errors_by_kind);
  bytes = t.bytes;
  latency_ms = t.latency_ms;
  items_per_s = rate(requested, elapsed_s);
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
  if (!item.stages.empty()) j["stages"] = item.stages;
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
  item.stages = j.value("stages", std::vector<Stage>{});
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
       {"latency_ms", r.latency_ms},
       {"cpu_s", r.cpu_s},
       {"peak_rss_kb", r.peak_rss_kb},
       {"started_at", r.started_at},
       {"items", r.items}};
  if (r.items.empty()) return;
  // The counts as the items have them, whatever the fields say.
  const Tally t = tally_of(r.items);
  j["requested"] = t.requested;
  j["ok"] = t.ok;
  j["not_found"] = t.not_found;
  j["error"] = t.error;
  j["errors_by_kind"] = t.errors_by_kind;
  j["bytes"] = t.bytes;
  j["latency_ms"] = t.latency_ms;
  j["items_per_s"] = rate(t.requested, r.elapsed_s);
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
  j.at("latency_ms").get_to(r.latency_ms);
  j.at("cpu_s").get_to(r.cpu_s);
  whole_number_at(j, "peak_rss_kb", r.peak_rss_kb);
  j.at("started_at").get_to(r.started_at);
  j.at("items").get_to(r.items);
  if (r.items.empty()) return;
  const Tally t = tally_of(r.items);
  expect_derived("requested", r.requested, t.requested);
  expect_derived("ok", r.ok, t.ok);
  expect_derived("not_found", r.not_found, t.not_found);
  expect_derived("error", r.error, t.error);
  expect_derived("errors_by_kind", r.errors_by_kind, t.errors_by_kind);
  expect_derived("bytes", r.bytes, t.bytes);
  r.latency_ms = t.latency_ms;  // another client's percentile method may differ: ours, from its own items
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
