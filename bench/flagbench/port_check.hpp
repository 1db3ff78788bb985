#pragma once
// Fixed ports (server: {port: 8001}, a listener's listen: 127.0.0.1:8002) are
// checked before anything starts: a port in use is one clear line, not a
// half-started set of services.
#include "scenario.hpp"

namespace platespin::bench {

// Throws std::runtime_error naming the first fixed address that is taken (or
// given twice). Free ports (0) are not checked.
void check_fixed_ports(const Scenario& scenario);

}  // namespace platespin::bench
