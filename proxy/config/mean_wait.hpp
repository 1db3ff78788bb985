#pragma once
// How long a request waits on average through a listener: what flagbench's
// latency bound (concurrency / wait) needs. Derived from each fault's own
// effect on a fate, so a new fault that waits counts without anyone here
// knowing its name.
#include "proxy_config.hpp"

namespace platespin::proxy {

// Seconds: each behavior's wait times its share, plus each toxic's times its
// toxicity; jitter is symmetric, so its middle is taken.
double mean_wait_s(const ListenerConfig& listener);

}  // namespace platespin::proxy
