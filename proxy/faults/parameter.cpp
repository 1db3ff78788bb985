#include "parameter.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <ranges>
#include <stdexcept>

#include "json_whole_number.hpp"
#include "parse_number.hpp"

namespace platespin::proxy {

namespace {

using nlohmann::json;

// RFC 9110 §5.6.2: a field name is a token.
bool is_token(std::string_view s) {
  constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

// Text JSON can carry: a string that is not UTF-8 makes every later dump() of
// the listener (GET /proxies) throw.
bool is_utf8(const std::string& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

// A field value we can put on the wire as it is (no line breaks, no NUL), and show as JSON.
bool is_field_value(const std::string& s) {
  return s.size() <= 8192 && s.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos && is_utf8(s);
}

std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string bound(double v) {
  return v == std::floor(v) && std::abs(v) < 1e18 ? fmt::format("{:.0f}", v) : fmt::format("{}", v);
}

bool in_range(const Parameter& p, double v) { return v >= p.min && v <= p.max; }

bool is_status(const Parameter& p, const json& v) {
  return is_whole_number<int>(v) && in_range(p, v.get<int>());
}

bool fits(const Parameter& p, const json& value) {
  switch (p.kind) {
    case Kind::whole: return is_whole_number<std::uint64_t>(value) && in_range(p, static_cast<double>(value.get<std::uint64_t>()));
    case Kind::number: return value.is_number() && std::isfinite(value.get<double>()) && in_range(p, value.get<double>());
    case Kind::flag: return value.is_boolean();
    case Kind::statuses:
      return value.is_array() && !value.empty() &&
             std::all_of(value.begin(), value.end(), [&](const json& v) { return is_status(p, v); });
    case Kind::text:
      return value.is_string() && static_cast<double>(value.get_ref<const std::string&>().size()) <= p.max &&
             is_utf8(value.get_ref<const std::string&>());
    case Kind::fields:
      if (!value.is_object()) return false;
      for (const auto& [name, v] : value.items())
        if (!is_token(name) || !v.is_string() || !is_field_value(v.get_ref<const std::string&>())) return false;
      return true;
    case Kind::names:
      return value.is_array() && std::all_of(value.begin(), value.end(), [](const json& v) {
               return v.is_string() && is_token(v.get_ref<const std::string&>());
             });
  }
  return false;
}

// One element of `p`'s value from text, not yet checked.
json element_from_text(const Parameter& p, std::string_view text) {
  const auto bad = [&]() -> json {
    throw std::invalid_argument("must be " + expected(p) + ", not '" + std::string(text.substr(0, 60)) + "'");
  };
  switch (p.kind) {
    case Kind::whole:
      if (const auto v = parse_number<std::uint64_t>(text)) return *v;
      return bad();
    case Kind::number:
      if (const auto v = parse_number<double>(text)) return *v;
      return bad();
    case Kind::statuses:
      if (const auto v = parse_number<int>(text)) return *v;
      return bad();
    case Kind::flag:
      if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
      if (text == "false" || text == "no" || text == "off" || text == "0") return false;
      return bad();
    case Kind::text:
    case Kind::names: return std::string(text);
    case Kind::fields: {
      const auto colon = text.find(':');
      if (colon == std::string_view::npos) return bad();
      std::string_view value = text.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return json::object({{std::string(text.substr(0, colon)), std::string(value)}});
    }
  }
  return bad();
}

}  // namespace

std::string expected(const Parameter& p) {
  const std::string of_unit = p.unit.empty() ? "" : " of " + std::string(p.unit);
  switch (p.kind) {
    case Kind::whole: return "a whole number" + of_unit + " from " + bound(p.min) + " to " + bound(p.max);
    case Kind::number: return "a number" + of_unit + " from " + bound(p.min) + " to " + bound(p.max);
    case Kind::flag: return "true or false";
    case Kind::statuses: return "a list of HTTP statuses from " + bound(p.min) + " to " + bound(p.max);
    case Kind::text: return "a UTF-8 string of at most " + bound(p.max) + " bytes";
    case Kind::fields: return "a map of header field names to values (no line breaks)";
    case Kind::names: return "a list of header field names";
  }
  return "?";
}

nlohmann::json checked(const Parameter& p, const nlohmann::json& value) {
  if (!fits(p, value)) throw std::invalid_argument("must be " + expected(p) + ", not " + shown(value));
  if (p.kind == Kind::number) return value.get<double>();
  return value;
}

void add_text(const Parameter& p, nlohmann::json& into, std::string_view text) {
  nlohmann::json element = element_from_text(p, text);
  switch (p.kind) {
    case Kind::statuses:
    case Kind::names:
      if (!into.is_array()) into = json::array();
      into.push_back(std::move(element));
      break;
    case Kind::fields:
      if (!into.is_object()) into = json::object();
      into.update(element);
      break;
    default: into = std::move(element);
  }
  into = checked(p, into);
}

nlohmann::json from_text(const Parameter& p, std::string_view text) {
  nlohmann::json value;
  add_text(p, value, text);
  return value;
}

nlohmann::json from_yaml(const Parameter& p, const YAML::Node& node) {
  using nlohmann::json;
  const auto bad = [&]() -> json { throw std::invalid_argument("must be " + expected(p)); };
  json value;
  if (p.kind == Kind::fields) {
    if (!node.IsMap()) return bad();
    // Each name and value as written: through "NAME:VALUE" text a name with a
    // colon in it would pass as a shorter name, and a value would lose its leading spaces.
    value = json::object();
    for (const auto& entry : node) {
      if (!entry.second.IsScalar()) return bad();
      value[entry.first.Scalar()] = entry.second.Scalar();
    }
    return checked(p, value);
  }
  if (p.kind == Kind::statuses || p.kind == Kind::names) {
    if (node.IsScalar()) return from_text(p, node.Scalar());
    if (!node.IsSequence() || node.size() == 0) return bad();
    for (const auto& element : node) {
      if (!element.IsScalar()) return bad();
      add_text(p, value, element.Scalar());
    }
    return value;
  }
  if (!node.IsScalar()) return bad();
  return from_text(p, node.Scalar());
}

Values::Values(Parameters params, const nlohmann::json& given) : json_(json::object()) {
  using nlohmann::json;
  if (!given.is_object()) throw std::invalid_argument("must be a JSON object of parameters");
  for (const auto& [key, value] : given.items())
    if (std::none_of(params.begin(), params.end(), [&](const Parameter& p) { return p.key == key; })) {
      throw std::invalid_argument("unknown key '" + key + "' (known: " + keys_of(params) + ")");
    }
  for (const auto& p : params) {
    const std::string key(p.key);
    try {
      json_[key] = given.contains(key) ? checked(p, given.at(key)) : p.fallback;
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("'" + key + "' " + e.what());
    }
  }
}

const nlohmann::json& Values::at(std::string_view key) const {
  const auto it = json_.find(key);
  if (it == json_.end()) throw std::logic_error("no parameter '" + std::string(key) + "'");
  return *it;
}

std::string describe(Parameters params, std::string_view indent) {
  std::string out;
  for (const auto& p : params)
    out += fmt::format("{}{}: {} ({}; default {})\n", indent, p.key, p.help, expected(p), shown(p.fallback));
  return out;
}

std::string keys_of(Parameters params) {
  if (params.empty()) return "none";
  return fmt::format("{}", fmt::join(std::views::transform(params, [](const Parameter& p) { return p.key; }), ", "));
}

}  // namespace platespin::proxy
