// A scenario's outside clients (command:) and fixed ports, as the YAML reader takes them.
#include <gtest/gtest.h>

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
  EXPECT_EQ(error_of(replaced(kScenario, "{url}/ad", "{ulr}/ad")).substr(0, 51),
            "s.yaml:8:25: 'command': unknown placeholder {ulr} (");
  EXPECT_EQ(error_of(replaced(kScenario, "%{{http_code}}", "%{http_code}")).substr(0, 58),
            "s.yaml:8:50: 'command': unknown placeholder {http_code} (k");
  EXPECT_EQ(error_of(replaced(kScenario, "WHERE: \"{out}\"", "WHERE: \"{dir}\"")).substr(0, 44),
            "s.yaml:9:27: 'WHERE': unknown placeholder {d");
  EXPECT_EQ(error_of(replaced(kScenario, "    result: none\n", "    result: json\n")).substr(0, 37),
            "s.yaml:11:13: unknown result 'json' (");
  EXPECT_EQ(error_of(replaced(kScenario, "    result: none\n", "    client: async\n")).substr(0, 67),
            "s.yaml:8:14: a run has either 'client' (one of ours) or 'command' (");
  EXPECT_EQ(error_of(replaced(kScenario, "    command: [curl", "    comand: [curl")).substr(0, 33),
            "s.yaml:8:5: unknown key 'comand' ");
  EXPECT_EQ(error_of(replaced(replaced(kScenario, "    command: [curl, -s, \"{url}/ad/ad.gif\", \"-w\", \"%{{http_code}}\", \"{codes}\"]\n", ""),
                              "    env: {LANG: C, WHERE: \"{out}\"}\n    cwd: \"{env:HOME}\"\n    result: none\n", ""))
                .substr(0, 27),
            "s.yaml:7:5: a run needs 'cl");
  EXPECT_EQ(error_of(replaced(kScenario, "    result: none\n", "    result: none\n    retries: 2\n")).substr(0, 26),
            "s.yaml:12:14: 'retries' is");
  EXPECT_EQ(error_of(replaced(kScenario, "command: [curl", "command: [\"{codes}\"")).substr(0, 24), "s.yaml:8:15: 'command' m");
  EXPECT_EQ(error_of(replaced(kScenario, "port: 8001", "port: 70000")).substr(0, 21), "s.yaml:2:16: 'port' m");
}
