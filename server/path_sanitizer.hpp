#pragma once
// Turns a request target into a clean path under the server root, like nginx's
// `root` mapping, so that no target can name a file outside the root.
#include <optional>
#include <string>
#include <string_view>

namespace platespin {

// "/flags/ad/ad.gif?x=1" → "/flags/ad/ad.gif". Percent-escapes are decoded
// (so %2e%2e and %2f are seen for what they are), "." and empty segments are
// dropped and ".." removes the segment before it. Returns std::nullopt, to be
// answered with 400, for a target that is not origin-form ("/...") or
// absolute-form ("http://host/..."), a bad escape, a NUL or backslash, or a
// ".." that would climb above the root.
std::optional<std::string> sanitize_target(std::string_view target);

// "/flags/" → "/flags", "flags" → "/flags", "/" → "": the served subtree's
// URL prefix, in the form sanitize_target's results start with.
std::string normalize_prefix(const std::string& prefix);

}  // namespace platespin
