// Every declared parameter's validation (proxy/faults/parameter.hpp), generated
// from the declarations themselves (toxic_types(), behaviors(), parameters()),
// so a new fault or a new parameter is covered without a line here; and the
// toxic's own fields (name, stream, toxicity) in JSON and in --toxic text.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "fault_test_support.hpp"
#include "proxy_config.hpp"
#include "toxic_config.hpp"

using namespace platespin::proxy;
using namespace platespin::proxy::test;
using nlohmann::json;

namespace {

std::string bound(double v) { return v == std::floor(v) ? fmt::format("{:.0f}", v) : fmt::format("{}", v); }

// Values of `p` that must be accepted and refused, by kind.
struct Cases {
  std::vector<json> good, bad;
};

Cases cases_of(const Parameter& p) {
  switch (p.kind) {
    case Kind::whole: {
      const auto min = static_cast<std::uint64_t>(p.min), max = static_cast<std::uint64_t>(p.max);
      Cases c{{min, max, (min + max) / 2}, {max + 1, "1", -1, 2.5, 1.0, true, nullptr, json::array({1})}};
      if (min > 0) c.bad.push_back(min - 1);
      return c;
    }
    case Kind::number:
      return {{p.min, p.max, (p.min + p.max) / 2, static_cast<std::int64_t>(p.min)},
              {p.min - 0.5, p.max + 0.5, "1", true, nullptr, json::array({1})}};
    case Kind::flag: return {{true, false}, {"true", 1, 0, nullptr}};
    case Kind::statuses: {
      const auto min = static_cast<int>(p.min), max = static_cast<int>(p.max);
      return {{json::array({min}), json::array({max}), json::array({min, max})},
              {json::array({min - 1}), json::array({max + 1}), json::array(), json::array({"500"}), max,
               json::array({min + 0.5}), json::array({true}), "500"}};
    }
    case Kind::text: {
      const auto max = static_cast<std::size_t>(p.max);
      return {{"", std::string(max, 'x')}, {std::string(max + 1, 'x'), 5, nullptr, json::array({"a"}), "not UTF-8: \xb0"}};
    }
    case Kind::fields:
      return {{json::object(), {{"X-A", "v"}, {"Cache-Control", "no-store, max-age=0"}}},
              {{{"bad name", "v"}}, {{"X", "a\r\nb"}}, {{"X", "\xb0"}}, {{"X", 1}}, {{"", "v"}}, json::array({"X"}), "X:1"}};
    case Kind::names:
      return {{json::array(), json::array({"X-A", "Server"})},
              {json::array({"bad name"}), json::array({1}), json::array({""}), "Server", json::object()}};
  }
  return {};
}

// Cross-parameter checks: what the other parameters must be for a value of `key` to be accepted.
json companions(std::string_view type, std::string_view key) {
  if (type == "slicer" && key == "size_variation") return {{"average_size", 1048576}};
  return json::object();
}

// What the message of a refused `p` says about what it must be.
void expect_names_the_range(const std::string& message, const Parameter& p) {
  if (p.kind == Kind::whole || p.kind == Kind::number || p.kind == Kind::statuses) {
    EXPECT_NE(message.find("from " + bound(p.min) + " to " + bound(p.max)), std::string::npos) << message;
  }
  if (p.kind == Kind::text) {
    EXPECT_NE(message.find("at most " + bound(p.max) + " bytes"), std::string::npos) << message;
  }
  if (!p.unit.empty()) {
    EXPECT_NE(message.find(std::string(p.unit)), std::string::npos) << message;
  }
}

bool same_value(const Parameter& p, const json& a, const json& b) {
  return p.kind == Kind::number ? a.get<double>() == b.get<double>() : a == b;
}

std::string shown(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40);
}

int checked_cases = 0;

}  // namespace

TEST(Parameters, EveryToxicAttributeAcceptsItsRangeAndRefusesTheRest) {
  for (const Fault* type : toxic_types()) {
    const std::string t(type->name());
    for (const Parameter& p : type->parameters()) {
      const std::string key(p.key);
      const Cases c = cases_of(p);
      ASSERT_FALSE(c.good.empty()) << t << "." << key;
      for (const json& value : c.good) {
        json attributes = companions(t, key);
        attributes[key] = value;
        SCOPED_TRACE(t + "." + key + " = " + shown(value));
        try {
          const ToxicConfig toxic = toxic_from_json({{"type", t}, {"attributes", attributes}}, Protocol::http);
          EXPECT_TRUE(same_value(p, toxic.attributes.at(key), value));
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
        }
        ++checked_cases;
      }
      const std::string prefix = "toxic '" + t + "_downstream' (" + t + "): attribute '" + key + "' must be ";
      for (const json& value : c.bad) {
        SCOPED_TRACE(t + "." + key + " = " + shown(value));
        const std::string message =
            error_of([&] { toxic_from_json({{"type", t}, {"attributes", {{key, value}}}}, Protocol::http); });
        EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
        EXPECT_NE(message.find(", not "), std::string::npos) << message;
        expect_names_the_range(message, p);
        ++checked_cases;
      }
    }
  }
  EXPECT_GT(checked_cases, 100);
}

TEST(Parameters, EveryBehaviorParameterAcceptsItsRangeAndRefusesTheRest) {
  for (const Fault* b : behaviors()) {
    for (const Parameter& p : b->parameters()) {
      const std::string key(p.key);
      const Cases c = cases_of(p);
      for (const json& value : c.good) {
        SCOPED_TRACE(std::string(b->name()) + "." + key + " = " + shown(value));
        try {
          EXPECT_TRUE(same_value(p, behavior_values({{key, value}}).at(key), value));
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
        }
      }
      for (const json& value : c.bad) {
        SCOPED_TRACE(std::string(b->name()) + "." + key + " = " + shown(value));
        const std::string message = error_of([&] { behavior_values({{key, value}}); });
        EXPECT_EQ(message.substr(0, key.size() + 11), "'" + key + "' must be ") << message;
        EXPECT_NE(message.find(", not "), std::string::npos) << message;
        expect_names_the_range(message, p);
      }
    }
  }
}

// Vaurien's parameters sit flat on a listener: two behaviors must not declare the same key.
TEST(Parameters, BehaviorParameterKeysAndOptionsAreUnique) {
  std::set<std::string_view> keys, options;
  for (const Parameter& p : behavior_parameters()) {
    EXPECT_TRUE(keys.insert(p.key).second) << p.key;
    EXPECT_FALSE(p.option.empty()) << p.key << " has no command-line option";
    EXPECT_TRUE(options.insert(p.option).second) << p.option;
  }
}

// Each default is a value its own parameter accepts.
TEST(Parameters, EveryDefaultPassesItsOwnCheck) {
  for (Faults faults : {toxic_types(), behaviors()})
    for (const Fault* f : faults) {
      for (const Parameter& p : f->parameters())
        EXPECT_EQ(error_of([&] { checked(p, p.fallback); }), "") << f->name() << "." << p.key;
      EXPECT_EQ(error_of([&] { f->check(Values(f->parameters(), json::object())); }), "") << f->name();
    }
}

// The text forms (the command line, a YAML scalar) take the same range.
TEST(Parameters, EveryScalarAttributeFromTextTakesTheSameRange) {
  for (const Fault* type : toxic_types()) {
    const std::string t(type->name());
    for (const Parameter& p : type->parameters()) {
      if (p.kind != Kind::whole && p.kind != Kind::number && p.kind != Kind::statuses) continue;
      const std::string key(p.key);
      std::string extra;
      const json others = companions(t, key);
      for (const auto& [k, v] : others.items()) extra += "," + k + "=" + v.dump();
      for (const double v : {p.min, p.max}) {
        const std::string spec = t + extra + "," + key + "=" + bound(v);
        EXPECT_EQ(error_of([&] { toxic_from_command_line(spec, Protocol::http); }), "") << spec;
      }
      const std::string too_big = t + "," + key + "=" + bound(p.max + 1);
      const std::string message = error_of([&] { toxic_from_command_line(too_big, Protocol::http); });
      // g++ 12 at -O3 warns falsely (-Wrestrict, GCC PR 105329) on "text" + std::string: appended instead.
      std::string wanted = "--toxic '" + too_big + "': toxic '" + t + "_downstream' (" + t + "): attribute '";
      wanted += key + "' must be " + expected(p) + ", not ";
      wanted += p.kind == Kind::statuses ? std::string("[").append(bound(p.max + 1)).append("]") : bound(p.max + 1);
      EXPECT_EQ(message, wanted);
      expect_names_the_range(message, p);
      const std::string word = t + "," + key + "=soon";
      EXPECT_NE(error_of([&] { toxic_from_command_line(word, Protocol::http); }).find("not 'soon'"), std::string::npos);
    }
  }
}

TEST(Parameters, TheMessageNamesTheToxicTheAttributeAndTheRange) {
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "slicer"}, {"attributes", {{"average_size", 0}}}}, Protocol::http);
            }),
            "toxic 'slicer_downstream' (slicer): attribute 'average_size' must be a whole number of bytes from 1 to "
            "1048576, not 0");
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "latency"}, {"name", "slow"}, {"attributes", {{"latency", "100"}}}},
                              Protocol::tcp);
            }),
            "toxic 'slow' (latency): attribute 'latency' must be a whole number of ms from 0 to 3600000, not \"100\"");
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "bandwidth"}, {"stream", "upstream"}, {"attributes", {{"rate", -1}}}},
                              Protocol::http);
            }),
            "toxic 'bandwidth_upstream' (bandwidth): attribute 'rate' must be a whole number of KB/s from 0 to "
            "1000000000, not -1");
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "http_error"}, {"attributes", {{"codes", {503, 99}}}}}, Protocol::http);
            }),
            "toxic 'http_error_downstream' (http_error): attribute 'codes' must be a list of HTTP statuses from 200 to "
            "599, not [503,99]");
  EXPECT_EQ(error_of([] { behavior_values({{"delay", true}}); }),
            "'delay' must be a number of seconds from 0 to 3600, not true");
}

TEST(Parameters, SlicerSizeVariationMustBeUnderTheAverage) {
  const auto slicer = [](int average, int variation) {
    return error_of([&] {
      toxic_from_json({{"type", "slicer"}, {"attributes", {{"average_size", average}, {"size_variation", variation}}}},
                      Protocol::tcp);
    });
  };
  EXPECT_EQ(slicer(100, 99), "");
  EXPECT_EQ(slicer(100, 100),
            "toxic 'slicer_downstream' (slicer): attribute 'size_variation' must be less than 'average_size' (100), not "
            "100");
  EXPECT_NE(slicer(100, 5000).find("must be less than 'average_size' (100), not 5000"), std::string::npos);
  EXPECT_NE(error_of([] {
              toxic_from_json({{"type", "slicer"}, {"attributes", {{"size_variation", 1024}}}}, Protocol::tcp);
            }).find("less than 'average_size' (1024)"),
            std::string::npos);  // against the default
  EXPECT_NE(error_of([] { toxic_from_command_line("slicer,average_size=10,size_variation=10", Protocol::tcp); })
                .find("must be less than 'average_size' (10), not 10"),
            std::string::npos);
}

TEST(Parameters, UnknownAttributeNamesTheKnownOnes) {
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "latency"}, {"attributes", {{"latncy", 100}}}}, Protocol::http);
            }),
            "toxic 'latency_downstream' (latency): unknown attribute 'latncy' (latency has latency, jitter)");
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", "noop"}, {"attributes", {{"x", 1}}}}, Protocol::http); }),
            "toxic 'noop_downstream' (noop): unknown attribute 'x' (noop has none)");
  EXPECT_EQ(error_of([] { toxic_from_command_line("slicer,size=1", Protocol::tcp); }),
            "--toxic 'slicer,size=1': toxic 'slicer_downstream' (slicer): unknown attribute 'size' (slicer has "
            "average_size, size_variation, delay)");
  EXPECT_EQ(error_of([] { behavior_values({{"dealy", 1}}); }).substr(0, 42), "unknown key 'dealy' (known: delay, delay_b");
  // The attributes must be an object; null is none given.
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", "latency"}, {"attributes", json::array()}}, Protocol::http); }),
            "toxic 'latency_downstream' (latency): attributes must be a JSON object");
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", "latency"}, {"attributes", nullptr}}, Protocol::http); }), "");
}

TEST(Parameters, ToxicityIsAProbability) {
  const auto with = [](const json& toxicity) {
    return error_of([&] { toxic_from_json({{"type", "latency"}, {"toxicity", toxicity}}, Protocol::http); });
  };
  EXPECT_EQ(with(0), "");
  EXPECT_EQ(with(1), "");
  EXPECT_EQ(with(0.3), "");
  EXPECT_EQ(with(-0.01), "toxic 'latency_downstream' (latency): toxicity must be a number from 0 to 1, not -0.01");
  EXPECT_EQ(with(1.01), "toxic 'latency_downstream' (latency): toxicity must be a number from 0 to 1, not 1.01");
  EXPECT_EQ(with(2), "toxic 'latency_downstream' (latency): toxicity must be a number from 0 to 1, not 2");
  EXPECT_NE(with("0.5").find("toxicity must be a number from 0 to 1"), std::string::npos);
  EXPECT_NE(with(true).find("toxicity must be a number from 0 to 1"), std::string::npos);
  EXPECT_EQ(toxic_from_json({{"type", "latency"}}, Protocol::http).toxicity, 1.0);  // the default
  EXPECT_EQ(toxic_from_command_line("latency@0", Protocol::http).toxicity, 0.0);
  EXPECT_NE(error_of([] { toxic_from_command_line("latency@1.5", Protocol::http); })
                .find("toxicity must be a number from 0 to 1"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_command_line("latency@often", Protocol::http); }).find("not 'often'"),
            std::string::npos);
}

TEST(Parameters, ToxicFieldsOfTheWrongKindOrUnknownAreRefused) {
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", 5}}, Protocol::http); }), "toxic field 'type' must be a string");
  EXPECT_EQ(error_of([] { toxic_from_json(json::object(), Protocol::http); }), "a toxic needs a 'type'");
  EXPECT_EQ(error_of([] { toxic_from_json(json::array(), Protocol::http); }), "a toxic must be a JSON object");
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", "latency"}, {"stream", "sideways"}}, Protocol::http); }),
            "stream must be upstream or downstream, not 'sideways'");
  EXPECT_EQ(error_of([] { toxic_from_json({{"type", "lag"}}, Protocol::tcp); }),
            "unknown toxic type 'lag' (known: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, "
            "noop)");
  EXPECT_NE(error_of([] { toxic_from_json({{"type", "lag"}}, Protocol::http); }).find("noop, http_error, http_header)"),
            std::string::npos);
  // A misspelt field is not silently a toxic with the defaults.
  EXPECT_EQ(error_of([] {
              toxic_from_json({{"type", "latency"}, {"atributes", {{"latency", 100}}}}, Protocol::http);
            }),
            "unknown toxic field 'atributes' (known: name, type, stream, toxicity, attributes)");
}

TEST(Parameters, NamesDefaultToTypeAndStreamAndAreUnique) {
  EXPECT_EQ(toxic_from_json({{"type", "latency"}}, Protocol::http).name, "latency_downstream");
  EXPECT_EQ(toxic_from_json({{"type", "latency"}, {"stream", "upstream"}}, Protocol::http).name, "latency_upstream");
  EXPECT_EQ(toxic_from_json({{"type", "latency"}, {"name", "lag"}}, Protocol::http).name, "lag");
  EXPECT_NE(error_of([] { toxic_from_json({{"type", "latency"}, {"name", "a b"}}, Protocol::http); })
                .find("toxic 'a b' (latency): a toxic name"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_json({{"type", "latency"}, {"name", ""}}, Protocol::http); }).find("toxic name"),
            std::string::npos);

  Toxics toxics{toxic_from_json({{"type", "latency"}}, Protocol::http),
                toxic_from_json({{"type", "latency"}, {"stream", "upstream"}}, Protocol::http)};
  EXPECT_EQ(error_of([&] { check_toxic_names(toxics); }), "");
  // Both streams together: the same name upstream and downstream is a duplicate.
  toxics.push_back(
      toxic_from_json({{"type", "bandwidth"}, {"stream", "upstream"}, {"name", "latency_downstream"}}, Protocol::http));
  EXPECT_EQ(error_of([&] { check_toxic_names(toxics); }),
            "duplicate toxic name 'latency_downstream' (names are unique on a listener, both streams together)");
}

TEST(Parameters, CommandLineFormReadsTypeStreamToxicityAndAttributes) {
  const ToxicConfig t = toxic_from_command_line("latency:upstream@0.25,latency=120,jitter=5,name=lag", Protocol::tcp);
  EXPECT_EQ(t.type->name(), "latency");
  EXPECT_EQ(t.stream, Stream::upstream);
  EXPECT_EQ(t.toxicity, 0.25);
  EXPECT_EQ(t.name, "lag");
  EXPECT_EQ(t.attributes.whole("latency"), 120u);
  EXPECT_EQ(t.attributes.whole("jitter"), 5u);

  const ToxicConfig plain = toxic_from_command_line("bandwidth", Protocol::http);
  EXPECT_EQ(plain.name, "bandwidth_downstream");
  EXPECT_EQ(plain.stream, Stream::downstream);
  EXPECT_EQ(plain.toxicity, 1.0);
  EXPECT_EQ(plain.attributes.whole("rate"), 0u);
  EXPECT_EQ(toxic_from_command_line("noop@0.5", Protocol::http).toxicity, 0.5);
  EXPECT_EQ(toxic_from_command_line("noop:upstream", Protocol::http).name, "noop_upstream");

  // A list attribute takes one element per ATTR=VALUE; fields are Name:value.
  const ToxicConfig error = toxic_from_command_line("http_error,codes=500,codes=503,body=busy", Protocol::http);
  EXPECT_EQ(error.attributes.at("codes"), json({500, 503}));
  EXPECT_EQ(error.attributes.at("body"), "busy");
  const ToxicConfig header =
      toxic_from_command_line("http_header:upstream,set=X-Chaos:1,set=Accept: */*,remove=Cookie", Protocol::http);
  EXPECT_EQ(header.attributes.at("set"), json({{"X-Chaos", "1"}, {"Accept", "*/*"}}));
  EXPECT_EQ(header.attributes.at("remove"), json({"Cookie"}));
  EXPECT_EQ(header.stream, Stream::upstream);
}

TEST(Parameters, CommandLineFormRefusesWhatItCannotRead) {
  EXPECT_EQ(error_of([] { toxic_from_command_line("latency,latency", Protocol::http); }),
            "--toxic 'latency,latency': expected ATTRIBUTE=VALUE, not 'latency'");
  EXPECT_EQ(error_of([] { toxic_from_command_line("latency:sideways", Protocol::http); }),
            "--toxic 'latency:sideways': stream must be upstream or downstream, not 'sideways'");
  EXPECT_NE(error_of([] { toxic_from_command_line("lag,latency=1", Protocol::http); })
                .find("--toxic 'lag,latency=1': unknown toxic type 'lag' (known: latency,"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_command_line("http_header,set=NoColon", Protocol::http); })
                .find("attribute 'set' must be a map of header field names to values"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_command_line("latency,name=a b", Protocol::http); }).find("toxic name"),
            std::string::npos);
  // Text that is not UTF-8 would make every later JSON of the listener throw (found by fuzz_toxic_config).
  EXPECT_NE(error_of([] { toxic_from_command_line("http_header,set=X-A:caf\xe9", Protocol::http); })
                .find("attribute 'set' must be a map of header field names to values"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_command_line("http_error,body=\xb0\xb0", Protocol::http); })
                .find("attribute 'body' must be a UTF-8 string of at most 65536 bytes"),
            std::string::npos);
  EXPECT_NE(error_of([] { toxic_from_command_line("", Protocol::http); }).find("unknown toxic type ''"),
            std::string::npos);
}

TEST(Parameters, TheJsonWrittenBackReadsTheSame) {
  for (const Fault* type : toxic_types()) {
    const ToxicConfig t = toxic_from_json({{"type", type->name()}, {"stream", "upstream"}, {"toxicity", 0.5}},
                                          Protocol::http);
    const json written = to_json(t);
    EXPECT_EQ(written.at("name"), std::string(type->name()) + "_upstream");
    EXPECT_EQ(written.at("attributes").size(), type->parameters().size()) << "every attribute, defaults too";
    EXPECT_EQ(to_json(toxic_from_json(written, Protocol::http)), written);
  }
}

TEST(Parameters, HelpListsEveryTypeAndAttribute) {
  const std::string help = toxics_help();
  for (const Fault* type : toxic_types()) {
    EXPECT_NE(help.find("  " + std::string(type->name()) + " ("), std::string::npos) << type->name();
    for (const Parameter& p : type->parameters())
      EXPECT_NE(help.find("      " + std::string(p.key) + ": " + std::string(p.help) + " (" + expected(p)),
                std::string::npos)
          << type->name() << "." << p.key;
  }
  EXPECT_NE(help.find("http_error (http):"), std::string::npos);
  EXPECT_NE(help.find("latency (http, tcp):"), std::string::npos);
}
