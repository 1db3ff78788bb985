#include "scheduled_changes.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <stdexcept>

#include "api_model.hpp"
#include "http_client.hpp"

namespace platespin::bench {

namespace {

using namespace std::chrono_literals;

// Short: a step late by more than this has missed its time anyway.
constexpr auto kApiTimeout = 5s;

std::string what_went_wrong(const HttpReply& reply) {
  if (reply.status == 0) return reply.error;
  return std::to_string(reply.status) + " " + reply.body;
}

HttpReply call(const Endpoint& api, const std::string& method, const std::string& target, std::string body = {}) {
  return http_call(api.host, api.port,
                   {.method = method,
                    .target = target,
                    .headers = body.empty() ? std::map<std::string, std::string>{}
                                            : std::map<std::string, std::string>{{"Content-Type", "application/json"}},
                    .body = std::move(body),
                    .timeout = kApiTimeout});
}

void put(const Endpoint& api, const std::string& listener, const nlohmann::json& body) {
  const HttpReply reply = call(api, "PUT", "/proxies/" + listener, body.dump());
  if (reply.status != 200)
    throw std::runtime_error("chaos_proxy at " + api.to_string() + " refused PUT /proxies/" + listener + " " +
                             body.dump() + ": " + what_went_wrong(reply));
}

}  // namespace

ScheduledChanges::ScheduledChanges(const Schedule& steps, const Endpoint& api) : steps_(steps), api_(api) {
  for (const auto& step : steps_) {
    if (std::any_of(saved_.begin(), saved_.end(), [&](const Saved& s) { return s.listener == step.listener; }))
      continue;
    const HttpReply reply = call(api_, "GET", "/proxies/" + step.listener);
    if (reply.status != 200)
      throw std::runtime_error("the schedule changes listener '" + step.listener + "', but GET /proxies/" +
                               step.listener + " at " + api_.to_string() + " answered " + what_went_wrong(reply));
    nlohmann::json config = nlohmann::json::object();
    try {
      // What the API's update takes, from what its GET says: the same names.
      const nlohmann::json now = nlohmann::json::parse(reply.body);  // a local: items() would dangle on a temporary
      for (const auto& [key, value] : now.items())
        if (proxy::is_update_field(key)) config[key] = value;
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error("GET /proxies/" + step.listener + " answered no JSON: " + e.what());
    }
    saved_.push_back({step.listener, std::move(config)});
  }
}

ScheduledChanges::~ScheduledChanges() {
  try {
    restore();
  } catch (const std::exception& e) {
    std::cerr << "flagbench: could not restore the proxy after the schedule: " << e.what() << "\n";
  }
}

void ScheduledChanges::start(Clock::time_point t0) { t0_ = t0; }

std::optional<ScheduledChanges::Clock::time_point> ScheduledChanges::next_due() const {
  if (!t0_ || next_ >= steps_.size()) return std::nullopt;
  return *t0_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(steps_[next_].at_s));
}

void ScheduledChanges::apply_due(Clock::time_point now) {
  for (auto due = next_due(); due && *due <= now; due = next_due()) {
    const ScheduleStep& step = steps_[next_++];
    put(api_, step.listener, step.set);
    const auto ms = [&](Clock::time_point t) { return std::chrono::duration<double, std::milli>(t - *t0_).count(); };
    effects_.push_back({step.at_s * 1000, step.listener, step.set, ms(Clock::now())});
  }
}

void ScheduledChanges::restore() {
  if (restored_) return;
  restored_ = true;  // once, even when it fails: the destructor must not try again
  for (const auto& s : saved_) put(api_, s.listener, s.config);
}

}  // namespace platespin::bench
