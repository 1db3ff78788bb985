#pragma once
// Validators and conditional requests (RFC 9110 §8.8, §13): ETag, HTTP-dates,
// If-None-Match and If-Modified-Since → 304 Not Modified.
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

}  // namespace platespin
