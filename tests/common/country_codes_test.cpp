#include "country_codes.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace platespin;

TEST(CountryCodes, BookSetHas194SortedCodes) {
  const auto& codes = book_country_codes();
  ASSERT_EQ(codes.size(), 194u);
  EXPECT_EQ(codes.front(), "AD");
  EXPECT_EQ(codes.back(), "ZW");
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_NE(std::find(codes.begin(), codes.end(), "SS"), codes.end());
}

TEST(CountryCodes, EveryCodeIsAAtoZZ) {
  const auto codes = every_two_letter_code();
  ASSERT_EQ(codes.size(), 676u);
  EXPECT_EQ(codes.front(), "AA");
  EXPECT_EQ(codes[27], "BB");
  EXPECT_EQ(codes.back(), "ZZ");
}

TEST(CountryCodes, LetterExpandsToTwentySixCodes) {
  const auto codes = expand_code_arguments({"br", "C"});
  ASSERT_EQ(codes.size(), 27u);
  EXPECT_EQ(codes[0], "BR");
  EXPECT_EQ(codes[1], "CA");
  EXPECT_EQ(codes[26], "CZ");
}

TEST(CountryCodes, BadArgumentsAreRejected) {
  EXPECT_THROW(expand_code_arguments({"A1"}), std::invalid_argument);
  EXPECT_THROW(expand_code_arguments({"USA"}), std::invalid_argument);
  EXPECT_THROW(expand_code_arguments({""}), std::invalid_argument);
}
