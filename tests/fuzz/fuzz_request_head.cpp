// flag_server's request-head parser (server/request.hpp): any bytes give one
// of its four outcomes, and a complete head is the same head when parsed
// again from exactly the bytes it used.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "request.hpp"

using platespin::ParsedRequest;
using platespin::ParseOutcome;

namespace {

bool same(const ParsedRequest& a, const ParsedRequest& b) {
  return a.method == b.method && a.target == b.target && a.version == b.version && a.keep_alive == b.keep_alive &&
         a.framing == b.framing && a.transfer_encoding == b.transfer_encoding && a.content_length == b.content_length &&
         a.if_none_match == b.if_none_match && a.if_modified_since == b.if_modified_since;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParsedRequest request;
  std::size_t used = 0;
  const ParseOutcome outcome = platespin::parse_request_head(bytes, request, used);
  PLATESPIN_FUZZ_CHECK(used <= bytes.size());
  if (outcome != ParseOutcome::complete) return 0;
  PLATESPIN_FUZZ_CHECK(!request.method.empty() && !request.target.empty());
  PLATESPIN_FUZZ_CHECK(request.version >= 0 && request.version <= 99);  // HTTP/x.y is 10x+y

  ParsedRequest again;
  std::size_t used_again = 0;
  PLATESPIN_FUZZ_CHECK(platespin::parse_request_head(bytes.substr(0, used), again, used_again) == ParseOutcome::complete);
  PLATESPIN_FUZZ_CHECK(used_again == used && same(request, again));
  return 0;
}
