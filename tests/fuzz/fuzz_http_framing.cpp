// The framing decision (common/http_framing.hpp) on header values straight
// from the fuzzer, no parser in front. Input: a byte for HEAD (its top bit)
// and the version (10x+y, as Beast reads HTTP/x.y), two for the status, then
// one header line per '\n'-separated piece: "T..." a Transfer-Encoding value,
// "C..." a Content-Length value. Checks that each decision is one the header
// allows, and that a refusal carries its status and reason.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "http_framing.hpp"

using platespin::Framing;

namespace {

// `codings` is the names joined by ", " (tokens: no comma or space inside).
bool has_chunked_element(std::string_view codings) {
  while (!codings.empty()) {
    const auto comma = codings.find(", ");
    const auto name = codings.substr(0, comma);
    bool chunked = name.size() == 7;
    for (std::size_t i = 0; chunked && i < 7; ++i) chunked = (name[i] | 0x20) == "chunked"[i];
    if (chunked) return true;
    codings = comma == std::string_view::npos ? std::string_view{} : codings.substr(comma + 2);
  }
  return false;
}

void check_common(const Framing& f, bool te, bool cl) {
  if (f.refused()) {
    PLATESPIN_FUZZ_CHECK(!f.why.empty() && f.body == Framing::Body::none);
    return;
  }
  if (f.body == Framing::Body::length) PLATESPIN_FUZZ_CHECK(!te && cl);
  if (f.body == Framing::Body::chunked) PLATESPIN_FUZZ_CHECK(te && !cl);
  if (f.body != Framing::Body::length) PLATESPIN_FUZZ_CHECK(f.length == 0);
  PLATESPIN_FUZZ_CHECK(!has_chunked_element(f.codings));  // chunked is ours to write, never passed on
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const bool to_head = data[0] & 0x80;
  const int version = (data[0] & 0x7f) % 100;
  const int status = (data[1] << 8 | data[2]) % 1000;
  std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  std::vector<std::string_view> te, cl;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto piece = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (piece.empty()) continue;
    if (piece.front() == 'T') te.push_back(piece.substr(1));
    if (piece.front() == 'C') cl.push_back(piece.substr(1));
  }

  const Framing request = platespin::request_framing(version, te, cl);
  check_common(request, !te.empty(), !cl.empty());
  PLATESPIN_FUZZ_CHECK(request.refusal == 0 || request.refusal == 400 || request.refusal == 501);
  PLATESPIN_FUZZ_CHECK(request.body != Framing::Body::until_close && request.codings.empty());
  if (!request.refused() && request.body == Framing::Body::none) PLATESPIN_FUZZ_CHECK(te.empty() && cl.empty());

  const Framing response = platespin::response_framing(status, to_head, te, cl);
  check_common(response, !te.empty(), !cl.empty());
  PLATESPIN_FUZZ_CHECK(response.refusal == 0 || response.refusal == 502);
  const bool bodiless = to_head || (status >= 100 && status < 200) || status == 204 || status == 304;
  if (bodiless) PLATESPIN_FUZZ_CHECK(!response.refused() && response.body == Framing::Body::none);
  if (!bodiless && !response.refused()) PLATESPIN_FUZZ_CHECK(response.body != Framing::Body::none);
  return 0;
}
