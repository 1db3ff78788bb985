#pragma once
// flag_server's answer to one request, without sockets: sanitise the path,
// check the method, find the file, honour the validators. The connection loop
// (server.cpp) and the micro benchmarks call respond() directly.
#include <string>

#include "file_store.hpp"
#include "metrics.hpp"
#include "request.hpp"

namespace platespin {

class RequestHandler {
 public:
  // `prefix` ("/flags") is the only URL subtree served, besides GET /healthz
  // and, when `metrics` is given, GET /metrics.
  RequestHandler(const FileStore& files, std::string prefix, const ServerMetrics* metrics = nullptr);

  // A request body with a Content-Length up to this is read and discarded.
  static constexpr std::uint64_t kDiscardedBodyLimit = 64 * 1024;

  // The reply to a complete, well-formed request head. A body the connection
  // does not read closes it: 400 (it cannot be framed), 501 (a transfer coding
  // other than chunked), 411 (chunked: its length is unknown until read), 413
  // (a Content-Length over kDiscardedBodyLimit); for a method other than GET
  // and HEAD these are 405 instead, the method being checked first. Any other
  // body is the connection's to read and discard before the reply is sent.
  Reply respond(const ParsedRequest& request) const;

  // Replies to requests that could not be parsed; all close the connection.
  // `head_only`: the request line said HEAD, so no body.
  Reply bad_request(bool head_only = false) const;            // 400
  Reply uri_too_long(bool head_only = false) const;           // 414: request line over 8 KiB
  Reply headers_too_large(bool head_only = false) const;      // 431
  Reply version_not_supported(bool head_only = false) const;  // 505

  const std::string& prefix() const { return prefix_; }

 private:
  struct Canned {
    int status;
    std::string head;
    std::string body;
  };
  static Canned canned(int status, const char* reason, const std::string& extra_headers, const std::string& body);
  static Reply reply(const Canned& c, bool head_only, bool close);
  bool under_prefix(const std::string& path) const;
  Reply metrics_reply(bool head_only) const;
  // A body that is not read: 405 for a method other than GET and HEAD, else
  // `refusal`; the connection closes.
  Reply refuse_body(const ParsedRequest& request, const Canned& refusal) const;
  // A 200, 206 or 416 for `file`, by the request's Range and If-Range.
  static void set_content(Reply& r, const ParsedRequest& request, const StaticFile& file, bool is_get);

  const FileStore& files_;
  const ServerMetrics* metrics_;
  std::string prefix_;  // "/flags", "" for everything
  Canned healthy_, bad_request_, not_found_, method_not_allowed_, not_implemented_, precondition_failed_, length_required_, too_large_,
      uri_too_long_, headers_too_large_, version_not_supported_;
};

}  // namespace platespin
