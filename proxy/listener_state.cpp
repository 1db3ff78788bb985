#include "listener_state.hpp"

#include "decision.hpp"
#include "listener_registry.hpp"

#include <algorithm>

namespace platespin::proxy {

ListenerState::ListenerState(ListenerConfig config, std::optional<std::uint64_t> seed)
    : config_(std::move(config)), configured_toxics_(config_.toxics), seed_(seed), random_(std::random_device{}()) {}

void ListenerState::set_config(ListenerConfig config) {
  const std::lock_guard lock(mutex_);
  config_ = std::move(config);
  version_.fetch_add(1, std::memory_order_release);
}

template <typename Decide>
auto ListenerState::next_fate(std::string_view method, std::string_view target, Decide decide, std::uint64_t* roll_out,
                              bool always_roll) {
  const std::lock_guard lock(mutex_);
  using Fate = decltype(decide(config_, 0, nullptr));
  if (!always_roll && config_.behaviors.empty() && config_.toxics.empty()) return Fate{};
  const std::uint64_t roll =
      seed_ ? seeded_roll(*seed_, config_.name, method, target, seen_.next(method, target)) : random_();
  if (roll_out) *roll_out = roll;
  std::vector<std::size_t> hit;
  Fate fate = decide(config_, roll, &hit);
  for (const std::size_t i : hit) {
    const ToxicConfig& t = config_.toxics[i];
    const ToxicKeyLess::Views key{t.name, t.type->name(), to_string(t.stream)};
    const auto it = toxics_applied_.find(key);
    if (it != toxics_applied_.end()) {
      ++it->second;
    } else {
      toxics_applied_.emplace(ToxicKey(key), 1);
    }
  }
  return fate;
}

HttpFate ListenerState::next_http_fate(std::string_view method, std::string_view target) {
  return next_fate(method, target, decide_http_fate);
}

// A connection lives on while toxics come and go, so it always has a roll.
TcpFate ListenerState::next_tcp_fate(std::uint64_t* roll) { return next_fate("TCP", "", decide_tcp_fate, roll, true); }

TcpFate ListenerState::tcp_fate_for(std::uint64_t roll) const {
  const std::lock_guard lock(mutex_);
  return decide_tcp_fate(config_, roll);
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

ToxicCounts ListenerState::toxic_counts() const {
  const std::lock_guard lock(mutex_);
  return toxics_applied_;
}

RequestCounts ListenerState::request_counts() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void ListenerState::reset() {
  const std::lock_guard lock(mutex_);
  requests_.clear();
  toxics_applied_.clear();
  seen_.clear();
  counters.zero();
}

ListenerState& ListenerList::add(const ListenerConfig& config, bool enabled) {
  auto& state = *listeners_.emplace_back(std::make_shared<ListenerState>(config, std::nullopt));
  state.enabled = enabled;
  return state;
}

void ListenerList::remove(std::string_view name) {
  std::erase_if(listeners_, [&](const auto& l) { return l->config().name == name; });
}

}  // namespace platespin::proxy
