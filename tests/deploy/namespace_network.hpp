#pragma once
// A private network of Linux network namespaces that stands in for separate
// hosts: one namespace holds a bridge (the switch), and every host is its own
// namespace joined to the bridge by a veth pair, with an address of a subnet
// that exists only inside these namespaces (no namespace has a route out).
// Hosts find each other by name, as compose services do: `ip netns exec`
// shows each namespace its own /etc/hosts, from /etc/netns/<namespace>/hosts.
// Needs root and iproute2's `ip`.
#include <string>
#include <vector>

namespace platespin::test {

class NamespaceNetwork {
 public:
  // Why namespaces cannot be made here ("not root", "no ip", what `ip netns add`
  // said), or an empty string when they can.
  static std::string unavailable_reason();

  // Creates the bridge namespace. Names start with "platespin-<our pid>-" so
  // parallel runs never collide; namespaces left by runs whose process is gone
  // (killed by a timeout) are removed first. Throws std::runtime_error.
  NamespaceNetwork();
  ~NamespaceNetwork();  // deletes every namespace it made; their veths and bridge go with them
  NamespaceNetwork(const NamespaceNetwork&) = delete;
  NamespaceNetwork& operator=(const NamespaceNetwork&) = delete;

  // Adds host `name` with `address` (an IPv4 address in kSubnet) on its eth0;
  // every host so far resolves `name` to it. Returns the namespace's name.
  std::string add_host(const std::string& name, const std::string& address);

  // The arguments for `ip` that run `exe args...` inside host `name`'s namespace.
  std::vector<std::string> exec_args(const std::string& name, const std::string& exe,
                                     const std::vector<std::string>& args) const;

  // RFC 2544's benchmarking range: never a real network's, never routed here.
  static constexpr const char* kSubnetPrefix = "198.18.0.";
  static constexpr int kPrefixLength = 24;

 private:
  std::string namespace_of(const std::string& host) const;
  void ip(const std::vector<std::string>& args) const;  // throws with ip's message on failure
  void write_hosts_files() const;

  std::string prefix_;
  std::vector<std::string> namespaces_;  // in creation order; the bridge's first
  std::vector<std::pair<std::string, std::string>> hosts_;  // name, address
};

}  // namespace platespin::test
