#pragma once
// How long a client took to recover after a run's schedule ended, from its
// items' start times: `recovered_within_s`.
//
// T is when the last step took effect (its applied_ms). Of the items that
// started at or after T, let F be the latest start of one that failed (an
// error: ok and 404 both count as answered). The client has recovered at S,
// the start of the first item that started at or after T (and after F, if
// any failed) — so every item from S on succeeded. The recovery time is S - T.
// It never recovered when the last step did not take effect while the client
// ran, when no item started after T, or when the last one to start failed.
//
// Item start times are on the client's clock, which begins a little after
// flagbench starts the process (its exec and set-up, milliseconds), so an item
// is taken to start slightly earlier than it did: the error is that small.
#include <optional>

#include "bench_result.hpp"

namespace platespin::bench {

// Seconds from the last step's effect to recovery; empty when it never
// recovered (or the repetition has no result, fewer applied steps than
// `scheduled_steps`, or items without start times).
std::optional<double> recovery_s(const Repetition& repetition, std::size_t scheduled_steps);

}  // namespace platespin::bench
