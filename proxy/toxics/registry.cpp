// Toxiproxy's toxic types and ours (http_*), in the order --help lists them.
#include <array>

#include "fault.hpp"

namespace platespin::proxy {

// Each toxics/*.cpp defines one of these.
const Fault& latency_toxic();
const Fault& bandwidth_toxic();
const Fault& slow_close_toxic();
const Fault& timeout_toxic();
const Fault& reset_peer_toxic();
const Fault& slicer_toxic();
const Fault& limit_data_toxic();
const Fault& noop_toxic();
const Fault& http_error_toxic();
const Fault& http_header_toxic();

Faults toxic_types() {
  static const std::array<const Fault*, 10> all{&latency_toxic(),    &bandwidth_toxic(),  &slow_close_toxic(),
                                                &timeout_toxic(),    &reset_peer_toxic(), &slicer_toxic(),
                                                &limit_data_toxic(), &noop_toxic(),       &http_error_toxic(),
                                                &http_header_toxic()};
  return all;
}

}  // namespace platespin::proxy
