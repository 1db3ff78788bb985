#pragma once
// --access-log: one line per reply on stdout, in nginx's "common" format:
// 127.0.0.1 - - [25/Nov/2026:14:30:00 +0000] "GET /flags/ad/ad.gif HTTP/1.1" 200 371
// What the client sent is escaped as nginx does, so a request can neither end
// the quoted field or the line early nor put terminal controls or bidi
// overrides in front of whoever reads the log.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "request.hpp"

namespace platespin {

// Appends `text` to `out` with '"', '\\', the control characters (below 0x20,
// and 0x7f) and every byte over 0x7f (so UTF-8 bidi controls too) written as
// "\xHH", upper-case hex: the escaping of nginx's ngx_http_log_escape.
void append_log_escaped(std::string& out, std::string_view text);

// The log line of one reply sent at `when`, '\n' included.
std::string format_access_log_line(std::string_view remote_address, const ParsedRequest& request, int status,
                                   std::uint64_t body_bytes, std::time_t when);

void write_access_log(std::string_view remote_address, const ParsedRequest& request, int status,
                      std::uint64_t body_bytes);

}  // namespace platespin
