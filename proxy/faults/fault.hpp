#pragma once
// A fault chaos_proxy injects: a Vaurien behavior (behaviors/, picked from a
// listener's share mix) or a Toxiproxy toxic type (toxics/, stacked in a
// listener's list). One small file each, like Toxiproxy's toxics/: the fault
// declares its parameters and writes its effect into a fate; it does no I/O.
// Adding one is its file, its test and a line in its folder's registry.cpp.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fate.hpp"
#include "parameter.hpp"
#include "protocol.hpp"

namespace platespin::proxy {

// Toxiproxy's two directions.
enum class Stream { upstream, downstream };  // client to server; server to client
const char* to_string(Stream stream);
Stream stream_from_string(std::string_view text);  // throws std::invalid_argument

class Fault {
 public:
  virtual ~Fault() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view help() const = 0;
  virtual Parameters parameters() const { return {}; }
  virtual bool works_with(Protocol) const { return true; }
  // Checks between parameters beyond each one's own range; throws std::invalid_argument.
  virtual void check(const Values&) const {}
  // The effect on a request or a connection. `random`: 64 bits drawn for
  // this one (seeded when there is a seed), for choices like a status or a jitter.
  virtual void shape_http(HttpFate&, const Values&, Stream, std::uint64_t /*random*/) const {}
  virtual void shape_tcp(TcpFate&, const Values&, Stream, std::uint64_t /*random*/) const {}
};

using Faults = std::span<const Fault* const>;

// The direction of a connection a toxic on `stream` shapes.
inline TcpStream& direction(TcpFate& fate, Stream stream) {
  return stream == Stream::upstream ? fate.upstream : fate.downstream;
}

// The body an HTTP toxic on `stream` paces: the request's or the response's.
inline Pacing& body_pacing(HttpFate& fate, Stream stream) {
  return stream == Stream::upstream ? fate.request : fate.response;
}

// An HTTP exchange cut `after` the request came (upstream) or after the
// backend answered (downstream: the answer is dropped), as a TCP toxic cuts
// after the first data in its direction.
inline void cut_http(HttpFate& fate, HttpFate::Cut how, Micros after, Stream stream) {
  fate.cut = how;
  fate.cut_after = after;
  fate.cut_after_backend = stream == Stream::downstream;
}

// Vaurien's behaviors (behaviors/registry.cpp) and Toxiproxy's toxic types (toxics/registry.cpp).
Faults behaviors();
Faults toxic_types();
// The one called `name` in `faults`, or nullptr.
const Fault* find_fault(Faults faults, std::string_view name);
// "a, b, c": those of `faults` that work with `protocol`, for error messages.
std::string fault_names(Faults faults, Protocol protocol);

// A parameter in milliseconds (Toxiproxy's unit) as the fates' microseconds.
inline Micros millis(const Values& values, std::string_view key) {
  return std::chrono::milliseconds(values.whole(key));
}
// A uniform number in [0, 1) from the top 53 bits of `random`.
inline double unit_interval(std::uint64_t random) { return static_cast<double>(random >> 11) * 0x1.0p-53; }
// `base` give or take up to `spread`, uniformly, never below 0.
inline Micros give_or_take(Micros base, Micros spread, std::uint64_t random) {
  const double offset = static_cast<double>(spread.count()) * (2 * unit_interval(random) - 1);
  return Micros(std::max<std::int64_t>(0, base.count() + static_cast<std::int64_t>(offset)));
}

}  // namespace platespin::proxy
