#pragma once
// The words of a run's `command:` with the placeholders flagbench fills per
// cell, as Python's str.format writes them: `{url}` is replaced, `{{` and `}}`
// are literal braces (so a shell's `${x}` or curl's `%{http_code}` is written
// `${{x}}`, `%{{http_code}}`), any other brace is an error. `{env:NAME}` is the
// environment variable NAME of flagbench's own environment; a run using one
// that is unset or empty is skipped, not failed (configs/book.yaml).
#include <map>
#include <string>
#include <vector>

namespace platespin::bench {

// What the placeholders of one cell stand for.
struct CellValues {
  std::string url, host, port, label, concurrency, limit, json, out;
  std::vector<std::string> codes;  // upper case, sorted, cut to the limit
};

// The placeholders a word may use, for error messages: "{url}, {host}, ...".
std::string known_placeholders();

// Checks a word's placeholders; throws std::invalid_argument naming the first
// unknown one or the stray brace.
void check_placeholders(const std::string& word);

// The NAMEs of the word's {env:NAME} placeholders.
std::vector<std::string> env_names(const std::string& word);

// The word with its placeholders filled. A word that is exactly `{codes}`
// becomes one word per code; inside a longer word `{codes}` is the codes joined
// by spaces. Throws std::invalid_argument like check_placeholders.
std::vector<std::string> expand_words(const std::string& word, const CellValues& values);
// For texts that stay one word (cwd, env values): `{codes}` joined by spaces.
std::string expand_text(const std::string& word, const CellValues& values);

}  // namespace platespin::bench
