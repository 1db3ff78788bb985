#pragma once
// flag_server's answer to one request, without sockets: sanitise the path,
// check the method, find the file, honour the validators. The connection loop
// (server.cpp) and the micro benchmarks call respond() directly.
#include <string>

#include "file_store.hpp"
#include "request.hpp"

namespace platespin {

class RequestHandler {
 public:
  // `prefix` ("/flags") is the only URL subtree served, besides GET /healthz.
  RequestHandler(const FileStore& files, std::string prefix);

  // The reply to a complete, well-formed request head: 400 (the body cannot be
  // framed), 501 (a transfer coding other than chunked) or 413 (any body) close
  // the connection.
  Reply respond(const ParsedRequest& request) const;

  // Replies to requests that could not be parsed; all close the connection.
  Reply bad_request() const;          // 400
  Reply headers_too_large() const;    // 431

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

  const FileStore& files_;
  std::string prefix_;  // "/flags", "" for everything
  Canned healthy_, bad_request_, not_found_, method_not_allowed_, not_implemented_, too_large_, headers_too_large_;
};

}  // namespace platespin
