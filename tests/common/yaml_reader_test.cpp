#include "yaml_reader.hpp"

#include <gtest/gtest.h>

using namespace platespin;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(YamlReader, UnknownKeyNamesFileLineAndColumn) {
  YamlReader r("s.yaml", "a: 1\nbogus: 2\n");
  EXPECT_EQ(error_of([&] { r.check_keys(r.root(), {"a"}, "the scenario"); }),
            "s.yaml:2:1: unknown key 'bogus' in the scenario (allowed: a)");
}

TEST(YamlReader, DuplicateKeyIsAnError) {
  YamlReader r("s.yaml", "a: 1\na: 2\n");
  EXPECT_NE(error_of([&] { r.check_keys(r.root(), {"a"}, "x"); }).find("s.yaml:2:1: duplicate key 'a'"),
            std::string::npos);
}

TEST(YamlReader, WrongTypeNamesKeyAndExpectation) {
  YamlReader r("s.yaml", "delay: soon\n");
  EXPECT_EQ(error_of([&] { r.get<double>(r.root(), "delay", "a number of seconds"); }),
            "s.yaml:1:8: 'delay' must be a number of seconds");
  EXPECT_EQ(r.get_or<double>(r.root(), "other", 1.5, "a number"), 1.5);
}

TEST(YamlReader, SyntaxErrorHasPosition) {
  EXPECT_NE(error_of([] { YamlReader("bad.yaml", "a: [1, 2\n"); }).find("bad.yaml:"), std::string::npos);
  EXPECT_EQ(error_of([] { YamlReader("/nonexistent.yaml"); }), "/nonexistent.yaml: no such file");
}

TEST(YamlReader, AKeyThatIsAListOrAMappingIsAnErrorWithItsPosition) {
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "a: 1\n? [a, b]\n: 1\n"); }),
            "s.yaml:2:3: a key must be a single word, number or quoted text, not a list or a mapping");
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "runs:\n  - {[1]: x}\n"); }).rfind("s.yaml:2:6: a key must be", 0), 0u);
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "? {a: 1}\n: 2\n"); }).rfind("s.yaml:1:3: a key must be", 0), 0u);
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "a: {b: [1, {c: 2}]}\n'quoted': 1\n3: x\n"); }), "");
}

TEST(YamlReader, TextThatIsNotUtf8IsAnErrorWithItsPosition) {
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "a: 1\nname: caf\xe9\n"); }), "s.yaml:2:7: text that is not valid UTF-8");
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "- ok\n- \xc0\xaf\n"); }), "s.yaml:2:3: text that is not valid UTF-8");  // overlong '/'
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "\xed\xa0\x80: 1\n"); }), "s.yaml:1:1: text that is not valid UTF-8");  // a surrogate, as a key
  EXPECT_EQ(error_of([] { YamlReader("s.yaml", "name: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\xa9\n"); }), "");
}

TEST(YamlReader, NotANumberAndInfinityAreNotNumbers) {
  YamlReader r("s.yaml", "a: .nan\nb: .inf\nc: -.Inf\nd: 1e308\n");
  EXPECT_EQ(error_of([&] { r.get<double>(r.root(), "a", "a number of seconds"); }),
            "s.yaml:1:4: 'a' must be a number of seconds, a finite number");
  EXPECT_NE(error_of([&] { r.get<double>(r.root(), "b", "a number"); }), "");
  EXPECT_NE(error_of([&] { r.get_or<double>(r.root(), "c", 1.0, "a number"); }), "");
  EXPECT_EQ(r.get<double>(r.root(), "d", "a number"), 1e308);
}
