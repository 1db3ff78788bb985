#include "peers_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace platespin::bench {

namespace {

// The field `key` of the object `j` (at `where`, for the message), which must exist.
const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object()) throw std::runtime_error(fmt::format("{}: not an object", where));
  const auto it = j.find(key);
  if (it == j.end()) throw std::runtime_error(fmt::format("{}: missing \"{}\"", where, key));
  return *it;
}

std::string text(const nlohmann::json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (!v.is_string()) throw std::runtime_error(fmt::format("{}.{}: not a string", where, key));
  return v.get<std::string>();
}

// A number, or null for "not measured".
std::optional<double> number(const nlohmann::json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) throw std::runtime_error(fmt::format("{}.{}: not a number or null", where, key));
  return v.get<double>();
}

std::vector<std::string> texts(const nlohmann::json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;  // optional lists
  if (!it->is_array()) throw std::runtime_error(fmt::format("{}.{}: not a list", where, key));
  for (const auto& v : *it) {
    if (!v.is_string()) throw std::runtime_error(fmt::format("{}.{}: not a list of strings", where, key));
    out.push_back(v.get<std::string>());
  }
  return out;
}

const nlohmann::json& list(const nlohmann::json& j, const char* key, const std::string& where) {
  const auto& v = field(j, key, where);
  if (!v.is_array()) throw std::runtime_error(fmt::format("{}.{}: not a list", where, key));
  return v;
}

PeersRow row_from_json(const nlohmann::json& j, const std::string& where) {
  PeersRow row;
  row.measure = text(j, "measure", where);
  row.unit = text(j, "unit", where);
  row.ours = text(j, "ours", where);
  row.ours_value = number(j, "ours_value", where);
  if (const auto& peer = field(j, "peer", where); !peer.is_null()) row.peer = text(j, "peer", where);
  row.peer_value = number(j, "peer_value", where);
  row.ratio = number(j, "ratio", where);
  row.rounds = list(j, "rounds", where).size();
  if (j.contains("headline")) row.headline = text(j, "headline", where);
  return row;
}

// Values as people read them: 97,658, 412, 32.4, 6.20 (negative lateness keeps its sign).
std::string format_value(std::optional<double> value) {
  if (!value) return "n/a";
  const double x = *value, size = std::fabs(x);
  if (size >= 1000) {
    std::string digits = fmt::format("{:.0f}", size), grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    return x < 0 ? "-" + grouped : grouped;
  }
  if (size >= 100) return fmt::format("{:.0f}", x);
  if (size >= 10) return fmt::format("{:.1f}", x);
  return fmt::format("{:.2f}", x);
}

// "|" would end a Markdown cell.
std::string cell(const std::string& s) {
  std::string out;
  for (const char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string loads(const nlohmann::json& load) {
  if (!load.is_array() || load.empty()) return "n/a";
  std::vector<std::string> values;
  for (const auto& v : load) values.push_back(v.is_number() ? fmt::format("{}", v.get<double>()) : "?");
  return fmt::format("{}", fmt::join(values, " "));
}

// A machine field as text, whatever JSON type it came as.
std::string machine_field(const nlohmann::json& machine, const char* key) {
  const auto it = machine.find(key);
  if (it == machine.end() || it->is_null()) return "?";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string settings_line(const nlohmann::json& settings) {
  std::vector<std::string> pairs;
  if (!settings.is_object()) return "";
  for (const auto& [key, value] : settings.items())
    pairs.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  return fmt::format("{}", fmt::join(pairs, " "));
}

}  // namespace

PeersDocument peers_from_json(const nlohmann::json& j) {
  if (text(j, "schema", "document") != kPeersSchema)
    throw std::runtime_error(std::string("document: not a ") + kPeersSchema + " document");
  PeersDocument d;
  d.command = text(j, "command", "document");
  d.started_at = text(j, "started_at", "document");
  d.finished_at = j.value("finished_at", nlohmann::json()).is_string() ? j["finished_at"].get<std::string>() : "";
  d.machine = j.value("machine", nlohmann::json::object());
  if (!d.machine.is_object()) d.machine = nlohmann::json::object();
  d.settings = j.value("settings", nlohmann::json::object());
  d.load_before = j.value("load_before", nlohmann::json());
  d.load_after = j.value("load_after", nlohmann::json());
  const auto& comparisons = list(j, "comparisons", "document");
  for (std::size_t i = 0; i < comparisons.size(); ++i) {
    const auto where = fmt::format("comparisons[{}]", i);
    const auto& cj = comparisons[i];
    PeersComparison c;
    c.name = text(cj, "name", where);
    c.title = text(cj, "title", where);
    c.setup = text(cj, "setup", where);
    c.left_out = texts(cj, "left_out", where);
    c.notes = texts(cj, "notes", where);
    const auto& rows = list(cj, "rows", where);
    for (std::size_t r = 0; r < rows.size(); ++r) c.rows.push_back(row_from_json(rows[r], fmt::format("{}.rows[{}]", where, r)));
    d.comparisons.push_back(std::move(c));
  }
  return d;
}

std::optional<PeersDocument> read_peers_document(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": not JSON: " + e.what());
  }
  if (!j.is_object() || j.value("schema", nlohmann::json()) != kPeersSchema) return std::nullopt;
  try {
    return peers_from_json(j);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

std::string peers_markdown(const PeersDocument& d) {
  const auto& m = d.machine;
  std::string out = fmt::format(
      "Measured {} to {} with `{}` ({}) on {}: {} cores, {}; load average {} before, {} after.\n",
      d.started_at, d.finished_at.empty() ? "?" : d.finished_at, d.command, settings_line(d.settings),
      machine_field(m, "hostname"), machine_field(m, "cores"), machine_field(m, "cpu"), loads(d.load_before), loads(d.load_after));
  for (const auto& c : d.comparisons) {
    out += fmt::format("\n### {}\n\n{}.\n\n", c.title, c.setup);
    out += "| measure | unit | ours | value | peer | value | ours ÷ peer |\n";
    out += "| --- | --- | --- | ---: | --- | ---: | ---: |\n";
    for (const auto& r : c.rows)
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", cell(r.measure), cell(r.unit), cell(r.ours),
                         format_value(r.ours_value), r.peer ? cell(*r.peer) : "–",
                         r.peer ? format_value(r.peer_value) : "–",
                         r.ratio ? fmt::format("{:.2f}×", *r.ratio) : "–");
    if (!c.left_out.empty() || !c.notes.empty()) out += "\n";
    for (const auto& why : c.left_out) out += "- left out: " + why + "\n";
    for (const auto& note : c.notes) out += "- " + note + "\n";
  }
  return out;
}

std::string peers_headline_table(const PeersDocument& d) {
  std::string out = "| what | command | platespin | peer | ratio |\n| --- | --- | ---: | ---: | ---: |\n";
  for (const auto& c : d.comparisons)
    for (const auto& r : c.rows)
      if (!r.headline.empty())
        out += fmt::format("| {} | `bench/peers/{}` | {} {} | {} | {} |\n", cell(r.headline), cell(c.name),
                           format_value(r.ours_value), cell(r.unit),
                           r.peer ? cell(*r.peer) + " " + format_value(r.peer_value) : "–",
                           r.ratio ? fmt::format("{:.2f}×", *r.ratio) : "–");
  return out;
}

}  // namespace platespin::bench
