// A listener's `toxics:` in YAML (proxy/config/toxic_config.cpp): what it
// reads, and errors at FILE:LINE:COL of the value that is wrong (of the key,
// when the key is).
#include <gtest/gtest.h>

#include "fault_test_support.hpp"
#include "proxy_config.hpp"

using namespace platespin;
using namespace platespin::proxy;
using namespace platespin::proxy::test;
using nlohmann::json;

namespace {

// A proxies file whose one listener ends with `tail` (indented under it).
ProxyConfig read_listener(const std::string& tail, const std::string& protocol = "http") {
  YamlReader yaml("p.yaml", "backend: 127.0.0.1:1\nlisteners:\n  - name: A\n    listen: :0\n    protocol: " + protocol +
                                "\n" + tail);
  return read_proxy_config(yaml, yaml.root());
}

std::string error_in(const std::string& tail, const std::string& protocol = "http") {
  return error_of([&] { read_listener(tail, protocol); });
}

}  // namespace

TEST(ToxicYaml, ReadsEveryFieldInOrder) {
  const ProxyConfig config = read_listener(
      "    toxics:\n"
      "      - type: latency\n"
      "        attributes: {latency: 100, jitter: 10}\n"
      "      - name: cut\n"
      "        type: limit_data\n"
      "        stream: upstream\n"
      "        toxicity: 0.25\n"
      "        attributes:\n"
      "          bytes: 4096\n"
      "      - type: http_error\n"
      "        attributes: {codes: [500, 503], body: busy}\n"
      "      - type: http_error\n"
      "        name: one_code\n"
      "        attributes: {codes: 502}\n"
      "      - type: http_header\n"
      "        attributes:\n"
      "          set: {X-Chaos: \"1\", Cache-Control: \"  no-store\"}\n"
      "          remove: [Server]\n");
  const Toxics& t = config.listeners.at(0).toxics;
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(to_json(t[0]), json({{"name", "latency_downstream"},
                                 {"type", "latency"},
                                 {"stream", "downstream"},
                                 {"toxicity", 1.0},
                                 {"attributes", {{"latency", 100}, {"jitter", 10}}}}));
  EXPECT_EQ(to_json(t[1]), json({{"name", "cut"},
                                 {"type", "limit_data"},
                                 {"stream", "upstream"},
                                 {"toxicity", 0.25},
                                 {"attributes", {{"bytes", 4096}}}}));
  EXPECT_EQ(t[2].attributes.json(), json({{"codes", {500, 503}}, {"body", "busy"}}));
  EXPECT_EQ(t[3].attributes.at("codes"), json({502}));
  // A field value is taken as written, leading spaces too.
  EXPECT_EQ(t[4].attributes.json(),
            json({{"set", {{"X-Chaos", "1"}, {"Cache-Control", "  no-store"}}}, {"remove", {"Server"}}}));
}

// YAML and JSON take the same keys and give the same toxic.
TEST(ToxicYaml, EveryTypeReadsAsItsJsonDoes) {
  for (const Fault* type : toxic_types()) {
    const std::string t(type->name());
    const ProxyConfig config = read_listener("    toxics:\n      - type: " + t + "\n        stream: upstream\n");
    EXPECT_EQ(to_json(config.listeners.at(0).toxics.at(0)),
              to_json(toxic_from_json({{"type", t}, {"stream", "upstream"}}, Protocol::http)));
  }
}

TEST(ToxicYaml, BadAttributePointsAtItsValue) {
  EXPECT_EQ(error_in("    toxics:\n      - type: slicer\n        attributes:\n          average_size: 0\n"),
            "p.yaml:9:25: toxic 'slicer_downstream' (slicer): attribute 'average_size' must be a whole number of bytes "
            "from 1 to 1048576, not 0");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        name: lag\n        attributes: {latency: soon}\n"),
            "p.yaml:9:31: toxic 'lag' (latency): attribute 'latency' must be a whole number of ms from 0 to 3600000, "
            "not 'soon'");
  EXPECT_EQ(error_in("    toxics:\n      - type: http_error\n        attributes: {codes: [503, 700]}\n"),
            "p.yaml:8:29: toxic 'http_error_downstream' (http_error): attribute 'codes' must be a list of HTTP statuses "
            "from 200 to 599, not [503,700]");
  EXPECT_EQ(error_in("    toxics:\n      - type: http_header\n        attributes: {set: [a]}\n"),
            "p.yaml:8:27: toxic 'http_header_downstream' (http_header): attribute 'set' must be a map of header field "
            "names to values (no line breaks)");
  // A header name with a colon in it is no header name (not "X" with a value "Y: v").
  EXPECT_NE(error_in("    toxics:\n      - type: http_header\n        attributes: {set: {\"X:Y\": v}}\n")
                .find("p.yaml:8:27: toxic 'http_header_downstream' (http_header): attribute 'set' must be"),
            std::string::npos);
}

TEST(ToxicYaml, UnknownAttributePointsAtItsKey) {
  EXPECT_EQ(error_in("    toxics:\n      - type: slicer\n        attributes:\n          avg: 1\n"),
            "p.yaml:9:11: toxic 'slicer_downstream' (slicer): unknown attribute 'avg' (slicer has average_size, "
            "size_variation, delay)");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        attributes: {latency: 1, latency: 2}\n"),
            "p.yaml:8:34: toxic 'latency_downstream' (latency): duplicate attribute 'latency'");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        attributes: 5\n"),
            "p.yaml:8:21: 'attributes' must be a mapping of attribute names to values");
}

TEST(ToxicYaml, UnknownToxicKeyPointsAtIt) {
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        toxicty: 0.5\n"),
            "p.yaml:8:9: unknown key 'toxicty' in a toxic (allowed: name, type, stream, toxicity, attributes)");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        type: noop\n"),
            "p.yaml:8:9: duplicate key 'type' in a toxic");
  EXPECT_EQ(error_in("    toxics:\n      - attributes: {}\n"), "p.yaml:7:9: missing key 'type' (a toxic type like latency)");
  EXPECT_EQ(error_in("    toxics: {type: latency}\n"),
            "p.yaml:6:13: 'toxics' must be a list of toxics ({type: latency, attributes: {...}})");
}

TEST(ToxicYaml, BadStreamPointsAtIt) {
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        stream: sideways\n"),
            "p.yaml:8:17: stream must be upstream or downstream, not 'sideways'");
}

TEST(ToxicYaml, BadTypeListsTheKnownTypesForTheProtocol) {
  EXPECT_EQ(error_in("    toxics:\n      - type: lag\n"),
            "p.yaml:7:15: unknown toxic type 'lag' (known: latency, bandwidth, slow_close, timeout, reset_peer, slicer, "
            "limit_data, noop, http_error, http_header)");
  EXPECT_EQ(error_in("    toxics:\n      - type: lag\n", "tcp"),
            "p.yaml:7:15: unknown toxic type 'lag' (known: latency, bandwidth, slow_close, timeout, reset_peer, slicer, "
            "limit_data, noop)");
  EXPECT_EQ(error_in("    toxics:\n      - type: http_header\n", "tcp"),
            "p.yaml:7:15: toxic type 'http_header' does not work with protocol tcp (known: latency, bandwidth, "
            "slow_close, timeout, reset_peer, slicer, limit_data, noop)");
}

TEST(ToxicYaml, BadToxicityNameAndCrossChecks) {
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        toxicity: 1.5\n"),
            "p.yaml:8:19: toxicity must be a number from 0 to 1, not 1.5");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n        toxicity: often\n"),
            "p.yaml:8:19: 'toxicity' must be a number from 0 to 1");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n      - type: bandwidth\n        name: latency_downstream\n"),
            "p.yaml:9:15: duplicate toxic name 'latency_downstream' (names are unique on a listener, both streams "
            "together)");
  EXPECT_EQ(error_in("    toxics:\n      - type: latency\n      - type: latency\n"),
            "p.yaml:8:9: duplicate toxic name 'latency_downstream' (names are unique on a listener, both streams "
            "together)");
  EXPECT_NE(error_in("    toxics:\n      - type: latency\n        name: a b\n").find("p.yaml:8:15: toxic 'a b' (latency)"),
            std::string::npos);
  EXPECT_EQ(
      error_in("    toxics:\n      - type: slicer\n        attributes: {average_size: 10, size_variation: 10}\n"),
      "p.yaml:8:56: toxic 'slicer_downstream' (slicer): attribute 'size_variation' must be less than 'average_size' "
      "(10), not 10");
}
