#pragma once
// Reproducible chaos: with a seed, the fate of a request is a pure function of
// (seed, listener, method, target, how many times this listener saw that
// target before), so the same URLs get the same faults in every run whatever
// the concurrency or the arrival order. No Beast here: flagbench
// micro-benchmarks the decision.
#include <cstdint>
#include <string_view>
#include <vector>

#include "fate.hpp"
#include "proxy_config.hpp"

namespace platespin::proxy {

// 64 well-mixed bits from the inputs (FNV-1a over them, then SplitMix64's finalizer).
std::uint64_t seeded_roll(std::uint64_t seed, std::string_view listener, std::string_view method,
                          std::string_view target, std::uint64_t occurrence);

// What happens to a request (a connection) that rolled `roll`. First the mix:
// its percentage (roll % 100) picks the share it falls in, in the order
// written; past the sum no behavior applies ("dummy"). Then each toxic in list
// order, when its own roll (the request's with the toxic's name mixed in) is
// under its toxicity, until one ends the exchange. The rest of each roll's bits
// feed the fault's own choices (a status, a jitter). The index of each toxic
// that hit goes into `hit` when it is given.
HttpFate decide_http_fate(const ListenerConfig& listener, std::uint64_t roll, std::vector<std::size_t>* hit = nullptr);
TcpFate decide_tcp_fate(const ListenerConfig& listener, std::uint64_t roll, std::vector<std::size_t>* hit = nullptr);

}  // namespace platespin::proxy
