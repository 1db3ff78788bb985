#include "byte_range.hpp"

#include "field_value.hpp"

#include <limits>
#include <optional>

namespace platespin {

namespace {

// 1*DIGIT as a number; nullopt when empty, not all digits, or over 2^64 - 1.
std::optional<std::uint64_t> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    n = n * 10 + digit;
  }
  return n;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

}  // namespace

RangeRequest parse_range(std::string_view range, std::uint64_t size) {
  using Kind = RangeRequest::Kind;
  const RangeRequest whole;
  const auto equals = range.find('=');
  // Another unit, or no unit: ignored (§14.2), the whole representation is sent.
  if (equals == std::string_view::npos || !equal_ignoring_case(trim_ows(range.substr(0, equals)), "bytes")) return whole;
  const std::string_view spec = trim_ows(range.substr(equals + 1));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole file (README)
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
  if (size == 0) return whole;

  if (first_text.empty()) {  // suffix-range "-N": the last N bytes
    const auto suffix = parse_digits(last_text);
    if (!suffix) return whole;
    if (*suffix == 0) return {Kind::unsatisfiable, 0, 0};
    const std::uint64_t length = *suffix < size ? *suffix : size;
    return {Kind::partial, size - length, length};
  }
  const auto first = parse_digits(first_text);
  if (!first) return whole;
  std::uint64_t last = size - 1;
  if (!last_text.empty()) {
    const auto given = parse_digits(last_text);
    if (!given || *given < *first) return whole;  // invalid: ignored like any malformed field
    if (*given < last) last = *given;
  }
  if (*first >= size) return {Kind::unsatisfiable, 0, 0};
  return {Kind::partial, *first, last - *first + 1};
}

}  // namespace platespin
