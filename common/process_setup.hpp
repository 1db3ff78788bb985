#pragma once
// What every long-running binary does at start: raise its open-file limit,
// and find where it is installed (sibling binaries, the data set).
#include <cstdint>
#include <filesystem>

namespace platespin {

// Raises RLIMIT_NOFILE's soft limit to the hard limit; warns on stderr when the
// result is below `wanted`. Returns the new soft limit.
std::uint64_t raise_open_file_limit(std::uint64_t wanted);

// The directory of the running executable.
std::filesystem::path executable_dir();

}  // namespace platespin
