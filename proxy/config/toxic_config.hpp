#pragma once
// A listener's toxics: Toxiproxy's model (name, type, stream, toxicity,
// attributes), read from its JSON, from YAML and from the command line, each
// checked against the toxic type's own declaration.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fault.hpp"
#include "protocol.hpp"
#include "yaml_reader.hpp"

namespace platespin::proxy {

struct ToxicConfig {
  std::string name;  // unique on its listener, both streams together
  const Fault* type = nullptr;
  Stream stream = Stream::downstream;
  double toxicity = 1;  // the probability that a request (TCP: a connection) gets it
  Values attributes;
};
using Toxics = std::vector<ToxicConfig>;

// Toxiproxy's JSON: {"type", "name"?, "stream"?, "toxicity"?, "attributes"?}
// with its defaults (downstream, 1, "<type>_<stream>"). Throws
// std::invalid_argument naming the toxic, the attribute and what it must be.
ToxicConfig toxic_from_json(const nlohmann::json& toxic, Protocol protocol);
nlohmann::json to_json(const ToxicConfig& toxic);
nlohmann::json to_json(const Toxics& toxics);
// --toxic TYPE[:STREAM][@TOXICITY],ATTR=VALUE,... (name=NAME sets the name;
// a list attribute takes one element per ATTR=VALUE). Throws std::invalid_argument.
ToxicConfig toxic_from_command_line(std::string_view spec, Protocol protocol);
// A YAML list of toxics (the JSON's keys); errors are ConfigError at FILE:LINE:COL.
Toxics read_toxics(const YamlReader& yaml, const YAML::Node& list, Protocol protocol);
// Throws std::invalid_argument on a name used twice.
void check_toxic_names(const Toxics& toxics);
// Every toxic type with its attributes, for --help.
std::string toxics_help();

}  // namespace platespin::proxy
