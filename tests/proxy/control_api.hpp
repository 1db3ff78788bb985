#pragma once
// chaos_proxy's control API as the tests drive it: one request a connection
// to 127.0.0.1:port, JSON in and out.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "http.hpp"

namespace platespin::test {

struct ControlApi {
  std::uint16_t port;

  HttpReply call(const std::string& method, const std::string& path, const std::string& body = "") const;
  // GET that expects a 200 and a JSON body.
  nlohmann::json get(const std::string& path) const;
  // Our strict PUT /proxies/NAME.
  HttpReply put(const std::string& name, const nlohmann::json& change) const;
  // Polls until `pred` holds for proxy `name`'s counters or 10 s pass (a condition, not a sleep).
  bool eventually(const std::string& name, const std::function<bool(const nlohmann::json&)>& pred) const;
};

}  // namespace platespin::test
