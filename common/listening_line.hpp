#pragma once
// "listening on HOST:PORT (NAME)": the line a server prints once it accepts
// connections, and what tests and flagbench wait for instead of sleeping.
// The writer and the reader live together so that they cannot drift.
#include <cstdint>
#include <string>

#include "endpoint.hpp"

namespace platespin {

// Prints "listening on HOST:PORT" (or "listening on HOST:PORT (NAME)") on stdout and flushes.
void announce_listening(const std::string& host, std::uint16_t port, const std::string& name = "");

// Parses such a line; false if the line is not one.
bool parse_listening_line(const std::string& line, Endpoint& where, std::string& name);

}  // namespace platespin
