#pragma once
// The book's final report (flags2_common.py's final_report), read from a
// client's stdout for `result: flags2`:
//   --------------------
//   194 flags downloaded.     ("1 flag downloaded.")
//   482 not found.            (only when some were)
//   3 errors.                 ("1 error.", only when some were)
//   Elapsed time: 3.58s
#include <string>

#include "result.hpp"

namespace platespin::bench {

// The counts and the time as a ClientResult (no items, no latencies), named
// `client`. Throws std::invalid_argument when the "downloaded" or the
// "Elapsed time" line is missing.
ClientResult parse_flags2_report(const std::string& stdout_text, const std::string& client);

}  // namespace platespin::bench
