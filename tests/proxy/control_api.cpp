#include "control_api.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace platespin::test {

using namespace std::chrono_literals;

HttpReply ControlApi::call(const std::string& method, const std::string& path, const std::string& body) const {
  return http_call("127.0.0.1", port,
                   {.method = method, .target = path, .headers = {{"Content-Type", "application/json"}}, .body = body});
}

nlohmann::json ControlApi::get(const std::string& path) const {
  const HttpReply reply = call("GET", path);
  EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
  return nlohmann::json::parse(reply.body);
}

HttpReply ControlApi::put(const std::string& name, const nlohmann::json& change) const {
  return call("PUT", "/proxies/" + name, change.dump());
}

bool ControlApi::eventually(const std::string& name, const std::function<bool(const nlohmann::json&)>& pred) const {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred(get("/proxies/" + name)["counters"])) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

}  // namespace platespin::test
