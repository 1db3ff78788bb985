#pragma once
#include <string_view>

namespace platespin::proxy {

// A listener's or a toxic's name goes into URLs (/proxies/NAME/toxics/NAME),
// JSON and Prometheus labels: 1 to 100 of A-Z a-z 0-9 . _ : -. Throws
// std::invalid_argument "a WHAT name is ...".
void check_name(std::string_view name, std::string_view what);

}  // namespace platespin::proxy
