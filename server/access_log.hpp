#pragma once
// --access-log: one line per reply on stdout, in nginx's "common" format:
// 127.0.0.1 - - [25/Nov/2026:14:30:00 +0000] "GET /flags/ad/ad.gif HTTP/1.1" 200 371
#include <cstddef>
#include <string_view>

#include "request.hpp"

namespace platespin {

void write_access_log(std::string_view remote_address, const ParsedRequest& request, int status,
                      std::size_t body_bytes);

}  // namespace platespin
