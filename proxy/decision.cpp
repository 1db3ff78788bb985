#include "decision.hpp"

namespace platespin::proxy {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return (hash ^ 0xffU) * kFnvPrime;  // a field separator, so ("ab","c") differs from ("a","bc")
}

std::uint64_t fnv1a(std::uint64_t hash, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) hash = (hash ^ ((value >> (8 * i)) & 0xffU)) * kFnvPrime;
  return hash;
}

std::uint64_t splitmix64_finish(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t seeded_roll(std::uint64_t seed, std::string_view listener, std::string_view method,
                          std::string_view target, std::uint64_t occurrence) {
  std::uint64_t h = fnv1a(kFnvOffset, seed);
  h = fnv1a(h, listener);
  h = fnv1a(h, method);
  h = fnv1a(h, target);
  h = fnv1a(h, occurrence);
  return splitmix64_finish(h);
}

namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// A fault's own randomness must not depend on the roll that picked it: mix again.
std::uint64_t remix(std::uint64_t roll) { return splitmix64_finish(roll + kGolden); }

template <typename Fate, typename Shape>
Fate decide(const ListenerConfig& listener, std::uint64_t roll, std::vector<std::size_t>* hit, Shape shape) {
  Fate fate;
  const int percent = static_cast<int>(roll % 100);
  int upto = 0;
  for (const auto& share : listener.behaviors) {
    upto += share.percent;
    if (percent < upto) {
      shape(*share.behavior, fate, listener.params, Stream::downstream, remix(roll));
      break;
    }
  }
  for (std::size_t i = 0; i < listener.toxics.size() && !fate.ends(); ++i) {
    const ToxicConfig& toxic = listener.toxics[i];
    const std::uint64_t toxic_roll = splitmix64_finish(fnv1a(fnv1a(kFnvOffset, roll), toxic.name));
    if (!(unit_interval(toxic_roll) < toxic.toxicity)) continue;
    shape(*toxic.type, fate, toxic.attributes, toxic.stream, remix(toxic_roll));
    if (hit) hit->push_back(i);
  }
  return fate;
}

}  // namespace

HttpFate decide_http_fate(const ListenerConfig& listener, std::uint64_t roll, std::vector<std::size_t>* hit) {
  return decide<HttpFate>(listener, roll, hit, [](const Fault& f, HttpFate& into, const Values& v, Stream s,
                                                   std::uint64_t r) { f.shape_http(into, v, s, r); });
}

TcpFate decide_tcp_fate(const ListenerConfig& listener, std::uint64_t roll, std::vector<std::size_t>* hit) {
  TcpFate fate = decide<TcpFate>(listener, roll, hit, [](const Fault& f, TcpFate& into, const Values& v, Stream s,
                                                         std::uint64_t r) { f.shape_tcp(into, v, s, r); });
  fate.random = remix(remix(roll));
  return fate;
}

}  // namespace platespin::proxy
