#pragma once
// What every long-running binary does at start: raise its open-file limit and
// announce where it listens, the line tests and flagbench wait for.
#include <cstdint>
#include <string>

namespace platespin {

// Raises RLIMIT_NOFILE's soft limit to the hard limit; warns on stderr when the
// result is below `wanted`. Returns the new soft limit.
std::uint64_t raise_open_file_limit(std::uint64_t wanted);

// Prints "listening on HOST:PORT" (or "listening on HOST:PORT (NAME)") on stdout and flushes.
void announce_listening(const std::string& host, std::uint16_t port, const std::string& name = "");

}  // namespace platespin
