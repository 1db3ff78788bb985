#include "recovery.hpp"

#include <algorithm>

namespace platespin::bench {

std::optional<double> recovery_s(const Repetition& rep, std::size_t scheduled_steps) {
  if (!rep.client || rep.schedule.empty() || rep.schedule.size() < scheduled_steps) return std::nullopt;
  const auto& items = rep.client->items;
  if (std::any_of(items.begin(), items.end(), [](const ItemResult& i) { return !i.start_ms; })) return std::nullopt;
  const double t = rep.schedule.back().applied_ms;
  std::optional<double> last_failure;
  for (const auto& item : items)
    if (*item.start_ms >= t && item.outcome == Outcome::error)
      last_failure = std::max(last_failure.value_or(t), *item.start_ms);
  std::optional<double> recovered;
  for (const auto& item : items) {
    const double start = *item.start_ms;
    if (start < t || item.outcome == Outcome::error || (last_failure && start <= *last_failure)) continue;
    recovered = std::min(recovered.value_or(start), start);
  }
  if (!recovered) return std::nullopt;
  return (*recovered - t) / 1000;
}

}  // namespace platespin::bench
