#pragma once
// A strict HTTP/1.1 message parser (RFC 9112), written for the framing matrix
// as its oracle: it decides where each message ends the way the RFC does, and
// calls anything ambiguous an error instead of guessing. It is deliberately not
// Beast: the binaries under test parse with Beast, and an oracle that shares
// their parser would share their bugs.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platespin::framing {

struct Message {
  bool request = true;
  std::string method;  // requests
  std::string target;
  int status = 0;                                             // responses
  int version = 11;                                           // 10 or 11
  std::vector<std::pair<std::string, std::string>> fields;    // names in lower case, values trimmed
  std::vector<std::pair<std::string, std::string>> trailers;  // after a chunked body
  std::string body;                                           // with the chunked coding removed
  bool chunked = false;                                       // the body came chunked

  // Every value of field `lower_name` joined with ", " ("" when absent).
  std::string field(std::string_view lower_name) const;
  bool has(std::string_view lower_name) const;
  bool has_trailer(std::string_view lower_name) const;
  // 1xx other than 101: a response that another one follows.
  bool interim() const { return !request && status >= 100 && status < 200 && status != 101; }
  // The sender asked to close after this message.
  bool wants_close() const;
};

enum class State { complete, incomplete, error };

struct Parsed {
  State state = State::incomplete;
  std::size_t used = 0;  // bytes of the message (complete only)
  Message message;
  std::string error;  // why (error only)
};

// Parses one message at the start of `bytes`. For a response, `request_method`
// is the method of the request it answers (HEAD: no body). `at_eof`: nothing
// more will come, so a close-delimited response body ends here.
Parsed parse_message(std::string_view bytes, bool request, std::string_view request_method = "GET",
                     bool at_eof = false);

// `bytes` made printable for failure messages: \r \n \t \0 and \xNN escaped,
// cut to about `limit` characters.
std::string escape(std::string_view bytes, std::size_t limit = 400);

}  // namespace platespin::framing
