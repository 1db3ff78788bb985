#pragma once
// What should happen to one HTTP request or one TCP connection, as the faults
// that hit it wrote it. Each protocol has its own fate with only what it
// honours; the sessions carry it out with a few primitives (wait, answer, cut,
// pace). Effects compose: waits add, throttles and limits keep the tightest,
// and the first fault that ends the exchange decides how it ends.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platespin::proxy {

using Micros = std::chrono::microseconds;
inline constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

// Seconds as microseconds, the unit of fates.
inline Micros seconds_to_micros(double seconds) { return Micros(static_cast<std::int64_t>(seconds * 1e6)); }

// How one direction's bytes move (an HTTP body, a TCP stream): one piece for both protocols.
struct Pacing {
  std::uint64_t rate_bps = 0;         // bytes per second; 0: as fast as they go
  std::uint64_t limit = kUnlimited;   // bytes passed at most, then the direction is cut
  std::uint64_t slice_bytes = 0;      // 0: bytes written as they came; else writes of about this many...
  std::uint64_t slice_variation = 0;  // ...give or take up to this many...
  Micros slice_gap{0};                // ...with this pause after each

  void throttle(std::uint64_t bps) { rate_bps = rate_bps == 0 ? bps : std::min(rate_bps, bps); }
  void cap(std::uint64_t bytes) { limit = std::min(limit, bytes); }
  void slice(std::uint64_t bytes, std::uint64_t variation, Micros gap) {
    slice_bytes = bytes;
    slice_variation = variation;
    slice_gap = gap;
  }
  bool shaped() const { return rate_bps != 0 || limit != kUnlimited || slice_bytes != 0; }
};

// Header fields to change on a request or a response.
struct HeaderEdits {
  std::vector<std::pair<std::string, std::string>> set;  // replace, or add
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && remove.empty(); }
};

struct HttpFate {
  enum class Cut {
    none,      // an answer goes out (the backend's, or `status`)
    hang,      // no answer; close after `cut_after` (0: hold until the client leaves)
    blackout,  // close at once, no answer
    reset,     // no answer; TCP reset after `cut_after`
  };
  std::string_view behavior = "dummy";  // of the Vaurien mix, for the counters
  Micros wait_before{0};                // before the backend is called (no backend socket held)
  Micros wait_after{0};                 // after the backend's response header came
  Cut cut = Cut::none;
  Micros cut_after{0};
  bool cut_after_backend = false;  // the backend is called and its answer dropped before the cut
  int status = 0;                  // answer this ourselves; the backend is not called
  std::string body;                // with `status`: this body instead of a small HTML page
  Pacing request;                  // the request body on its way to the backend
  Pacing response;                 // the response body on its way to the client
  bool half_body_at_most = false;  // Vaurien's truncate: the response limit is at most half the body
  Micros close_delay{0};           // before closing the client connection after the answer
  HeaderEdits request_headers, response_headers;

  bool ends() const { return cut != Cut::none; }
};

// One direction of a TCP connection.
struct TcpStream {
  Micros latency{0};  // each chunk held until its arrival plus this...
  Micros jitter{0};   // ...give or take up to this (order kept)
  Pacing pacing;
  bool drop = false;            // data is dropped (timeout)...
  Micros drop_close_after{0};   // ...and the connection closed after this without data (0: never)
  bool reset = false;           // RST both sides...
  Micros reset_after{0};        // ...this long after the first data
  Micros close_delay{0};        // before a close is passed on
};

struct TcpFate {
  enum class Cut {
    none,
    hang,      // hold the connection, forward nothing, until the client leaves
    blackout,  // close at once
    reset,     // TCP reset at once
  };
  std::string_view behavior = "dummy";
  Cut cut = Cut::none;
  TcpStream upstream;    // client to server
  TcpStream downstream;  // server to client
  std::uint64_t random = 0;  // seeds per-chunk choices (jitter, slice sizes)

  bool ends() const { return cut != Cut::none; }
};

}  // namespace platespin::proxy
