#include "namespace_network.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "run_command.hpp"

namespace platespin::test {

namespace {

constexpr const char* kFamily = "platespin-";
constexpr const char* kBridge = "br0";
// Where `ip netns exec NAME` finds the files it shows NAME as /etc/*.
const std::filesystem::path kNetnsEtc = "/etc/netns";

void delete_namespace(const std::string& name) {
  const auto deleted = run_command("ip", {"netns", "delete", name});
  if (deleted.exit_code != 0) std::cerr << "could not delete network namespace " << name << ": " << deleted.err;
  std::error_code ignored;
  std::filesystem::remove_all(kNetnsEtc / name, ignored);
}

std::vector<std::string> namespace_names() {
  std::vector<std::string> names;
  std::istringstream lines(run_command("ip", {"netns", "list"}).out);
  for (std::string line; std::getline(lines, line);)
    if (const auto name = line.substr(0, line.find(' ')); !name.empty()) names.push_back(name);
  return names;
}

// Deletes namespaces "platespin-<pid>-..." whose pid no longer runs: a test
// killed by ctest's timeout cannot clean up after itself.
void remove_orphans() {
  for (const auto& name : namespace_names()) {
    if (name.rfind(kFamily, 0) != 0) continue;
    const std::string rest = name.substr(std::string(kFamily).size());
    pid_t pid = 0;
    try {
      pid = static_cast<pid_t>(std::stol(rest));
    } catch (const std::exception&) {
      continue;
    }
    if (::kill(pid, 0) != 0 && errno == ESRCH) delete_namespace(name);
  }
}

}  // namespace

std::string NamespaceNetwork::unavailable_reason() {
  if (::geteuid() != 0) return "needs root to create network namespaces (run as root, e.g. in scripts/test as CI does)";
  if (!find_program("ip")) return "needs iproute2's `ip` (apt-get install iproute2)";
  const std::string probe = std::string(kFamily) + std::to_string(::getpid()) + "-probe";
  const auto added = run_command("ip", {"netns", "add", probe});
  if (added.exit_code != 0) return "`ip netns add` failed here (" + added.err + "); namespaces need CAP_SYS_ADMIN";
  run_command("ip", {"netns", "delete", probe});
  return "";
}

NamespaceNetwork::NamespaceNetwork() : prefix_(std::string(kFamily) + std::to_string(::getpid()) + "-") {
  remove_orphans();
  const std::string bridge_ns = prefix_ + "switch";
  ip({"netns", "add", bridge_ns});
  namespaces_.push_back(bridge_ns);
  try {
    ip({"-n", bridge_ns, "link", "add", kBridge, "type", "bridge"});
    ip({"-n", bridge_ns, "link", "set", kBridge, "up"});
  } catch (...) {
    delete_namespace(bridge_ns);  // no destructor runs for a half-made object
    throw;
  }
}

NamespaceNetwork::~NamespaceNetwork() {
  for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) delete_namespace(*it);
}

std::string NamespaceNetwork::add_host(const std::string& name, const std::string& address) {
  const std::string bridge_ns = namespaces_.front();
  const std::string host_ns = namespace_of(name);
  ip({"netns", "add", host_ns});
  namespaces_.push_back(host_ns);
  // The pair is made inside the bridge namespace with its peer born in the
  // host's, so no interface name ever exists in the machine's own namespace.
  const std::string port = "to-" + name;
  ip({"-n", bridge_ns, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host_ns});
  ip({"-n", bridge_ns, "link", "set", port, "master", kBridge});
  ip({"-n", bridge_ns, "link", "set", port, "up"});
  ip({"-n", host_ns, "addr", "add", address + "/" + std::to_string(kPrefixLength), "dev", "eth0"});
  ip({"-n", host_ns, "link", "set", "eth0", "up"});
  ip({"-n", host_ns, "link", "set", "lo", "up"});
  hosts_.emplace_back(name, address);
  write_hosts_files();
  return host_ns;
}

void NamespaceNetwork::write_hosts_files() const {
  for (const auto& host : hosts_) {
    const auto dir = kNetnsEtc / namespace_of(host.first);
    std::filesystem::create_directories(dir);
    std::ofstream hosts(dir / "hosts");
    hosts << "127.0.0.1 localhost\n";
    for (const auto& [name, address] : hosts_) hosts << address << " " << name << "\n";
    if (!hosts.flush()) throw std::runtime_error("cannot write " + (dir / "hosts").string());
  }
}

std::vector<std::string> NamespaceNetwork::exec_args(const std::string& name, const std::string& exe,
                                                     const std::vector<std::string>& args) const {
  std::vector<std::string> all{"netns", "exec", namespace_of(name), exe};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

std::string NamespaceNetwork::namespace_of(const std::string& host) const { return prefix_ + host; }

void NamespaceNetwork::ip(const std::vector<std::string>& args) const {
  const auto done = run_command("ip", args);
  if (done.exit_code != 0) throw std::runtime_error(command_text("ip", args) + " failed: " + done.err);
}

}  // namespace platespin::test
