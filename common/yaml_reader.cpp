#include "yaml_reader.hpp"

#include <filesystem>
#include <set>

namespace platespin {

namespace {

std::string position(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace

YamlReader::YamlReader(std::string path) : file_(std::move(path)) {
  if (!std::filesystem::is_regular_file(file_)) throw ConfigError(file_ + ": no such file");
  try {
    root_ = YAML::LoadFile(file_);
  } catch (const YAML::Exception& e) {
    throw ConfigError(position(file_, e.mark) + ": " + e.msg);
  }
}

YamlReader::YamlReader(std::string name, const std::string& text) : file_(std::move(name)) {
  try {
    root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(position(file_, e.mark) + ": " + e.msg);
  }
}

std::string YamlReader::where(const YAML::Node& node) const { return position(file_, node.Mark()); }

void YamlReader::fail(const YAML::Node& node, const std::string& what) const {
  throw ConfigError(where(node) + ": " + what);
}

void YamlReader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                            std::string_view context) const {
  if (!map.IsMap()) fail(map, std::string(context) + " must be a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& entry : map) {
    // as<std::string>() would throw yaml-cpp's own error, with no file or key, for "[a]: 1".
    if (entry.first.IsSequence() || entry.first.IsMap())
      fail(entry.first, "a key in " + std::string(context) + " must be a plain name, not a list or a mapping");
    const auto key = entry.first.as<std::string>();
    bool known = false;
    for (const auto a : allowed) known = known || a == key;
    if (!known) {
      std::string list;
      for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(entry.first, "unknown key '" + key + "' in " + std::string(context) + " (allowed: " + list + ")");
    }
    if (!seen.insert(key).second) fail(entry.first, "duplicate key '" + key + "' in " + std::string(context));
  }
}

}  // namespace platespin
