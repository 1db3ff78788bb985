#pragma once
// The rows of the framing matrix: raw bytes and what RFC 9112 lets a server
// or proxy do with them. The oracle (framing_test.cpp) is generic: it checks
// framing, not exact status codes, because the RFC often allows 400 or 501 or
// a repaired message.
#include <string>
#include <vector>

namespace platespin::framing {

// A request hidden in a body: whoever parses it as a request of its own was smuggled.
inline const std::string kSmuggledRequest = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
// A response hidden in a body or after a response: no client may ever get it.
inline const std::string kSmuggledResponse = "HTTP/1.1 200 OK\r\nX-Smuggled: yes\r\nContent-Length: 0\r\n\r\n";

enum class Expect {
  accept,      // valid: each request answered, the backend gets each exactly once, body intact
  reject,      // invalid: one 4xx/5xx and a closed connection; nothing reaches the backend
  either,      // the RFC allows both (repair or reject); never anything smuggled
  incomplete,  // the server must keep waiting: no answer within a short wait
};

// A request as RFC 9112 frames it, as the backend must get it.
struct Sent {
  std::string method;
  std::string target;
  std::string body;     // decoded
  std::string trailer;  // a trailer field (lower-case name) that must reach the backend; "" none
};

struct RequestCase {
  std::string name;
  std::string bytes;
  Expect expect;
  std::vector<Sent> intended;  // accept/either: every request; reject: the valid ones before the bad one
};

enum class Relay {
  relay,      // valid: the client gets exactly this status and body
  bad,        // invalid: the client gets a 502 (and the proxy drops that backend connection)
  either,     // relay it or 502
  truncated,  // broken mid-body: a 502, or the head and part of the body, then a close
};

struct ResponseCase {
  std::string name;
  std::string method;  // GET or HEAD, the client's first request
  std::string bytes;   // what the backend writes for it
  bool close_after;    // the backend closes after writing them
  Relay expect;
  int status;  // relay/either: what the client must get
  std::string body;
};

const std::vector<RequestCase>& request_cases();
const std::vector<ResponseCase>& response_cases();

}  // namespace platespin::framing
