#include "listener_state.hpp"

#include "decision.hpp"

namespace platespin::proxy {

ListenerState::ListenerState(ListenerConfig config, std::optional<std::uint64_t> seed)
    : config_(std::move(config)), seed_(seed), random_(std::random_device{}()) {}

void ListenerState::set_config(ListenerConfig config) {
  const std::lock_guard lock(mutex_);
  config_ = std::move(config);
}

Fate ListenerState::next_fate(std::string_view method, std::string_view target) {
  const std::lock_guard lock(mutex_);
  if (config_.behaviors.empty()) return Fate{};
  std::uint64_t roll = 0;
  if (seed_) {
    roll = seeded_roll(*seed_, config_.name, method, target, seen_.next(method, target));
  } else {
    roll = random_();
  }
  return decide_fate(config_.behaviors, config_.params, roll);
}

void ListenerState::count_request(std::string_view behavior, int status) {
  const std::lock_guard lock(mutex_);
  const auto it = requests_.find(std::pair<std::string_view, int>(behavior, status));
  if (it != requests_.end()) {
    ++it->second;
  } else {
    requests_.emplace(std::pair(std::string(behavior), status), 1);
  }
}

RequestCounts ListenerState::request_counts() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void ListenerState::reset() {
  const std::lock_guard lock(mutex_);
  requests_.clear();
  seen_.clear();
  counters.zero();
}

}  // namespace platespin::proxy
