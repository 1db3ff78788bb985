// flag_server's path sanitiser (server/path_sanitizer.hpp): whatever the
// target, a path it lets through is "/" or "/a/b" with no empty, "." or ".."
// segment and no NUL or backslash, so it cannot name a file above the root.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "path_sanitizer.hpp"

namespace {

void check_clean(const std::string& path) {
  PLATESPIN_FUZZ_CHECK(!path.empty() && path.front() == '/');
  PLATESPIN_FUZZ_CHECK(path.find_first_of(std::string_view("\0\\", 2)) == std::string::npos);
  if (path == "/") return;
  std::string_view rest(path);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the '/'
    const auto segment = rest.substr(0, rest.find('/'));
    PLATESPIN_FUZZ_CHECK(!segment.empty() && segment != "." && segment != "..");
    rest.remove_prefix(segment.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  if (const auto path = platespin::sanitize_target(target)) check_clean(*path);

  // The --prefix option goes through normalize_prefix: "" or "/a/b" without a trailing '/'.
  const std::string prefix = platespin::normalize_prefix(std::string(target));
  if (!prefix.empty()) PLATESPIN_FUZZ_CHECK(prefix.front() == '/' && prefix.back() != '/');
  return 0;
}
