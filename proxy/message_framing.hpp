#pragma once
// The framing of a message Beast's parser has read the header of: our one
// decision (common/http_framing.hpp) from all its Content-Length and
// Transfer-Encoding lines, checked against the parser's own reading. Header
// only, for http_session.cpp and the framing fuzzer.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/container/small_vector.hpp>
#include <span>
#include <string_view>

#include "http_framing.hpp"

namespace platespin::proxy {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;
using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

namespace framing_detail {

namespace http = boost::beast::http;

using FieldValues = boost::container::small_vector<std::string_view, 2>;
inline FieldValues values_of(const http::fields& fields, http::field name) {
  FieldValues values;
  for (auto [it, end] = fields.equal_range(name); it != end; ++it) values.push_back(it->value());
  return values;
}

// Beast's parser frames a message by its own reading of the header; we act on
// ours (http_framing.hpp). The two must agree, or the bytes we forward would
// not be the message we parsed: any doubt is a refusal, never a guess.
template <bool isRequest>
bool parser_agrees(const http::parser<isRequest, http::buffer_body>& p, const Framing& framing) {
  switch (framing.body) {
    case Framing::Body::none: return p.is_done();
    case Framing::Body::length: return !p.chunked() && p.content_length() == framing.length;
    case Framing::Body::chunked: return p.chunked();
    case Framing::Body::until_close: return !p.chunked() && !p.content_length() && p.need_eof();
  }
  return false;
}

}  // namespace framing_detail

inline Framing request_framing_of(const RequestParser& p) {
  using namespace framing_detail;
  const auto& req = p.get();
  const auto te = values_of(req, http::field::transfer_encoding);
  const auto cl = values_of(req, http::field::content_length);
  Framing framing = request_framing(static_cast<int>(req.version()), std::span(te.data(), te.size()),
                                    std::span(cl.data(), cl.size()));
  if (!framing.refused() && !parser_agrees(p, framing)) framing = Framing::refuse(400, "ambiguous framing");
  return framing;
}

inline Framing response_framing_of(const ResponseParser& p, bool to_head) {
  using namespace framing_detail;
  const auto& res = p.get();
  const auto te = values_of(res, http::field::transfer_encoding);
  const auto cl = values_of(res, http::field::content_length);
  Framing framing = response_framing(static_cast<int>(res.result_int()), to_head, std::span(te.data(), te.size()),
                                     std::span(cl.data(), cl.size()));
  if (!framing.refused() && !parser_agrees(p, framing)) framing = Framing::refuse(502, "ambiguous framing");
  return framing;
}

}  // namespace platespin::proxy
