#pragma once
// Runs chaos_proxy: opens every listener (and the control API), announces
// them in order, serves until SIGINT or SIGTERM. Returns the exit code.
#include "proxy_config.hpp"

namespace platespin::proxy {

int run_proxy(const ProxyConfig& config, bool announce_names);

}  // namespace platespin::proxy
