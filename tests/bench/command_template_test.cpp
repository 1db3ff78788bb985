#include "command_template.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

using namespace platespin::bench;

namespace {

// Built in one go: assigning short literals field by field trips g++ 12's
// false -Wrestrict at -O3 (GCC bug 105329).
CellValues values() {
  return CellValues{.url = "http://127.0.0.1:8002/flags",
                    .host = "127.0.0.1",
                    .port = "8002",
                    .label = "DELAY",
                    .concurrency = "4",
                    .limit = "3",
                    .json = "/tmp/x.json",
                    .out = "/tmp/x.out",
                    .codes = {"BA", "BB", "BD"}};
}

}  // namespace

TEST(CommandTemplate, FillsEveryPlaceholder) {
  EXPECT_EQ(expand_words("{url}/{host}:{port} {label} -m{concurrency} -l {limit} {json} {out}", values()),
            (std::vector<std::string>{"http://127.0.0.1:8002/flags/127.0.0.1:8002 DELAY -m4 -l 3 /tmp/x.json /tmp/x.out"}));
}

// {codes} alone is one argv word per code, so a client gets them as its
// positional arguments; inside a longer word (a shell script) it is one text.
TEST(CommandTemplate, CodesAloneAreSeveralWordsAndInsideAWordOneText) {
  EXPECT_EQ(expand_words("{codes}", values()), (std::vector<std::string>{"BA", "BB", "BD"}));
  EXPECT_EQ(expand_words("for cc in {codes}; do", values()), (std::vector<std::string>{"for cc in BA BB BD; do"}));
}

TEST(CommandTemplate, DoubledBracesAreLiteralAndOthersAreErrors) {
  EXPECT_EQ(expand_text("%{{http_code}} ${{x}}", values()), "%{http_code} ${x}");
  EXPECT_THROW(check_placeholders("{urll}"), std::invalid_argument);
  EXPECT_THROW(check_placeholders("%{http_code}"), std::invalid_argument);
  EXPECT_THROW(check_placeholders("a { b"), std::invalid_argument);
  EXPECT_THROW(check_placeholders("a } b"), std::invalid_argument);
  EXPECT_THROW(check_placeholders("{env:}"), std::invalid_argument);
  try {
    check_placeholders("-s {server}");
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 37), "unknown placeholder {server} (known: ");
  }
}

TEST(CommandTemplate, EnvPlaceholdersNameTheirVariables) {
  ::setenv("PLATESPIN_TEMPLATE_TEST", "/opt/book", 1);
  EXPECT_EQ(env_names("{env:PLATESPIN_TEMPLATE_TEST}/x/{env:HOME}"),
            (std::vector<std::string>{"PLATESPIN_TEMPLATE_TEST", "HOME"}));
  EXPECT_EQ(expand_text("{env:PLATESPIN_TEMPLATE_TEST}/flags2_asyncio.py", values()), "/opt/book/flags2_asyncio.py");
  ::unsetenv("PLATESPIN_TEMPLATE_TEST");
}
