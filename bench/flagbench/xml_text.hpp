#pragma once
// Text inside the SVG and XHTML flagbench writes. The page must parse as XML,
// and its text comes from outside (scenario files, servers' error texts), so
// the five markup characters are escaped, and what XML 1.0 cannot carry at
// all (bytes that are not UTF-8, most control characters) becomes U+FFFD.
#include <string>
#include <string_view>

namespace platespin::bench {

std::string xml_escape(std::string_view text);

}  // namespace platespin::bench
