#pragma once
// Range requests (RFC 9110 §14): which bytes of a representation a GET asks
// for. flag_server serves one range as 206; several are answered with the
// whole file (200), which §14.2 allows, so no multipart/byteranges.
#include <cstdint>
#include <string_view>

namespace platespin {

struct RangeRequest {
  enum class Kind {
    whole,          // no usable Range field (absent, not bytes=, malformed, several ranges): 200
    partial,        // one satisfiable range: 206 with bytes [first, first + length)
    unsatisfiable,  // one range that starts at or after the end: 416
  };
  Kind kind = Kind::whole;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// The answer to a Range field `range` ("bytes=0-10", "bytes=-10",
// "bytes=10-"; empty when absent) for a representation of `size` bytes. A
// last position past the end is cut to the end (§14.1.2); an empty file has
// no range to serve and is sent whole.
RangeRequest parse_range(std::string_view range, std::uint64_t size);

}  // namespace platespin
