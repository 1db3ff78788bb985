#pragma once
// Whole numbers out of JSON documents someone else may have written (a
// client's --json, a result file). nlohmann's get<int>() takes any number and
// casts it: 1e300 into an int, or -9.3e18 into a count, is undefined
// behaviour, and -1 into a count wraps to 2^64-1. Here a whole number must be
// a JSON integer within the field's range.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace platespin {

// True when `value` is a JSON integer that T holds.
template <typename T>
bool is_whole_number(const nlohmann::json& value) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  return value.is_number_unsigned()  ? std::in_range<T>(value.get<std::uint64_t>())
         : value.is_number_integer() ? std::in_range<T>(value.get<std::int64_t>())
                                     : false;
}

// `value` as T; std::invalid_argument naming `field` when it is not a whole number T holds.
template <typename T>
T whole_number(const nlohmann::json& value, const std::string& field) {
  if (!is_whole_number<T>(value)) throw std::invalid_argument("'" + field + "' must be a whole number from " +
                                         std::to_string(std::numeric_limits<T>::min()) + " to " +
                                         std::to_string(std::numeric_limits<T>::max()));
  return value.get<T>();
}

// j.at(key) as a whole number T (nlohmann::json::out_of_range when there is no such key).
template <typename T>
void whole_number_at(const nlohmann::json& j, const char* key, T& into) {
  into = whole_number<T>(j.at(key), key);
}

}  // namespace platespin
