#include "listener_state.hpp"

#include "decision.hpp"

namespace platespin::proxy {

ListenerState::ListenerState(ListenerConfig config_, std::optional<std::uint64_t> seed)
    : config(std::move(config_)), seed_(seed), random_(std::random_device{}()) {}

Fate ListenerState::next_fate(std::string_view method, std::string_view target) {
  if (config.behaviors.empty()) return Fate{};
  std::uint64_t roll = 0;
  if (seed_) {
    std::string key;
    key.reserve(method.size() + 1 + target.size());
    key.append(method).append(" ").append(target);
    auto it = seen_.find(key);
    if (it == seen_.end()) it = seen_.emplace(std::move(key), 0).first;
    roll = seeded_roll(*seed_, config.name, method, target, it->second++);
  } else {
    roll = random_();
  }
  return decide_fate(config.behaviors, config.params, roll);
}

void ListenerState::count_request(std::string_view behavior, int status) {
  ++counters.requests[{std::string(behavior), status}];
}

void ListenerState::reset() {
  counters = ListenerCounters{};
  seen_.clear();
}

}  // namespace platespin::proxy
