#pragma once
// What the fault tests share: a fate written out whole (to compare two and to
// show the difference when they differ), and a fault's effect on a fresh fate.
#include <fmt/format.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "fate.hpp"
#include "fault.hpp"

namespace platespin::proxy::test {

inline std::string text(const Pacing& p) {
  return fmt::format("rate {} limit {} slice {}±{} gap {}", p.rate_bps, p.limit, p.slice_bytes, p.slice_variation,
                     p.slice_gap.count());
}

inline std::string text(const HeaderEdits& e) {
  std::string out = "set";
  for (const auto& [name, value] : e.set) out += " " + name + "=" + value;
  out += " remove";
  for (const auto& name : e.remove) out += " " + name;
  return out;
}

inline std::string text(const HttpFate& f) {
  return fmt::format(
      "behavior {} before {} after {} cut {} after {} backend {} status {} body '{}' request [{}] response [{}] half {} "
      "close {} request headers [{}] response headers [{}]",
      f.behavior, f.wait_before.count(), f.wait_after.count(), static_cast<int>(f.cut), f.cut_after.count(),
      f.cut_after_backend, f.status, f.body, text(f.request), text(f.response), f.half_body_at_most,
      f.close_delay.count(), text(f.request_headers), text(f.response_headers));
}

inline std::string text(const TcpStream& s) {
  return fmt::format("latency {}±{} [{}] drop {} after {} reset {} after {} close {}", s.latency.count(),
                     s.jitter.count(), text(s.pacing), s.drop, s.drop_close_after.count(), s.reset,
                     s.reset_after.count(), s.close_delay.count());
}

inline std::string text(const TcpFate& f) {
  return fmt::format("behavior {} cut {} up [{}] down [{}] random {}", f.behavior, static_cast<int>(f.cut),
                     text(f.upstream), text(f.downstream), f.random);
}

inline const Fault& toxic_type(std::string_view name) {
  const Fault* f = find_fault(toxic_types(), name);
  if (!f) throw std::logic_error("no toxic type " + std::string(name));
  return *f;
}

inline const Fault& behavior(std::string_view name) {
  const Fault* f = find_fault(behaviors(), name);
  if (!f) throw std::logic_error("no behavior " + std::string(name));
  return *f;
}

// The message of what `f` throws; "" when it throws nothing.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace platespin::proxy::test
