#include "yaml_reader.hpp"

#include <fmt/ranges.h>
#include <boost/locale/utf.hpp>
#include <filesystem>
#include <set>
#include <vector>

namespace platespin {

namespace {

std::string position(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

bool is_utf8(const std::string& text) {
  using utf8 = boost::locale::utf::utf_traits<char>;
  for (auto at = text.begin(); at != text.end();) {
    const auto c = utf8::decode(at, text.end());  // refuses overlong forms, surrogates and cut sequences
    if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete) return false;
  }
  return true;
}

// Values a document may hold, aliases counted each time they are used: a
// billion-laughs file stops here instead of at the end of memory.
constexpr std::size_t kMaxValues = 10'000'000;

}  // namespace

void YamlReader::check_document() const {
  std::vector<YAML::Node> pending{root_};  // a list, not recursion: nesting depth cannot overflow the stack
  for (std::size_t seen = 0; !pending.empty(); ++seen) {
    if (seen == kMaxValues) fail(root_, "more than " + std::to_string(kMaxValues) + " values (aliases nested too deep?)");
    const YAML::Node node = pending.back();
    pending.pop_back();
    if (node.IsScalar()) {
      if (!is_utf8(node.Scalar())) fail(node, "text that is not valid UTF-8");
    } else if (node.IsSequence()) {
      for (const auto& item : node) pending.push_back(item);
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        if (entry.first.IsSequence() || entry.first.IsMap())
          fail(entry.first, "a key must be a single word, number or quoted text, not a list or a mapping");
        pending.push_back(entry.first);
        pending.push_back(entry.second);
      }
    }
  }
}

YamlReader::YamlReader(std::string path) : file_(std::move(path)) {
  if (!std::filesystem::is_regular_file(file_)) throw ConfigError(file_ + ": no such file");
  try {
    root_ = YAML::LoadFile(file_);
  } catch (const YAML::Exception& e) {
    throw ConfigError(position(file_, e.mark) + ": " + e.msg);
  }
  check_document();
}

YamlReader::YamlReader(std::string name, const std::string& text) : file_(std::move(name)) {
  try {
    root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(position(file_, e.mark) + ": " + e.msg);
  }
  check_document();
}

std::string YamlReader::where(const YAML::Node& node) const { return position(file_, node.Mark()); }

void YamlReader::fail(const YAML::Node& node, const std::string& what) const {
  throw ConfigError(where(node) + ": " + what);
}

void YamlReader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                            std::string_view context) const {
  check_keys(map, std::span<const std::string_view>(allowed.begin(), allowed.size()), context);
}

void YamlReader::check_keys(const YAML::Node& map, std::span<const std::string_view> allowed,
                            std::string_view context) const {
  if (!map.IsMap()) fail(map, std::string(context) + " must be a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const auto key = entry.first.as<std::string>();
    bool known = false;
    for (const auto a : allowed) known = known || a == key;
    if (!known) {
      fail(entry.first, fmt::format("unknown key '{}' in {} (allowed: {})", key, context, fmt::join(allowed, ", ")));
    }
    if (!seen.insert(key).second) fail(entry.first, "duplicate key '" + key + "' in " + std::string(context));
  }
}

}  // namespace platespin
