// The downloaders' response handling: read_response_bytes() runs the very
// code get() runs on a connection (interim responses skipped, 101 and a 1xx
// flood refused, the body limit), over the input and then the server's close.
// A whole 200 is then taken as the flag (it must be a GIF to be saved) and as
// --metadata's metadata.json (clients/download_one.cpp): metadata_file_name()
// must give one file name in the destination folder, whatever "country" the
// server sent.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "flag_files.hpp"
#include "fuzz_check.hpp"
#include "http_client.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const platespin::Exchange exchange = platespin::read_response_bytes(bytes, 1 << 20);
  PLATESPIN_FUZZ_CHECK(exchange.status >= 0 && exchange.status <= 999);
  PLATESPIN_FUZZ_CHECK(exchange.error_kind.empty() || exchange.status == 0);
  PLATESPIN_FUZZ_CHECK(exchange.body.size() <= size);
  if (exchange.status != 200) return 0;
  (void)platespin::is_flag_picture(exchange.body);

  const auto country = nlohmann::json::parse(exchange.body, nullptr, false);
  if (!country.is_object() || !country.contains("country") || !country["country"].is_string()) return 0;
  const std::string name = platespin::metadata_file_name("AD", country["country"].get<std::string>());
  PLATESPIN_FUZZ_CHECK(name.ends_with("-AD.gif") && name.size() >= 7 && name.size() <= platespin::kMaxFileNameBytes);
  PLATESPIN_FUZZ_CHECK(name.find('/') == std::string::npos);
  PLATESPIN_FUZZ_CHECK(name.find('\0') == std::string::npos);  // a path would end there
  return 0;
}
