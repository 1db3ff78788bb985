#include "gif_writer.hpp"

#include <stdexcept>

namespace platespin {

namespace {

constexpr int kMinCodeSize = 3;  // 8 palette entries
constexpr unsigned kClearCode = 1u << kMinCodeSize;
constexpr unsigned kEndCode = kClearCode + 1;
constexpr int kCodeWidth = kMinCodeSize + 1;
// Every pixel goes out as a literal code, with a clear code after every few so
// the decoder's table never grows enough to widen the codes. The pictures are a
// few hundred pixels, so skipping real LZW compression costs a few hundred bytes
// and removes the subtle code-width bookkeeping.
constexpr int kLiteralsPerClear = 4;

void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

// LSB-first bit packing, as GIF's LZW stream wants it.
class BitWriter {
 public:
  void put(unsigned code) {
    acc_ |= code << bits_;
    bits_ += kCodeWidth;
    while (bits_ >= 8) {
      bytes_.push_back(static_cast<char>(acc_ & 0xff));
      acc_ >>= 8;
      bits_ -= 8;
    }
  }
  std::string finish() {
    if (bits_ > 0) bytes_.push_back(static_cast<char>(acc_ & 0xff));
    return bytes_;
  }

 private:
  unsigned acc_ = 0;
  int bits_ = 0;
  std::string bytes_;
};

std::string image_data(const std::vector<std::uint8_t>& pixels) {
  BitWriter bits;
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    if (i % kLiteralsPerClear == 0) bits.put(kClearCode);
    bits.put(pixels[i]);
  }
  bits.put(kEndCode);
  return bits.finish();
}

}  // namespace

std::string encode_gif(const PalettedImage& image) {
  if (image.width == 0 || image.height == 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height)
    throw std::invalid_argument("GIF image: pixel count does not match width x height");
  if (image.palette.empty() || image.palette.size() > kClearCode)
    throw std::invalid_argument("GIF image: palette must have 1 to 8 colours");
  for (const auto p : image.pixels)
    if (p >= image.palette.size()) throw std::invalid_argument("GIF image: pixel outside the palette");

  std::string out = "GIF89a";
  put_u16(out, image.width);
  put_u16(out, image.height);
  out.push_back(static_cast<char>(0xf0 | (kMinCodeSize - 1)));  // global colour table, 8 entries
  out.push_back(0);                                              // background colour index
  out.push_back(0);                                              // no aspect ratio
  for (std::size_t i = 0; i < kClearCode; ++i) {
    const Rgb c = i < image.palette.size() ? image.palette[i] : Rgb{};
    out.push_back(static_cast<char>(c.r));
    out.push_back(static_cast<char>(c.g));
    out.push_back(static_cast<char>(c.b));
  }
  out.push_back(0x2c);  // image descriptor: the whole screen, no local table
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, image.width);
  put_u16(out, image.height);
  out.push_back(0);
  out.push_back(kMinCodeSize);
  const std::string data = image_data(image.pixels);
  for (std::size_t at = 0; at < data.size(); at += 255) {  // sub-blocks of at most 255 bytes
    const std::size_t n = std::min<std::size_t>(255, data.size() - at);
    out.push_back(static_cast<char>(n));
    out.append(data, at, n);
  }
  out.push_back(0);     // block terminator
  out.push_back(0x3b);  // trailer
  return out;
}

}  // namespace platespin
