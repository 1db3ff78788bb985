#pragma once
// Reading YAML configuration with errors a user can act on: every message
// starts with "FILE:LINE:COL:" and names the key and what was expected.
// (yaml-cpp alone says "bad conversion" and accepts duplicate keys.) Before any
// key is read, the whole document is checked: a key that is a list or a
// mapping (`? [a, b] : 1`, `{[1]: x}`) and text that is not UTF-8 are errors
// with their position, so no reader down the line can trip over them (yaml-cpp
// throws a conversion error for such a key, and nlohmann::json throws when it
// meets such text in a result).
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace platespin {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class YamlReader {
 public:
  // Loads and parses `path`; throws ConfigError on a missing file or a syntax error.
  explicit YamlReader(std::string path);
  // Parses `text` as if it were file `name` (for tests and generated configs).
  YamlReader(std::string name, const std::string& text);

  const YAML::Node& root() const { return root_; }
  const std::string& file() const { return file_; }

  // "FILE:LINE:COL" of a node (1-based).
  std::string where(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const;

  // Checks that `map` is a mapping whose keys are all in `allowed`, each once.
  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view context) const;
  void check_keys(const YAML::Node& map, std::span<const std::string_view> allowed, std::string_view context) const;

  // map[key] converted to T; `expected` names the type in the error ("a number of seconds").
  template <typename T>
  T get(const YAML::Node& map, const std::string& key, std::string_view expected) const {
    const YAML::Node node = map[key];
    if (!node) fail(map, "missing key '" + key + "' (" + std::string(expected) + ")");
    return as<T>(node, key, expected);
  }
  template <typename T>
  T get_or(const YAML::Node& map, const std::string& key, T fallback, std::string_view expected) const {
    const YAML::Node node = map[key];
    return node ? as<T>(node, key, expected) : fallback;
  }
  // A floating-point T must be finite: yaml-cpp reads .nan and .inf as numbers,
  // and no delay, rate or bound is meant to be one of them.
  template <typename T>
  T as(const YAML::Node& node, const std::string& key, std::string_view expected) const {
    T value{};
    try {
      if (!node.IsScalar() && !node.IsSequence() && !node.IsMap()) throw YAML::BadConversion(node.Mark());
      value = node.as<T>();
    } catch (const YAML::Exception&) {
      fail(node, "'" + key + "' must be " + std::string(expected));
    }
    if constexpr (std::is_floating_point_v<T>)
      if (!std::isfinite(value)) fail(node, "'" + key + "' must be " + std::string(expected) + ", a finite number");
    return value;
  }

 private:
  // Throws ConfigError at the first non-scalar key or non-UTF-8 text.
  void check_document() const;

  std::string file_;
  YAML::Node root_;
};

}  // namespace platespin
