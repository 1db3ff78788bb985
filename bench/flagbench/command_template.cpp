#include "command_template.hpp"

#include <fmt/ranges.h>
#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace platespin::bench {

namespace {

const std::vector<std::string> kPlaceholders = {"url",   "host", "port", "label", "concurrency",
                                                "codes", "limit", "json", "out"};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One piece of a word: literal text, or a placeholder's name ("url", "env:HOME").
struct Piece {
  bool placeholder;
  std::string text;
};

std::vector<Piece> split(const std::string& word) {
  std::vector<Piece> pieces;
  std::string literal;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if ((c == '{' || c == '}') && i + 1 < word.size() && word[i + 1] == c) {
      literal += c;
      ++i;
    } else if (c == '}') {
      throw std::invalid_argument("a lone '}' (write '}}' for a literal brace)");
    } else if (c == '{') {
      const auto close = word.find('}', i);
      if (close == std::string::npos) throw std::invalid_argument("a '{' without its '}' (write '{{' for a literal brace)");
      const std::string name = word.substr(i + 1, close - i - 1);
      const bool env = name.rfind("env:", 0) == 0 && name.size() > 4;
      bool word_chars = !name.empty();
      for (char n : env ? name.substr(4) : name) word_chars = word_chars && is_name_char(n);
      const bool known = env ? word_chars : std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end();
      if (!known)
        throw std::invalid_argument("unknown placeholder {" + name + "} (known: " + known_placeholders() +
                                    "; write {{ and }} for literal braces)");
      if (!literal.empty()) pieces.push_back({false, std::move(literal)});
      literal.clear();
      pieces.push_back({true, name});
      i = close;
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return pieces;
}


std::string value_of(const std::string& name, const CellValues& v) {
  if (name.rfind("env:", 0) == 0) {
    const char* value = std::getenv(name.c_str() + 4);
    return value ? value : "";
  }
  if (name == "url") return v.url;
  if (name == "host") return v.host;
  if (name == "port") return v.port;
  if (name == "label") return v.label;
  if (name == "concurrency") return v.concurrency;
  if (name == "codes") return fmt::format("{}", fmt::join(v.codes, " "));
  if (name == "limit") return v.limit;
  if (name == "json") return v.json;
  return v.out;
}

}  // namespace

std::string known_placeholders() {
  return fmt::format("{{{}}}, {{env:NAME}}", fmt::join(kPlaceholders, "}, {"));
}

void check_placeholders(const std::string& word) { split(word); }

std::vector<std::string> env_names(const std::string& word) {
  std::vector<std::string> out;
  for (const auto& piece : split(word))
    if (piece.placeholder && piece.text.rfind("env:", 0) == 0) out.push_back(piece.text.substr(4));
  return out;
}

std::string expand_text(const std::string& word, const CellValues& values) {
  std::string out;
  for (const auto& piece : split(word)) out += piece.placeholder ? value_of(piece.text, values) : piece.text;
  return out;
}

std::vector<std::string> expand_words(const std::string& word, const CellValues& values) {
  if (word == "{codes}") return values.codes;
  return {expand_text(word, values)};
}

}  // namespace platespin::bench
