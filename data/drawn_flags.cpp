#include "drawn_flags.hpp"

#include <cstdlib>

namespace platespin {

namespace {

constexpr std::uint16_t kWidth = 16, kHeight = 11;  // the famfamfam size

// Black, red and green bands split by white stripes, a blue triangle at the
// hoist with a yellow star.
PalettedImage south_sudan() {
  enum : std::uint8_t { black, white, red, green, blue, yellow };
  PalettedImage img{kWidth, kHeight,
                    {{0, 0, 0}, {255, 255, 255}, {218, 18, 26}, {7, 137, 48}, {15, 71, 175}, {252, 221, 9}},
                    {}};
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      std::uint8_t c = y < 3 ? black : y == 3 || y == 7 ? white : y < 7 ? red : green;
      if (x < 6 - std::abs(y - 5)) c = blue;
      if (x == 1 && y == 5) c = yellow;
      img.pixels.push_back(c);
    }
  }
  return img;
}

PalettedImage placeholder() {
  PalettedImage img{kWidth, kHeight, {{200, 200, 200}, {90, 90, 90}}, {}};
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x)
      img.pixels.push_back(x == 0 || y == 0 || x == kWidth - 1 || y == kHeight - 1 ? 1 : 0);
  return img;
}

}  // namespace

PalettedImage drawn_flag(const std::string& cc) { return cc == "SS" ? south_sudan() : placeholder(); }

}  // namespace platespin
