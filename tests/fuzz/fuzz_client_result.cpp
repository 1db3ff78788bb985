// The clients' result reader (common/result.hpp, platespin.result/1) on any JSON.
#include "json_round_trip.hpp"
#include "result.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return platespin::fuzz::json_round_trip<platespin::ClientResult>(data, size);
}
