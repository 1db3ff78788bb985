// A toxic from any input (proxy/config/toxic_config.hpp): the input as
// Toxiproxy's JSON (toxic_from_json) and as --toxic text
// (toxic_from_command_line), for both protocols. Either std::invalid_argument,
// or a toxic whose to_json() reads back as the same toxic.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "fuzz_check.hpp"
#include "toxic_config.hpp"

using namespace platespin::proxy;

namespace {

void reads_back(const ToxicConfig& toxic, Protocol protocol) {
  PLATESPIN_FUZZ_CHECK(toxic.type != nullptr && toxic.type->works_with(protocol));
  PLATESPIN_FUZZ_CHECK(toxic.toxicity >= 0 && toxic.toxicity <= 1);
  const nlohmann::json written = to_json(toxic);
  const ToxicConfig again = toxic_from_json(written, protocol);  // an exception here escapes: libFuzzer reports it
  PLATESPIN_FUZZ_CHECK(to_json(again) == written);
  PLATESPIN_FUZZ_CHECK(!written.dump().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto document = nlohmann::json::parse(data, data + size, nullptr, false);
  for (const Protocol protocol : {Protocol::http, Protocol::tcp}) {
    if (!document.is_discarded()) {
      try {
        reads_back(toxic_from_json(document, protocol), protocol);
      } catch (const std::invalid_argument&) {
      }
    }
    try {
      reads_back(toxic_from_command_line(text, protocol), protocol);
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
