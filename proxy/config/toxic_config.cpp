#include "toxic_config.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "name.hpp"

namespace platespin::proxy {

namespace {

using nlohmann::json;

const Fault& toxic_type(std::string_view type, Protocol protocol) {
  const Fault* fault = find_fault(toxic_types(), type);
  if (!fault)
    throw std::invalid_argument("unknown toxic type '" + std::string(type.substr(0, 60)) + "' (known: " +
                                fault_names(toxic_types(), protocol) + ")");
  if (!fault->works_with(protocol))
    throw std::invalid_argument("toxic type '" + std::string(type) + "' does not work with protocol " +
                                to_string(protocol) + " (known: " + fault_names(toxic_types(), protocol) + ")");
  return *fault;
}

const Parameter& attribute_of(const Fault& type, std::string_view key) {
  for (const auto& p : type.parameters())
    if (p.key == key) return p;
  throw std::invalid_argument("unknown attribute '" + std::string(key.substr(0, 60)) + "' (" + std::string(type.name()) +
                              " has " + keys_of(type.parameters()) + ")");
}

double checked_toxicity(double toxicity) {
  if (!(toxicity >= 0 && toxicity <= 1))
    throw std::invalid_argument(fmt::format("toxicity must be a number from 0 to 1, not {}", toxicity));
  return toxicity;
}

// Everything but the name's and the type's own checks, done by the caller.
ToxicConfig make_toxic(const Fault& type, std::optional<std::string> name, Stream stream, double toxicity,
                       const json& attributes) {
  ToxicConfig t;
  t.type = &type;
  t.stream = stream;
  t.name = name ? *name : std::string(type.name()) + "_" + to_string(stream);
  const std::string which = "toxic '" + t.name.substr(0, 100) + "' (" + std::string(type.name()) + "): ";
  try {
    check_name(t.name, "toxic");
    t.toxicity = checked_toxicity(toxicity);
    if (!attributes.is_object()) throw std::invalid_argument("attributes must be a JSON object");
    for (const auto& [key, value] : attributes.items()) attribute_of(type, key);
    t.attributes = Values(type.parameters(), attributes);
    type.check(t.attributes);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw std::invalid_argument(which + (what.starts_with("'") ? "attribute " : "") + what);
  }
  return t;
}

}  // namespace

ToxicConfig toxic_from_json(const json& toxic, Protocol protocol) {
  if (!toxic.is_object()) throw std::invalid_argument("a toxic must be a JSON object");
  // A misspelt field ("atributes") would otherwise give a toxic with the defaults, silently.
  for (const auto& [key, value] : toxic.items())
    if (key != "name" && key != "type" && key != "stream" && key != "toxicity" && key != "attributes")
      throw std::invalid_argument("unknown toxic field '" + key.substr(0, 60) +
                                  "' (known: name, type, stream, toxicity, attributes)");
  const auto text = [&](const char* key) -> std::optional<std::string> {
    if (!toxic.contains(key)) return std::nullopt;
    if (!toxic.at(key).is_string()) throw std::invalid_argument(std::string("toxic field '") + key + "' must be a string");
    return toxic.at(key).get<std::string>();
  };
  const auto type = text("type");
  if (!type) throw std::invalid_argument("a toxic needs a 'type'");
  const auto stream = text("stream");
  double toxicity = 1;
  if (toxic.contains("toxicity")) {
    if (!toxic.at("toxicity").is_number()) throw std::invalid_argument("toxicity must be a number from 0 to 1");
    toxicity = toxic.at("toxicity").get<double>();
  }
  const json attributes = toxic.contains("attributes") && !toxic.at("attributes").is_null() ? toxic.at("attributes")
                                                                                             : json::object();
  return make_toxic(toxic_type(*type, protocol), text("name"), stream ? stream_from_string(*stream) : Stream::downstream,
                    toxicity, attributes);
}

json to_json(const ToxicConfig& t) {
  return {{"name", t.name},
          {"type", t.type->name()},
          {"stream", to_string(t.stream)},
          {"toxicity", t.toxicity},
          {"attributes", t.attributes.json()}};
}

json to_json(const Toxics& toxics) {
  json out = json::array();
  for (const auto& t : toxics) out.push_back(to_json(t));
  return out;
}

ToxicConfig toxic_from_command_line(std::string_view spec, Protocol protocol) {
  const std::string whole(spec);
  try {
    const auto comma = spec.find(',');
    std::string_view head = spec.substr(0, comma);
    std::string_view rest = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    double toxicity = 1;
    if (const auto at = head.find('@'); at != std::string_view::npos) {
      const Parameter probability{"toxicity", Kind::number, 1.0, 0, 1, "", ""};
      try {
        toxicity = from_text(probability, head.substr(at + 1)).get<double>();
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("toxicity ") + e.what());
      }
      head = head.substr(0, at);
    }
    Stream stream = Stream::downstream;
    if (const auto colon = head.find(':'); colon != std::string_view::npos) {
      stream = stream_from_string(head.substr(colon + 1));
      head = head.substr(0, colon);
    }
    const Fault& type = toxic_type(head, protocol);
    // The name first (it may come last), so that every error names the toxic.
    std::optional<std::string> name;
    std::vector<std::pair<std::string, std::string_view>> terms;  // ATTRIBUTE, VALUE
    while (!rest.empty()) {
      const auto next = rest.find(',');
      const std::string_view term = rest.substr(0, next);
      rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
      const auto eq = term.find('=');
      if (eq == std::string_view::npos)
        throw std::invalid_argument("expected ATTRIBUTE=VALUE, not '" + std::string(term) + "'");
      std::string key(term.substr(0, eq));
      if (key == "name")
        name = std::string(term.substr(eq + 1));
      else
        terms.emplace_back(std::move(key), term.substr(eq + 1));
    }
    const std::string which = "toxic '" + (name ? name->substr(0, 100) : std::string(type.name()) + "_" + to_string(stream)) +
                              "' (" + std::string(type.name()) + "): ";
    json attributes = json::object();
    for (const auto& [key, value] : terms) {
      try {
        const Parameter& p = attribute_of(type, key);
        try {
          add_text(p, attributes[key], value);
        } catch (const std::invalid_argument& e) {
          throw std::invalid_argument("attribute '" + key + "' " + e.what());
        }
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(which + e.what());
      }
    }
    return make_toxic(type, name, stream, toxicity, attributes);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("--toxic '" + whole + "': " + e.what());
  }
}

Toxics read_toxics(const YamlReader& yaml, const YAML::Node& list, Protocol protocol) {
  if (!list.IsSequence()) yaml.fail(list, "'toxics' must be a list of toxics ({type: latency, attributes: {...}})");
  Toxics toxics;
  std::set<std::string> names;
  for (const auto& entry : list) {
    yaml.check_keys(entry, {"name", "type", "stream", "toxicity", "attributes"}, "a toxic");
    const auto type_name = yaml.get<std::string>(entry, "type", "a toxic type like latency");
    const Fault* type = nullptr;
    Stream stream = Stream::downstream;
    double toxicity = 1;
    try {
      type = &toxic_type(type_name, protocol);
    } catch (const std::invalid_argument& e) {
      yaml.fail(entry["type"], e.what());
    }
    try {
      if (entry["stream"]) stream = stream_from_string(yaml.get<std::string>(entry, "stream", "upstream or downstream"));
    } catch (const std::invalid_argument& e) {
      yaml.fail(entry["stream"], e.what());
    }
    try {
      if (entry["toxicity"]) toxicity = checked_toxicity(yaml.get<double>(entry, "toxicity", "a number from 0 to 1"));
    } catch (const std::invalid_argument& e) {
      yaml.fail(entry["toxicity"], e.what());
    }
    std::optional<std::string> name;
    if (entry["name"]) name = yaml.get<std::string>(entry, "name", "a toxic name");
    const std::string which = "toxic '" + (name ? *name : type_name + "_" + to_string(stream)) + "' (" + type_name + "): ";
    json attributes = json::object();
    const YAML::Node given = entry["attributes"];
    if (given) {
      if (!given.IsMap()) yaml.fail(given, "'attributes' must be a mapping of attribute names to values");
      for (const auto& attribute : given) {
        const std::string key = attribute.first.Scalar();
        const Parameter* p = nullptr;
        try {
          p = &attribute_of(*type, key);
        } catch (const std::invalid_argument& e) {
          yaml.fail(attribute.first, which + e.what());
        }
        // yaml-cpp keeps both of a key given twice; the first would win a lookup, the last here.
        if (attributes.contains(key)) yaml.fail(attribute.first, which + "duplicate attribute '" + key + "'");
        try {
          attributes[key] = from_yaml(*p, attribute.second);
        } catch (const std::invalid_argument& e) {
          yaml.fail(attribute.second, which + "attribute '" + key + "' " + e.what());
        }
      }
    }
    try {
      toxics.push_back(make_toxic(*type, name, stream, toxicity, attributes));
    } catch (const std::invalid_argument& e) {
      // At what the message is about: a bad name, or the attribute a check between attributes names first.
      const std::string what = e.what();
      const std::string attribute_prefix = which + "attribute '";
      YAML::Node at = entry;
      if (what.starts_with(attribute_prefix) && given) {
        const std::string key = what.substr(attribute_prefix.size(), what.find('\'', attribute_prefix.size()) -
                                                                         attribute_prefix.size());
        if (given[key]) at = given[key];
      } else if (name && entry["name"] && what.find("toxic name") != std::string::npos) {
        at = entry["name"];
      }
      yaml.fail(at, what);
    }
    if (!names.insert(toxics.back().name).second)
      yaml.fail(entry["name"] ? entry["name"] : entry,
                "duplicate toxic name '" + toxics.back().name + "' (names are unique on a listener, both streams together)");
  }
  return toxics;
}

void check_toxic_names(const Toxics& toxics) {
  std::set<std::string_view> names;
  for (const auto& t : toxics)
    if (!names.insert(t.name).second)
      throw std::invalid_argument("duplicate toxic name '" + t.name +
                                  "' (names are unique on a listener, both streams together)");
}

std::string toxics_help() {
  std::string out = "Toxics (--toxic TYPE[:STREAM][@TOXICITY],ATTRIBUTE=VALUE,...; YAML toxics:):\n";
  for (const Fault* t : toxic_types()) {
    const bool http = t->works_with(Protocol::http), tcp = t->works_with(Protocol::tcp);
    out += fmt::format("  {} ({}): {}\n", t->name(), http && tcp ? "http, tcp" : http ? "http" : "tcp", t->help());
    out += describe(t->parameters(), "      ");
  }
  return out;
}

}  // namespace platespin::proxy
