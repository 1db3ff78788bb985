#pragma once
// What the control API may do to the set of listeners while traffic flows:
// list them, add one, remove one. proxy_server.cpp keeps the real one (with
// sockets); the API and its tests only see this. Called on one thread only
// (the one that runs the API and the acceptors), so the list needs no lock;
// sessions on other threads hold their listener's state by shared_ptr.
#include <memory>
#include <string_view>
#include <vector>

#include "listener_state.hpp"

namespace platespin::proxy {

using Listeners = std::vector<std::shared_ptr<ListenerState>>;

class ListenerRegistry {
 public:
  virtual ~ListenerRegistry() = default;
  virtual Listeners& listeners() = 0;
  // Opens the listener (when `enabled`; its port 0 becomes the bound port) and
  // starts accepting. Throws std::system_error with the OS's reason when it cannot listen.
  virtual ListenerState& add(const ListenerConfig& config, bool enabled) = 0;
  // Closes its listening socket and its live connections, and forgets it.
  virtual void remove(std::string_view name) = 0;
};

// A registry without sockets, for what needs listeners but no traffic (tests, fuzzers).
class ListenerList final : public ListenerRegistry {
 public:
  Listeners& listeners() override { return listeners_; }
  ListenerState& add(const ListenerConfig& config, bool enabled) override;
  void remove(std::string_view name) override;

 private:
  Listeners listeners_;
};

}  // namespace platespin::proxy
