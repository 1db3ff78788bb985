#pragma once
// A run's schedule carried out: each step PUT to the proxy's control API when
// it is due, when it took effect recorded, and every listener it touched put
// back as it was before the run. The caller's wait loop asks next_due() for
// its timeout (a timer, not polling) and calls apply_due() when it wakes.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bench_result.hpp"
#include "endpoint.hpp"
#include "schedule.hpp"

namespace platespin::bench {

class ScheduledChanges {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads each listener the steps touch (GET /proxies/NAME), to restore it
  // later. Throws std::runtime_error when the API does not answer or has no
  // such listener.
  ScheduledChanges(const Schedule& steps, const Endpoint& api);
  // Restores what restore() has not (an exception, SIGINT); errors go to stderr.
  ~ScheduledChanges();
  ScheduledChanges(const ScheduledChanges&) = delete;
  ScheduledChanges& operator=(const ScheduledChanges&) = delete;

  // The client started at `t0`: steps are due at t0 + at.
  void start(Clock::time_point t0);
  // When the next step is due; empty when all are applied (or before start()).
  std::optional<Clock::time_point> next_due() const;
  // Applies every step due by `now`, in order. Throws std::runtime_error when the API refuses one.
  void apply_due(Clock::time_point now);
  // Puts every touched listener back as it was. Throws std::runtime_error.
  void restore();

  const std::vector<StepEffect>& effects() const { return effects_; }

 private:
  struct Saved {
    std::string listener;
    nlohmann::json config;  // the update fields of its GET /proxies/NAME
  };

  const Schedule& steps_;
  Endpoint api_;
  std::vector<Saved> saved_;
  std::optional<Clock::time_point> t0_;
  std::size_t next_ = 0;
  bool restored_ = false;
  std::vector<StepEffect> effects_;
};

}  // namespace platespin::bench
