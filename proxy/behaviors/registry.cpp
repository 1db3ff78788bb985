// Vaurien's behaviors, in the order --help lists them.
#include <array>

#include "fault.hpp"

namespace platespin::proxy {

// Each behaviors/*.cpp defines one of these.
const Fault& dummy_behavior();
const Fault& delay_behavior();
const Fault& error_behavior();
const Fault& hang_behavior();
const Fault& blackout_behavior();
const Fault& abort_behavior();
const Fault& bandwidth_behavior();
const Fault& truncate_behavior();
const Fault& slicer_behavior();

Faults behaviors() {
  static const std::array<const Fault*, 9> all{&dummy_behavior(),     &delay_behavior(),    &error_behavior(),
                                               &hang_behavior(),      &blackout_behavior(), &abort_behavior(),
                                               &bandwidth_behavior(), &truncate_behavior(), &slicer_behavior()};
  return all;
}

}  // namespace platespin::proxy
