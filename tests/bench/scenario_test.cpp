#include "scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

using namespace platespin;
using namespace platespin::bench;

namespace {

const char* kScenario = R"(name: t
proxy:
  seed: 1
  listeners:
    - name: DELAY
      behavior: "100:delay"
      delay: 0.5
    - name: ERROR
      behavior: "25:error,50:delay"
      delay: 0.4
runs:
  - name: a
    client: async
    server: ERROR
    concurrency: [10, 100]
    codes: [B, us]
    limit: 5
    passes: 2
    expect: {items_per_s_min: 1, errors: 3}
  - name: b
    client: sequential
    server: LOCAL
    concurrency: 1
    codes: every
)";

std::string error_of(const std::string& text, const ScenarioOverrides& overrides = {}) {
  try {
    parse_scenario(YamlReader("s.yaml", text), overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Scenario, ReadsRunsListenersAndMeanDelays) {
  const Scenario s = parse_scenario(YamlReader("s.yaml", kScenario));
  EXPECT_FALSE(s.external());
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_EQ(s.runs[0].concurrency, (std::vector<int>{10, 100}));
  EXPECT_EQ(s.runs[0].code_args, (std::vector<std::string>{"B", "us"}));
  EXPECT_EQ(s.runs[0].expect.errors, 3u);
  EXPECT_EQ(s.runs[1].code_args, (std::vector<std::string>{"-e"}));
  EXPECT_DOUBLE_EQ(s.mean_delay_s("DELAY"), 0.5);
  EXPECT_DOUBLE_EQ(s.mean_delay_s("ERROR"), 0.2);  // half the requests wait 0.4 s
  EXPECT_EQ(s.labels(), (std::vector<std::string>{"LOCAL", "DELAY", "ERROR"}));
}

TEST(Scenario, EndpointOptionSwitchesToExternalMode) {
  EXPECT_NE(error_of(kScenario, {{{"LOCAL", "http://10.0.0.1:8001/flags"}}, {}}).find("s.yaml:14:13: run 'a' names server 'ERROR'"),
            std::string::npos);
  std::string text = kScenario;
  text += "endpoints:\n  ERROR: http://h:8003/flags\n";
  const Scenario s = parse_scenario(YamlReader("s.yaml", text), {{{"LOCAL", "http://10.0.0.1:8001/flags"}}, {}});
  EXPECT_TRUE(s.external());
  EXPECT_EQ(s.endpoints.at("LOCAL"), "http://10.0.0.1:8001/flags");
  // --only b: run a (through ERROR, which has no endpoint) is dropped, so that is fine.
  const Scenario only_b = parse_scenario(YamlReader("s.yaml", kScenario), {{{"LOCAL", "http://10.0.0.1:8001/flags"}}, {"b"}});
  ASSERT_EQ(only_b.runs.size(), 1u);
  EXPECT_EQ(only_b.runs[0].name, "b");
  EXPECT_THROW(parse_scenario(YamlReader("s.yaml", kScenario), {{}, {"nope"}}), std::invalid_argument);
  EXPECT_EQ(parse_scenario(YamlReader("s.yaml", text + "proxy_api: proxy:8474\n"), {{{"LOCAL", "http://l:1/flags"}}, {}})
                .proxy_api->port,
            8474);
  EXPECT_NE(error_of(std::string(kScenario) + "proxy_api: proxy:8474\n").find("'proxy_api' is for external mode"),
            std::string::npos);
  EXPECT_EQ(parse_endpoint_option("LOCAL=http://x:1/flags").first, "LOCAL");
  EXPECT_THROW(parse_endpoint_option("LOCAL"), std::invalid_argument);
}

TEST(Scenario, MistakesNameFileLineAndColumn) {
  const auto replace = [](std::string from, std::string to) {
    std::string text = kScenario;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  EXPECT_EQ(error_of(replace("    limit: 5", "    limmit: 5")).substr(0, 38),
            "s.yaml:17:5: unknown key 'limmit' in a");
  EXPECT_EQ(error_of(replace("limit: 5", "limit: five")), "s.yaml:17:12: 'limit' must be a number of codes");
  EXPECT_EQ(error_of(replace("concurrency: [10, 100]", "concurrency: []")),
            "s.yaml:15:18: 'concurrency' is empty: the run would do nothing");
  EXPECT_NE(error_of(replace("server: ERROR", "server: SLOW")).find("s.yaml:14:13: run 'a' names server 'SLOW'"),
            std::string::npos);
  EXPECT_NE(error_of(replace("behavior: \"100:delay\"", "behavior: \"100:nap\"")).find("s.yaml:6:"),
            std::string::npos);
  EXPECT_NE(error_of(replace("codes: every", "codes: [B1]")).find("s.yaml:24:12: 'codes'"), std::string::npos);
  EXPECT_NE(error_of(replace("client: sequential", "client: curl")).find("unknown client 'curl'"), std::string::npos);
}

// flagbench leaves the proxy section to chaos_proxy's own reader, but for the
// keys it fills in itself: the documented `threads:` and `idle_timeout:` are
// taken (it refused them), and so are toxics, whose latency counts in the mean delay.
TEST(Scenario, TheProxySectionIsReadByTheProxysReader) {
  const std::string text = R"(name: t
proxy:
  threads: 1
  idle_timeout: 5
  listeners:
    - name: SLOW
      toxics:
        - {type: latency, attributes: {latency: 200}}
        - {type: latency, stream: upstream, toxicity: 0.5, attributes: {latency: 100}}
        - {type: http_error, toxicity: 0.1}
runs:
  - {name: a, client: async, server: SLOW, concurrency: 1, codes: [B]}
)";
  const Scenario s = parse_scenario(YamlReader("s.yaml", text));
  EXPECT_DOUBLE_EQ(s.mean_delay_s("SLOW"), 0.25);
  const auto replace = [&](std::string from, std::string to) {
    std::string changed = text;
    changed.replace(changed.find(from), from.size(), to);
    return changed;
  };
  EXPECT_EQ(error_of(replace("latency: 200", "latency: -5")),
            "s.yaml:8:49: toxic 'latency_downstream' (latency): attribute 'latency' must be a whole number of ms from "
            "0 to 3600000, not '-5'");
  EXPECT_EQ(error_of(replace("threads: 1", "backend: 127.0.0.1:1")).substr(0, 27), "s.yaml:3:12: 'backend' is p");
  // A proxy section that is not a mapping is an error with its place (it threw yaml-cpp's BadSubscript).
  EXPECT_EQ(error_of("name: t\nproxy: 3\nruns: []\n").substr(0, 35), "s.yaml:2:8: 'proxy' must be a mappi");
}

namespace {

// Seconds to read and check a scenario of `runs` runs (text built beforehand).
double seconds_to_parse(int runs) {
  std::string text = "name: many\nruns:\n";
  for (int i = 0; i < runs; ++i)
    text += "  - {name: run-" + std::to_string(i) + ", client: async, server: LOCAL, concurrency: 1, codes: [B]}\n";
  const auto start = std::chrono::steady_clock::now();
  const Scenario s = parse_scenario(YamlReader("many.yaml", text));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(s.runs.size(), static_cast<std::size_t>(runs));
  return seconds;
}

}  // namespace

// Checking a run must not cost more the more runs came before it. The
// duplicate-name check searched a list of the names before each run, so 40
// times the runs took about 200 times as long (4.9 s for 40,000 runs); now it
// takes 40 to 50 times as long. The bound is a ratio, well over the linear
// one, and a loaded machine slows both sizes alike; the smaller
// scenario is timed three times and the fastest counts.
TEST(Scenario, CheckingGrowsLinearlyWithTheNumberOfRuns) {
  // 40 times the runs: a ratio of 45-51 once linear, 212 with the quadratic
  // duplicate check it had. Each side is the best of several tries, so a
  // loaded machine (which failed a single try at a bound of 120) does not fail it.
  double small = seconds_to_parse(1'000);
  for (int i = 0; i < 4; ++i) small = std::min(small, seconds_to_parse(1'000));
  const double large = std::min(seconds_to_parse(40'000), seconds_to_parse(40'000));
  EXPECT_LT(large / small, 150.0) << "1,000 runs: " << small << " s, 40,000 runs: " << large << " s";
}

namespace {

const char* kScheduled = R"(name: t
proxy:
  listeners:
    - {name: FLAKY, behavior: ""}
runs:
  - name: a
    client: async
    server: FLAKY
    concurrency: 2
    codes: [B]
    schedule:
      - {at: 0.5, listener: FLAKY, set: {behavior: "50:error"}}
      - {at: 1, listener: FLAKY, set: {enabled: false, delay: 0.2, toxics: [{type: latency, attributes: {latency: 5}}]}}
      - {at: 1.5, listener: FLAKY, set: {enabled: true, behavior: "", toxics: []}}
    expect: {recovered_within_s: 1, errors_max: 3, items_per_s_min: 1}
)";

}  // namespace

TEST(Scenario, ScheduleStepsAreWhatTheControlApiTakes) {
  const Scenario s = parse_scenario(YamlReader("s.yaml", kScheduled));
  const Schedule& steps = s.runs.at(0).schedule;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].at_s, 0.5);
  EXPECT_EQ(steps[0].listener, "FLAKY");
  EXPECT_EQ(steps[0].set, nlohmann::json({{"behavior", "50:error"}}));
  EXPECT_EQ(steps[1].set.at("enabled"), false);
  EXPECT_EQ(steps[1].set.at("delay"), 0.2);
  EXPECT_EQ(steps[1].set.at("toxics").at(0).at("attributes").at("latency"), 5);
  EXPECT_EQ(s.runs.at(0).expect.recovered_within_s, 1.0);
}

TEST(Scenario, BadScheduleStepsNameFileLineAndColumn) {
  const auto replace = [](std::string from, std::string to) {
    std::string text = kScheduled;
    text.replace(text.find(from), from.size(), to);
    return error_of(text);
  };
  EXPECT_EQ(replace("at: 0.5, listener: FLAKY", "at: 0.5, listener: SLOW"),
            "s.yaml:12:29: unknown listener 'SLOW' (known: FLAKY)");
  EXPECT_EQ(replace("behavior: \"50:error\"", "colour: red").rfind("s.yaml:12:42: the control API would refuse this "
                                                                   "step: unknown field 'colour'", 0),
            0u);
  EXPECT_EQ(replace("\"50:error\"", "\"150:error\""),
            "s.yaml:12:52: the control API would refuse this step: bad percentage '150' in behavior '150:error' "
            "(expected 0 to 100)");
  EXPECT_EQ(replace("\"50:error\"", "\"60:error,50:delay\""),
            "s.yaml:12:52: the control API would refuse this step: behavior percentages add up to 110, over 100");
  EXPECT_EQ(replace("enabled: false", "enabled: maybe").rfind("s.yaml:13:49: the control API would refuse this step: "
                                                             "field 'enabled' has the wrong type",
                                                             0),
            0u);
  EXPECT_EQ(replace("latency: 5", "latency: -5").rfind("s.yaml:13:76: the control API would refuse this step:", 0), 0u);
  EXPECT_EQ(replace("at: 1.5", "at: 0.2").rfind("s.yaml:14:14: steps must be in time order: this one is at 0.2 s, after one at 1 s", 0), 0u);
  EXPECT_EQ(replace("at: 0.5", "at: -1"), "s.yaml:12:14: 'at' must be 0 or more seconds after the client's start");
  EXPECT_EQ(replace("set: {behavior: \"50:error\"}", "set: {}"),
            "s.yaml:12:41: 'set' must be a non-empty mapping of what the control API's PUT /proxies/NAME takes");
  EXPECT_EQ(replace("    schedule:\n", "    schedules:\n").rfind("s.yaml:", 0), 0u);
}

TEST(Scenario, ScheduleInExternalModeNeedsTheProxyApi) {
  std::string text = kScheduled;
  text.replace(text.find("proxy:"), text.find("runs:") - text.find("proxy:"), "endpoints: {FLAKY: http://h:1/flags}\n");
  EXPECT_NE(error_of(text).find("needs 'proxy_api'"), std::string::npos) << error_of(text);
  text.replace(text.find("runs:"), 0, "proxy_api: 127.0.0.1:8474\n");
  EXPECT_EQ(error_of(text), "");
}

// `repeat:` (the client's passes) and `repetitions:` (flagbench's rounds) are
// the old names of one release ago: read, with a warning each; never both names.
TEST(Scenario, OldNamesOfPassesAndRoundsStillWorkWithAWarning) {
  const std::string old_names = "name: s\nruns:\n  - {name: a, client: async, server: LOCAL, concurrency: 1, codes: [B],"
                                " repeat: 3, repetitions: 2}\n";
  const Scenario s = parse_scenario(YamlReader("s.yaml", old_names));
  EXPECT_EQ(s.runs[0].passes, 3);
  EXPECT_EQ(s.runs[0].rounds, 2);
  ASSERT_EQ(s.warnings.size(), 2u);
  EXPECT_EQ(s.warnings[0], "s.yaml:3:81: 'repeat' is now 'passes' (the old name goes in the next release)");
  EXPECT_NE(s.warnings[1].find("'repetitions' is now 'rounds'"), std::string::npos);
  const Scenario now = parse_scenario(YamlReader("s.yaml", "name: s\nruns:\n  - {name: a, client: async, server: LOCAL,"
                                                           " concurrency: 1, codes: [B], passes: 3, rounds: 2}\n"));
  EXPECT_EQ(now.runs[0].passes, 3);
  EXPECT_EQ(now.runs[0].rounds, 2);
  EXPECT_TRUE(now.warnings.empty());
  EXPECT_NE(error_of("name: s\nruns:\n  - {name: a, client: async, server: LOCAL, concurrency: 1, codes: [B],"
                     " passes: 3, repeat: 3}\n")
                .find("'repeat' is the old name of 'passes': give one"),
            std::string::npos);
}
