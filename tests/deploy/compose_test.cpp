// docker-compose.yml and the Dockerfile, checked without a Docker engine (there
// is none here): the compose file validates the way docker-compose reads it,
// every service runs a binary the build makes and the image carries, every
// config file it names exists, the bench waits for healthy peers, and the
// runtime image installs every shared library the binaries link.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "run_command.hpp"
#include "services.hpp"

namespace platespin::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = PLATESPIN_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

class Compose : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!find_program("docker-compose"))
      GTEST_SKIP() << "needs docker-compose (Debian's package; scripts/bootstrap installs it)";
  }
  // docker-compose's own reading of the file: anchors merged, `build:` resolved.
  YAML::Node resolved() {
    const auto done = run_command("docker-compose", {"-f", "docker-compose.yml", "config"}, kSource);
    EXPECT_EQ(done.exit_code, 0) << done.err;
    return YAML::Load(done.out);
  }
};

// The binaries the Dockerfile copies into the image.
std::set<std::string> image_binaries() {
  const std::string dockerfile = read_text(kSource / "Dockerfile");
  static const std::regex copied{R"(build/release/bin/([A-Za-z0-9_]+))"};
  std::set<std::string> names;
  for (std::sregex_iterator it(dockerfile.begin(), dockerfile.end(), copied), end; it != end; ++it)
    names.insert((*it)[1].str());
  return names;
}

// The packages the Dockerfile's runtime stage (after its last FROM) installs.
std::set<std::string> runtime_packages() {
  const std::string dockerfile = read_text(kSource / "Dockerfile");
  const std::string runtime = dockerfile.substr(dockerfile.rfind("\nFROM "));
  const std::string flag = "--no-install-recommends";
  const auto start = runtime.find(flag);
  std::set<std::string> packages;
  if (start == std::string::npos) return packages;
  std::istringstream words(runtime.substr(start + flag.size()));
  for (std::string word; words >> word && word != "&&" && word != "\\";) packages.insert(word);
  return packages;
}

TEST_F(Compose, FileValidates) {
  const auto done = run_command("docker-compose", {"-f", "docker-compose.yml", "config", "-q"}, kSource);
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(done.out, "");
}

TEST_F(Compose, HasTheServerProxyAndBenchServices) {
  const YAML::Node services = resolved()["services"];
  ASSERT_TRUE(services.IsMap());
  for (const char* name : {"server", "proxy", "bench"}) EXPECT_TRUE(services[name]) << "no service " << name;
}

TEST_F(Compose, EveryServiceRunsABinaryTheBuildMakesAndTheImageCarries) {
  const auto in_image = image_binaries();
  for (const auto& service : resolved()["services"]) {
    const std::string name = service.first.as<std::string>();
    const YAML::Node command = service.second["command"];
    ASSERT_TRUE(command.IsSequence() && command.size() > 0) << name << ": command must be a list";
    const std::string exe = command[0].as<std::string>();
    EXPECT_TRUE(fs::is_regular_file(binary(exe))) << name << " runs " << exe << ", which the build does not make";
    EXPECT_TRUE(in_image.contains(exe)) << name << " runs " << exe << ", which the Dockerfile does not copy";
  }
}

TEST_F(Compose, EveryConfigFileACommandNamesExists) {
  int named = 0;
  for (const auto& service : resolved()["services"]) {
    for (const auto& arg : service.second["command"]) {
      const std::string word = arg.as<std::string>();
      if (!word.ends_with(".yaml") && !word.ends_with(".yml")) continue;
      ++named;
      // The image's working directory holds a copy of configs/.
      const fs::path file = kSource / word;
      ASSERT_TRUE(fs::is_regular_file(file)) << service.first.as<std::string>() << " names missing " << word;
      EXPECT_NO_THROW(YAML::LoadFile(file.string())) << word << " is not valid YAML";
    }
  }
  EXPECT_GE(named, 2) << "the proxy and the bench each take a config file";
}

TEST_F(Compose, BenchWaitsForHealthyServerAndProxyAndKeepsItsResults) {
  const YAML::Node services = resolved()["services"];
  for (const char* peer : {"server", "proxy"}) {
    const YAML::Node test = services[peer]["healthcheck"]["test"];
    ASSERT_TRUE(test.IsSequence()) << peer << " has no healthcheck";
    std::string words;
    for (const auto& w : test) words += w.as<std::string>() + " ";
    EXPECT_NE(words.find("/healthz"), std::string::npos) << peer << "'s healthcheck does not ask /healthz";
    EXPECT_EQ(services["bench"]["depends_on"][peer]["condition"].as<std::string>(""), "service_healthy")
        << "bench must wait until " << peer << " is healthy";
  }
  bool mounted = false;
  for (const auto& volume : services["bench"]["volumes"])
    mounted |= volume.as<std::string>().find(":/opt/platespin/results") != std::string::npos;
  EXPECT_TRUE(mounted) << "bench must write its results to a mounted folder";
}

// The config file a service's command names (the first *.yaml argument).
fs::path config_of(const YAML::Node& service) {
  for (const auto& arg : service["command"])
    if (const auto word = arg.as<std::string>(); word.ends_with(".yaml")) return kSource / word;
  return {};
}

std::set<std::string> exposed(const YAML::Node& service) {
  std::set<std::string> ports;
  for (const auto& port : service["expose"]) ports.insert(port.as<std::string>());
  return ports;
}

// flagbench's own reader on the bench's scenario: a mistake there would only
// show in the hosted CI's compose job.
TEST_F(Compose, TheBenchScenarioValidatesInExternalMode) {
  const auto scenario = config_of(resolved()["services"]["bench"]);
  ASSERT_FALSE(scenario.empty()) << "bench names no scenario";
  const auto done = run_command(binary("flagbench").string(), {"validate", scenario.string()});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("external mode"), std::string::npos) << done.out;
}

// In a container, 127.0.0.1 is the container's own: the other services could not connect.
void expect_reachable_bind(const std::string& address, const std::string& what) {
  EXPECT_TRUE(address.starts_with("0.0.0.0:") || address.starts_with("[::]:"))
      << what << " listens on " << address << ", which other containers cannot reach";
}

// The services find each other by name: every address in the configs must be
// a service of the compose file and a port it exposes.
TEST_F(Compose, AddressesInTheConfigsNameServicesAndThePortsTheyExpose) {
  const YAML::Node services = resolved()["services"];
  const YAML::Node proxy = YAML::LoadFile(config_of(services["proxy"]).string());
  const YAML::Node bench = YAML::LoadFile(config_of(services["bench"]).string());
  static const std::regex address{R"(^(?:http://)?([^:/]+):(\d+)(?:/.*)?$)"};
  const auto expect_service_port = [&](const std::string& text, const std::string& what) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(text, m, address)) << what << ": " << text << " is not HOST:PORT or http://HOST:PORT/...";
    ASSERT_TRUE(services[m[1].str()]) << what << " names host " << m[1] << ", which is no compose service";
    EXPECT_TRUE(exposed(services[m[1].str()]).contains(m[2].str()))
        << what << " names port " << m[2] << ", which service " << m[1] << " does not expose";
  };
  expect_service_port(proxy["backend"].as<std::string>(), "the proxy's backend");
  expect_reachable_bind(proxy["api"].as<std::string>(), "the proxy's API");
  for (const auto& listener : proxy["listeners"]) {
    const auto listen = listener["listen"].as<std::string>();
    expect_reachable_bind(listen, "proxy listener " + listener["name"].as<std::string>());
    EXPECT_TRUE(exposed(services["proxy"]).contains(listen.substr(listen.rfind(':') + 1)))
        << "the proxy service does not expose " << listen;
  }
  ASSERT_TRUE(bench["endpoints"].IsMap()) << "flagbench must run in external mode (an endpoints: map)";
  for (const auto& endpoint : bench["endpoints"])
    expect_service_port(endpoint.second.as<std::string>(), "endpoint " + endpoint.first.as<std::string>());
  // flag_server's own address comes from its command line.
  std::vector<std::string> server_args;
  for (const auto& arg : services["server"]["command"]) server_args.push_back(arg.as<std::string>());
  const auto option = [&](const std::string& name) {
    const auto it = std::find(server_args.begin(), server_args.end(), name);
    return it != server_args.end() && it + 1 != server_args.end() ? *(it + 1) : std::string{};
  };
  expect_reachable_bind(option("--bind") + ":" + option("--port"), "flag_server");
  EXPECT_TRUE(exposed(services["server"]).contains(option("--port")));
}

// The runtime stage installs libraries by package name: a binary that links one
// more library would start in the image with "cannot open shared object file";
// a package nothing links only makes the image bigger.
TEST_F(Compose, RuntimeImageInstallsExactlyTheLibrariesTheBinariesLink) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitizer build links libasan, which the release image never carries";
#endif
  if (!find_program("ldd") || !find_program("dpkg")) GTEST_SKIP() << "needs ldd and dpkg (Debian)";
  const auto installed = runtime_packages();
  ASSERT_FALSE(installed.empty()) << "no `apt-get install --no-install-recommends` in the Dockerfile's last stage";
  static const std::regex linked{R"(=> (/\S+) \()"};
  std::map<std::string, std::string> linked_by;  // library path -> a binary that links it
  for (const auto& exe : image_binaries()) {
    ASSERT_TRUE(fs::is_regular_file(binary(exe))) << exe << " is not built";
    const auto ldd = run_command("ldd", {binary(exe).string()});
    ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
    for (std::sregex_iterator it(ldd.out.begin(), ldd.out.end(), linked), end; it != end; ++it)
      linked_by.emplace((*it)[1].str(), exe);
  }
  // In every debian:bookworm-slim image: apt itself needs them.
  const std::set<std::string> in_base{"libc6", "libgcc-s1", "libstdc++6"};
  std::set<std::string> needed;
  for (const auto& [lib, exe] : linked_by) {
    // dpkg knows a file by the path its package ships, with or without /usr (merged /usr).
    auto owner = run_command("dpkg", {"-S", lib});
    if (owner.exit_code != 0)
      owner = run_command("dpkg", {"-S", lib.starts_with("/usr/") ? lib.substr(4) : "/usr" + lib});
    ASSERT_EQ(owner.exit_code, 0) << exe << " links " << lib << ", which no Debian package owns";
    const std::string package = owner.out.substr(0, owner.out.find_first_of(":,"));
    needed.insert(package);
    EXPECT_TRUE(in_base.contains(package) || installed.contains(package))
        << exe << " links " << lib << " from " << package << ", which the runtime stage does not install";
  }
  for (const auto& package : installed)
    EXPECT_TRUE(needed.contains(package)) << "the runtime stage installs " << package << ", which no binary links";
}

}  // namespace
}  // namespace platespin::test
