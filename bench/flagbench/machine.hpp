#pragma once
// Where a result was measured, so figures from two machines are never mixed up.
#include <nlohmann/json.hpp>

namespace platespin::bench {

// cores, memory_kb, kernel, cpu model, load average at start, compiler.
nlohmann::json machine_info();

// platespin's and the libraries' versions.
nlohmann::json version_info();

}  // namespace platespin::bench
