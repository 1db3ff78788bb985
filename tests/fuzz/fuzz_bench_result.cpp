// flagbench's result reader (bench/flagbench/bench_result.hpp, what `flagbench
// report` and --compare read; read_bench_result() turns its exceptions into
// std::runtime_error naming the file) on any JSON.
#include "bench_result.hpp"
#include "json_round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return platespin::fuzz::json_round_trip<platespin::bench::BenchResult>(data, size);
}
