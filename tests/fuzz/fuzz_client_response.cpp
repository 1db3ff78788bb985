// The downloaders' response handling. The exchange itself
// (common/http_client.cpp) reads from a socket, so this does what it does
// with the bytes: Beast's response_parser<string_body> under the client's
// body limit, fed all the input and then the server's close. A whole 200 is
// then taken as --metadata's metadata.json (clients/download_one.cpp): the
// same JSON checks, and metadata_file_name() must give one file name in the
// destination folder, whatever "country" the server sent.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "flag_files.hpp"
#include "fuzz_check.hpp"
#include "http_client.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(platespin::HttpOptions{}.body_limit);
  parser.eager(true);  // as http::async_read
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(data, size), ec);
  PLATESPIN_FUZZ_CHECK(used <= size);
  if (ec == http::error::need_more && parser.got_some()) parser.put_eof(ec);  // the server closed
  if (ec || !parser.is_done()) return 0;  // the client's truncated, reset or protocol error

  const unsigned status = parser.get().result_int();
  PLATESPIN_FUZZ_CHECK(status <= 999);
  if (status != 200) return 0;
  const auto country = nlohmann::json::parse(parser.get().body(), nullptr, false);
  if (!country.is_object() || !country.contains("country") || !country["country"].is_string()) return 0;
  const std::string name = platespin::metadata_file_name("AD", country["country"].get<std::string>());
  PLATESPIN_FUZZ_CHECK(name.rfind("AD-", 0) == 0 && name.size() >= 7);
  PLATESPIN_FUZZ_CHECK(name.find('/') == std::string::npos);
  PLATESPIN_FUZZ_CHECK(name.find('\0') == std::string::npos);  // a path would end there
  return 0;
}
