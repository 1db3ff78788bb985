#pragma once
// What a result reader owes any JSON: a `Result` (read with its from_json), or
// nlohmann::json::exception / std::invalid_argument, as documented; and a
// result it read writes back (to_json) into a document it reads again the same.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fuzz_check.hpp"

namespace platespin::fuzz {

template <typename Result>
int json_round_trip(const std::uint8_t* data, std::size_t size) {
  const auto document = nlohmann::json::parse(data, data + size, nullptr, false);
  if (document.is_discarded()) return 0;
  Result result;
  try {
    from_json(document, result);
  } catch (const nlohmann::json::exception&) {
    return 0;
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const nlohmann::json written = result;
  Result again;
  from_json(written, again);  // an exception here escapes: libFuzzer reports it
  PLATESPIN_FUZZ_CHECK(nlohmann::json(again) == written);
  return 0;
}

}  // namespace platespin::fuzz
