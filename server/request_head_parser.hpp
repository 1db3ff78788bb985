#pragma once
// Beast's HTTP/1.1 parser reading a request head straight into a
// ParsedRequest: no header container, so no allocation per request once the
// connection's strings have grown. It is given a whole head that
// RequestHeadScanner found within the limits; a body is read only to be
// thrown away (see respond()).
#include <boost/beast/http/basic_parser.hpp>

#include "request.hpp"
#include "request_head_scanner.hpp"

namespace platespin {

class RequestHeadParser : public boost::beast::http::basic_parser<true> {
 public:
  // Clears `out` and fills it as the head is parsed.
  explicit RequestHeadParser(ParsedRequest& out);

  // Parses `head`, a whole head as the scanner delimited it (from the request
  // line to the empty line, its version checked by check_version()), and
  // decides keep_alive and framing.
  ParseOutcome parse_head(std::string_view head);

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  bool finish_head();
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
  int host_lines_ = 0;
  bool host_valid_ = true;
};

// What the scanner's verdict on the bytes so far means, short of a complete head.
ParseOutcome outcome_of_scan(RequestHeadScanner::Status status);

}  // namespace platespin
