// flagbench's result reader (bench/flagbench/bench_result.hpp, what `flagbench
// report` and --compare read) on any JSON: a BenchResult or
// nlohmann::json::exception / std::invalid_argument (read_bench_result() turns
// both into std::runtime_error naming the file); a result it read writes back
// into a document it reads again the same.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "bench_result.hpp"
#include "fuzz_check.hpp"

using platespin::bench::BenchResult;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = nlohmann::json::parse(data, data + size, nullptr, false);
  if (document.is_discarded()) return 0;
  BenchResult result;
  try {
    from_json(document, result);
  } catch (const nlohmann::json::exception&) {
    return 0;
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const nlohmann::json written = result;
  BenchResult again;
  from_json(written, again);  // an exception here escapes: libFuzzer reports it
  PLATESPIN_FUZZ_CHECK(nlohmann::json(again) == written);
  return 0;
}
