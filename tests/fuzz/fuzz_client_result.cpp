// The result JSON reader (common/result.hpp) on any JSON: from_json() gives a
// ClientResult or throws nlohmann::json::exception or std::invalid_argument,
// as documented; a result it read writes back (to_json) into a document it
// reads again the same.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fuzz_check.hpp"
#include "result.hpp"

using platespin::ClientResult;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = nlohmann::json::parse(data, data + size, nullptr, false);
  if (document.is_discarded()) return 0;
  ClientResult result;
  try {
    from_json(document, result);
  } catch (const nlohmann::json::exception&) {
    return 0;
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const nlohmann::json written = result;
  ClientResult again;
  from_json(written, again);  // an exception here escapes: libFuzzer reports it
  PLATESPIN_FUZZ_CHECK(nlohmann::json(again) == written);
  return 0;
}
