#include "conditional_request.hpp"

#include "field_value.hpp"

#include <fmt/format.h>

#include <array>

namespace platespin {

namespace {

std::string_view without_weak_prefix(std::string_view tag) {
  return tag.substr(0, 2) == "W/" ? tag.substr(2) : tag;
}

bool etag_list_matches(std::string_view list, std::string_view etag) {
  if (trim_ows(list) == "*") return true;
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (without_weak_prefix(trim_ows(list.substr(0, comma))) == without_weak_prefix(etag)) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

// Strong comparison (§8.8.3.2): a weak tag in the list matches nothing.
bool etag_list_matches_strongly(std::string_view list, std::string_view etag) {
  if (trim_ows(list) == "*") return true;
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (trim_ows(list.substr(0, comma)) == etag && etag.substr(0, 2) != "W/") return true;
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
  const std::string s(trim_ows(text));
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

PreconditionOutcome evaluate_preconditions(const Preconditions& fields, std::string_view etag, std::time_t mtime) {
  if (!fields.if_match.empty()) {
    if (!etag_list_matches_strongly(fields.if_match, etag)) return PreconditionOutcome::failed;
  } else if (!fields.if_unmodified_since.empty()) {
    const auto since = parse_http_date(fields.if_unmodified_since);
    if (since && mtime > *since) return PreconditionOutcome::failed;
  }
  return is_not_modified(fields.if_none_match, fields.if_modified_since, etag, mtime) ? PreconditionOutcome::not_modified
                                                                                      : PreconditionOutcome::proceed;
}

bool if_range_holds(std::string_view if_range, std::string_view etag, std::time_t mtime, std::time_t now) {
  if_range = trim_ows(if_range);
  // §13.1.5: an entity tag starts with DQUOTE (or W/, which never matches strongly).
  if (if_range.substr(0, 1) == "\"" || if_range.substr(0, 2) == "W/") return if_range == etag && etag.substr(0, 2) != "W/";
  const auto date = parse_http_date(if_range);
  return date && *date == mtime && mtime + 1 <= now;
}

}  // namespace platespin
