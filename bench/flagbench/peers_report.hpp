#pragma once
// The "platespin.peers/1" document that bench/peers/platespin_peers writes (see README,
// "Formats"), and its Markdown: one table per comparison, one row per measure of one of
// our binaries beside one peer. `flagbench report` prints it; docs/benchmarks.md embeds it.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace platespin::bench {

inline constexpr const char* kPeersSchema = "platespin.peers/1";

struct PeersRow {
  std::string measure, unit, ours;
  std::optional<double> ours_value;  // median of the rounds; absent when no round produced one
  std::optional<std::string> peer;   // absent: nothing to compare against
  std::optional<double> peer_value, ratio;
  std::size_t rounds = 0;
  std::string headline;  // the README's words for it when it is a headline figure, else empty
};

struct PeersComparison {
  std::string name, title, setup;
  std::vector<std::string> left_out, notes;
  std::vector<PeersRow> rows;
};

struct PeersDocument {
  std::string command, started_at, finished_at;
  nlohmann::json machine, settings, load_before, load_after;
  std::vector<PeersComparison> comparisons;
};

// A document whose "schema" is platespin.peers/1; throws std::runtime_error naming the
// field that is missing or of the wrong type.
PeersDocument peers_from_json(const nlohmann::json& j);

// The file at `path` when it is a platespin.peers/1 document, nullopt when its schema is
// another; throws std::runtime_error ("PATH: ...") when it cannot be read or is malformed.
std::optional<PeersDocument> read_peers_document(const std::string& path);

std::string peers_markdown(const PeersDocument& document);

// The headline rows only, as the README shows them: what, command, ours, peer, ratio.
std::string peers_headline_table(const PeersDocument& document);

}  // namespace platespin::bench
