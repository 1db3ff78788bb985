#include "conditional_request.hpp"

#include <fmt/format.h>

#include <array>

namespace platespin {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view without_weak_prefix(std::string_view tag) {
  return tag.substr(0, 2) == "W/" ? tag.substr(2) : tag;
}

bool etag_list_matches(std::string_view list, std::string_view etag) {
  if (trim(list) == "*") return true;
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (without_weak_prefix(trim(list.substr(0, comma))) == without_weak_prefix(etag)) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::string make_etag(std::time_t mtime, std::uint64_t size) {
  return fmt::format("\"{:x}-{:x}\"", static_cast<std::uint64_t>(mtime), size);
}

std::string format_http_date(std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  std::array<char, 64> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return {buf.data(), n};
}

std::optional<std::time_t> parse_http_date(std::string_view text) {
  const std::string s(trim(text));
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = strptime(s.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') return timegm(&tm);
  }
  return std::nullopt;
}

bool is_not_modified(std::string_view if_none_match, std::string_view if_modified_since, std::string_view etag,
                     std::time_t mtime) {
  if (!if_none_match.empty()) return etag_list_matches(if_none_match, etag);
  if (if_modified_since.empty()) return false;
  const auto since = parse_http_date(if_modified_since);
  return since && mtime <= *since;
}

}  // namespace platespin
