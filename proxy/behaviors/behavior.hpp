#pragma once
// The faults chaos_proxy injects, one small file each (like Toxiproxy's
// toxics/). A behavior does no I/O itself: it writes what should happen to one
// request (HTTP) or one connection (TCP) into a Fate, and the sessions carry
// that out with a few primitives (wait, answer, cut, throttle, slice). So the
// behaviors compile without Beast and adding one touches its file and the
// registry line in registry.cpp.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "proxy_config.hpp"

namespace platespin::proxy {

using Micros = std::chrono::microseconds;

struct Fate {
  enum class Cut {
    none,      // answer normally
    hang,      // read the request, never answer, hold the connection until the client leaves
    blackout,  // close at once, no response
    abort,     // TCP reset
    truncate,  // response headers and part of the body, then close
  };
  std::string_view behavior = "dummy";  // for the counters
  Micros delay_before{0};    // wait before the backend is called (no backend socket held)
  Micros delay_after{0};     // wait after the backend's response headers came
  Micros chunk_delay{0};     // TCP: wait before forwarding each chunk
  int error_status = 0;      // answer this status ourselves; the backend is not called
  Cut cut = Cut::none;
  std::uint64_t truncate_bytes = 0;  // with Cut::truncate: body bytes sent at most
  std::uint64_t bandwidth_bps = 0;   // 0: not throttled
  std::uint64_t slice_bytes = 0;     // TCP: 0 = whole chunks; else writes of this size...
  Micros slice_gap{0};               // ...with this pause between them
};

class Behavior {
 public:
  virtual ~Behavior() = default;
  virtual std::string_view name() const = 0;
  virtual bool works_with(Protocol protocol) const = 0;
  // Writes this behavior's effect into `fate`. `random` is 64 bits drawn for
  // this request (from the seeded decision when there is a seed), for choices
  // like the error code or the jitter.
  virtual void shape(Fate& fate, const BehaviorParams& params, std::uint64_t random) const = 0;
};

// The behavior called `name`, or nullptr.
const Behavior* find_behavior(std::string_view name);
// "dummy, delay, ..." of those that work with `protocol`, for error messages.
std::string behavior_names(Protocol protocol);

// Seconds as microseconds, the unit of Fate.
inline Micros seconds_to_micros(double seconds) { return Micros(static_cast<std::int64_t>(seconds * 1e6)); }

}  // namespace platespin::proxy
