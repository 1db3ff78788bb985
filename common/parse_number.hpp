#pragma once
// A number that is the whole of a text, as every reader of ours takes one
// from an address, an option, a metrics line or a YAML scalar: std::from_chars,
// so no space or '+' in front, no sign for an unsigned type, no locale, and
// nothing left over ("3x" is not 3). Empty when the text is no such number or
// T cannot hold it; ranges are the caller's to check.
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace platespin {

template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

}  // namespace platespin
