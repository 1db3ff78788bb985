#pragma once
// A fault's parameters, declared once where the fault is (key, kind, unit,
// default, range, help), as nginx's command tables declare directives. From
// that one declaration generic code reads YAML, the command line and JSON,
// checks every value, writes JSON back and prints --help; no knob is listed
// by hand anywhere else.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace platespin::proxy {

enum class Kind {
  whole,     // a whole number from min to max
  number,    // a finite number from min to max
  flag,      // true or false
  statuses,  // a list of HTTP statuses from min to max, at least one
  text,      // a string of at most max bytes
  fields,    // HTTP header fields: a map of name to value
  names,     // HTTP header field names: a list
};

struct Parameter {
  std::string_view key;  // in YAML and JSON
  Kind kind;
  nlohmann::json fallback;  // the value when none is given
  double min = 0;
  double max = 0;
  std::string_view unit;  // "ms", "KB/s", ...: shown in help and errors
  std::string_view help;
  std::string_view option = {};  // chaos_proxy's --OPTION for it, when it has one (Vaurien's names)
};
using Parameters = std::span<const Parameter>;

// "a, b, c": the keys, for error messages; "none" when there are none.
std::string keys_of(Parameters params);

// What a value of `p` must be: "a whole number of ms from 0 to 3600000".
std::string expected(const Parameter& p);

// `value` checked against `p`; throws std::invalid_argument("must be ..., not ...").
nlohmann::json checked(const Parameter& p, const nlohmann::json& value);
// One value from text (the command line; a YAML scalar): a number, true/false,
// a status, a name, NAME:VALUE for fields. Lists and maps take one element per
// call (see add_text). Throws std::invalid_argument like checked().
nlohmann::json from_text(const Parameter& p, std::string_view text);
// Adds `text` to `into`: sets it for a single value, appends one element to a list or map.
void add_text(const Parameter& p, nlohmann::json& into, std::string_view text);
// A YAML node as the JSON value `p` takes (a scalar, a list, a map), checked.
nlohmann::json from_yaml(const Parameter& p, const YAML::Node& node);

// The values of a fault's parameters, every declared one present.
class Values {
 public:
  Values() : json_(nlohmann::json::object()) {}
  // `given` (an object) checked against `params`, the rest filled with their
  // defaults. Throws std::invalid_argument "'KEY' must be ..." or naming an unknown key.
  Values(Parameters params, const nlohmann::json& given);

  double number(std::string_view key) const { return at(key).get<double>(); }
  std::uint64_t whole(std::string_view key) const { return at(key).get<std::uint64_t>(); }
  bool flag(std::string_view key) const { return at(key).get<bool>(); }
  const nlohmann::json& at(std::string_view key) const;
  const nlohmann::json& json() const { return json_; }

 private:
  nlohmann::json json_;
};

// "  KEY (UNIT, default D, MIN to MAX): HELP" lines for --help.
std::string describe(Parameters params, std::string_view indent);

}  // namespace platespin::proxy
