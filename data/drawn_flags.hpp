#pragma once
// Flags we draw ourselves because the famfamfam set has no picture for them.
#include <string>

#include "gif_writer.hpp"

namespace platespin {

// The 16x11 picture for `cc` (upper case): South Sudan's flag for SS, a plain
// grey placeholder with a dark border for any other code.
PalettedImage drawn_flag(const std::string& cc);

}  // namespace platespin
