#pragma once
// The country codes of the book's flag set and of the AA..ZZ sweep.
#include <string>
#include <vector>

namespace platespin {

// The 194 codes of data/country_codes.txt (the book's set), upper case, sorted.
const std::vector<std::string>& book_country_codes();

// All 676 two-letter codes AA..ZZ, sorted.
std::vector<std::string> every_two_letter_code();

// The book's argument forms: "BR" stays BR, one letter "B" becomes BA..BZ.
// Lower case is accepted. Throws std::invalid_argument naming the bad argument.
std::vector<std::string> expand_code_arguments(const std::vector<std::string>& args);

}  // namespace platespin
