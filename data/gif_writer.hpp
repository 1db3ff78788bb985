#pragma once
// Writes small paletted pictures as GIF89a files, for the flags that Debian's
// famfamfam-flag-gif lacks (South Sudan, which is younger than the package).
#include <cstdint>
#include <string>
#include <vector>

namespace platespin {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

// Up to 8 colours; one palette index per pixel, row by row from the top left.
struct PalettedImage {
  std::uint16_t width = 0, height = 0;
  std::vector<Rgb> palette;
  std::vector<std::uint8_t> pixels;
};

// The bytes of a GIF89a file showing `image`. Throws std::invalid_argument when
// the image is inconsistent (pixel count, palette size, index out of range).
std::string encode_gif(const PalettedImage& image);

}  // namespace platespin
