#pragma once
// Validators and conditional requests (RFC 9110 §8.8, §13): ETag, HTTP-dates,
// If-Match and If-Unmodified-Since → 412 Precondition Failed, If-None-Match
// and If-Modified-Since → 304 Not Modified, If-Range.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace platespin {

// nginx's form: "\"<mtime in hex>-<size in hex>\"", e.g. "\"4312e3f0-173\"".
std::string make_etag(std::time_t mtime, std::uint64_t size);

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::time_t when);

// Any of the three forms RFC 9110 asks recipients to accept (IMF-fixdate,
// RFC 850, asctime); std::nullopt for anything else.
std::optional<std::time_t> parse_http_date(std::string_view text);

// True when the request's validators say the client's copy is current. An
// If-None-Match header (a list of entity tags or "*", weak tags compared
// weakly) decides alone; otherwise a valid If-Modified-Since at or after
// `mtime` does. Empty strings mean the header is absent.
bool is_not_modified(std::string_view if_none_match, std::string_view if_modified_since, std::string_view etag,
                     std::time_t mtime);

// The precondition fields of a GET or HEAD, empty when absent.
struct Preconditions {
  std::string_view if_match{};
  std::string_view if_unmodified_since{};
  std::string_view if_none_match{};
  std::string_view if_modified_since{};
};

enum class PreconditionOutcome { proceed, not_modified, failed };

// RFC 9110 §13.2.2's order for a GET or HEAD of an existing file: If-Match
// (strong comparison, "*" matches) or else If-Unmodified-Since can fail it
// (412); then If-None-Match or else If-Modified-Since can make it a 304. An
// If-Unmodified-Since or If-Modified-Since that is not a valid date is ignored.
PreconditionOutcome evaluate_preconditions(const Preconditions& fields, std::string_view etag, std::time_t mtime);

// Whether an If-Range field lets a Range be served (RFC 9110 §13.1.5): an
// entity tag must match `etag` strongly; a date must equal `mtime`, and only
// counts when that is a strong validator, a second or more before `now`
// (§8.8.2.2). Anything else means the whole file is sent.
bool if_range_holds(std::string_view if_range, std::string_view etag, std::time_t mtime, std::time_t now);

}  // namespace platespin
