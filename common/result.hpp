#pragma once
// The result of one client run: what the downloaders write with --json and
// what flagbench reads ("schema": "platespin.result/1", see README).
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats.hpp"

namespace platespin {

inline constexpr const char* kResultSchema = "platespin.result/1";

enum class Outcome { ok, not_found, error };

// One request of an item (with --metadata: "metadata" then "flag"), its
// retries included, on the run's clock (see ItemResult::start_ms).
struct Stage {
  std::string name;
  double start_ms = 0, length_ms = 0;
};

struct ItemResult {
  std::string cc;
  int status = 0;          // HTTP status of the last attempt, 0 when none came
  Outcome outcome = Outcome::error;
  std::string error_kind;  // http_<status>, timeout, refused, reset, truncated, protocol, content, save; empty unless error
  std::string detail;      // the reason in words, for -v; empty unless error
  std::uint64_t bytes = 0; // body bytes received
  double latency_ms = 0;   // of the last attempt
  int attempts = 0;
  // When the first attempt began, in ms from the start of download_many: what
  // the report's timeline draws. Absent in older files and outside clients.
  std::optional<double> start_ms;
  std::vector<Stage> stages;  // with --metadata only
};

struct ClientResult {
  std::string client;        // flags_sequential, flags_threadpool, flags_async
  std::string server;        // the base URL requested
  std::string server_label;  // LOCAL, DELAY, ERROR or URL
  int concurrency = 1;
  std::size_t requested = 0, ok = 0, not_found = 0, error = 0;
  std::map<std::string, std::size_t> errors_by_kind;
  double elapsed_s = 0, items_per_s = 0;
  std::uint64_t bytes = 0;
  Percentiles latency_ms;
  double cpu_s = 0;
  long peak_rss_kb = 0;
  std::string started_at;  // UTC ISO 8601
  std::vector<ItemResult> items;

  // Fills the counts, bytes and latency percentiles from `items`, and the
  // rate from `elapsed_s`.
  void tally();
};
// The counts, bytes and percentiles are derived from `items` whenever there
// are items: to_json writes them so, and from_json refuses a document whose
// counts contradict its items (a client that reports only counts, with no
// items, is taken at its word).

const char* to_string(Outcome outcome);
Outcome outcome_from_string(const std::string& text);  // throws std::invalid_argument

void to_json(nlohmann::json& j, const ItemResult& item);
void from_json(const nlohmann::json& j, ItemResult& item);
void to_json(nlohmann::json& j, const ClientResult& result);
// Throws nlohmann::json::exception or std::invalid_argument on a wrong schema,
// a missing field, a count that is not a whole number in range, or a count
// that its items contradict (the message names the field).
void from_json(const nlohmann::json& j, ClientResult& result);

// Now as "2026-11-25T14:30:00Z".
std::string utc_timestamp();

}  // namespace platespin
