#pragma once
// Beast's HTTP/1.1 parser reading a request head straight into a
// ParsedRequest: no header container, so no allocation per request once the
// connection's strings have grown. The body is never read (see respond()).
#include <boost/beast/http/basic_parser.hpp>

#include "request.hpp"

namespace platespin {

class RequestHeadParser : public boost::beast::http::basic_parser<true> {
 public:
  static constexpr std::uint32_t kHeaderLimit = 8 * 1024;

  // Clears `out` and fills it as the head arrives.
  explicit RequestHeadParser(ParsedRequest& out);

  // Sets keep_alive and framing once the head is complete.
  void finish_head();

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target, int version,
                       error_code&) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view, string_view value, error_code&) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override { return body.size(); }
  void on_finish_impl(error_code&) override {}

  ParsedRequest& out_;
};

// What a read error means for the connection: a malformed request or an
// oversized head gets a reply; anything else (close, reset, timeout) ends it.
ParseOutcome classify_read_error(const boost::beast::error_code& ec);

}  // namespace platespin
