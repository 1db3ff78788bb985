// A scenario's outside clients (command:) and fixed ports, as the YAML reader takes them.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "scenario.hpp"

using namespace platespin;
using namespace platespin::bench;

namespace {

const char* kScenario = R"(name: t
server: {port: 8001}
proxy:
  listeners:
    - {name: DELAY, listen: "127.0.0.1:8002", behavior: "100:delay", delay: 0.5}
runs:
  - name: curl
    command: [curl, -s, "{url}/ad/ad.gif", "-w", "%{{http_code}}", "{codes}"]
    env: {LANG: C, WHERE: "{out}"}
    cwd: "{env:HOME}"
    result: none
    server: DELAY
    concurrency: 1
    codes: [AD]
)";

std::string error_of(const std::string& text) {
  try {
    parse_scenario(YamlReader("s.yaml", text));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST(ScenarioCommand, ReadsCommandEnvCwdResultAndFixedPorts) {
  const Scenario s = parse_scenario(YamlReader("s.yaml", kScenario));
  ASSERT_EQ(s.runs.size(), 1u);
  const RunSpec& run = s.runs[0];
  EXPECT_TRUE(run.is_command());
  EXPECT_EQ(run.command.size(), 6u);
  EXPECT_EQ(run.client, "curl");
  EXPECT_EQ(run.result, "none");
  EXPECT_EQ(run.env.at("WHERE"), "{out}");
  EXPECT_EQ(run.env_needed, (std::vector<std::string>{"HOME"}));
  EXPECT_EQ(s.server_port, 8001);
  ASSERT_TRUE(s.listeners.at(0).listen);
  EXPECT_EQ(s.listeners.at(0).listen->port, 8002);
  // Our clients read platespin results by default.
  const Scenario ours = parse_scenario(YamlReader(
      "s.yaml", "name: t\nruns:\n  - {name: a, client: async, server: LOCAL, concurrency: 1, codes: [B]}\n"));
  EXPECT_EQ(ours.runs[0].result, "platespin");
  // sh -c SCRIPT NAME: the table names the client by the NAME the script runs as.
  const Scenario wrapped = parse_scenario(YamlReader(
      "s.yaml", "name: t\nruns:\n  - {name: a, command: [sh, -c, 'exec python3 \"$0\"', \"{env:X}/flags2_asyncio.py\"], "
                "server: LOCAL, concurrency: 1, codes: [B]}\n"));
  EXPECT_EQ(wrapped.runs[0].client, "flags2_asyncio.py");
  EXPECT_FALSE(ours.runs[0].is_command());
}

TEST(ScenarioCommand, MistakesNameFileLineAndColumn) {
  const std::string no_command = replaced(
      replaced(kScenario, "    command: [curl, -s, \"{url}/ad/ad.gif\", \"-w\", \"%{{http_code}}\", \"{codes}\"]\n", ""),
      "    env: {LANG: C, WHERE: \"{out}\"}\n    cwd: \"{env:HOME}\"\n    result: none\n", "");
  // The scenario with one mistake in it, and how its message begins.
  const std::pair<std::string, std::string> mistakes[] = {
      {replaced(kScenario, "{url}/ad", "{ulr}/ad"), "s.yaml:8:25: 'command': unknown placeholder {ulr} ("},
      {replaced(kScenario, "%{{http_code}}", "%{http_code}"), "s.yaml:8:50: 'command': unknown placeholder {http_code} (k"},
      {replaced(kScenario, "WHERE: \"{out}\"", "WHERE: \"{dir}\""), "s.yaml:9:27: 'WHERE': unknown placeholder {d"},
      {replaced(kScenario, "    result: none\n", "    result: json\n"), "s.yaml:11:13: unknown result 'json' ("},
      {replaced(kScenario, "    result: none\n", "    client: async\n"),
       "s.yaml:8:14: a run has either 'client' (one of ours) or 'command' ("},
      {replaced(kScenario, "    command: [curl", "    comand: [curl"), "s.yaml:8:5: unknown key 'comand' "},
      {no_command, "s.yaml:7:5: a run needs 'cl"},
      {replaced(kScenario, "    result: none\n", "    result: none\n    retries: 2\n"), "s.yaml:12:14: 'retries' is"},
      {replaced(kScenario, "command: [curl", "command: [\"{codes}\""), "s.yaml:8:15: 'command' m"},
      {replaced(kScenario, "port: 8001", "port: 70000"), "s.yaml:2:16: 'port' m"},
  };
  for (const auto& [text, begins] : mistakes) EXPECT_EQ(error_of(text).substr(0, begins.size()), begins);
}
