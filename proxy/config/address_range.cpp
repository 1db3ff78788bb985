#include "address_range.hpp"

#include <stdexcept>

#include "parse_number.hpp"

namespace platespin::proxy {

namespace {

// The address's bytes, IPv4 mapped into IPv6 so both compare alike.
boost::asio::ip::address_v6::bytes_type bytes_of(const boost::asio::ip::address& a) {
  return a.is_v4() ? boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, a.to_v4()).to_bytes()
                   : a.to_v6().to_bytes();
}

}  // namespace

AddressRange AddressRange::parse(std::string_view text) {
  const auto bad = [&](const char* why) {
    return std::invalid_argument("bad address range '" + std::string(text.substr(0, 60)) + "' (" + why +
                                 "; expected ADDRESS/BITS like 127.0.0.0/8)");
  };
  const auto slash = text.find('/');
  AddressRange r;
  boost::system::error_code ec;
  r.base_ = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) throw bad("not an IP address");
  const unsigned width = r.base_.is_v4() ? 32 : 128;
  r.bits_ = width;
  if (slash != std::string_view::npos) {
    const auto bits = parse_number<unsigned>(text.substr(slash + 1));
    if (!bits || *bits > width) throw bad("the bits must be 0 to 32 for IPv4, 0 to 128 for IPv6");
    r.bits_ = *bits;
  }
  if (r.base_.is_v4()) r.bits_ += 96;  // compared as IPv4-mapped IPv6
  r.text_ = std::string(text);
  return r;
}

bool AddressRange::contains(const boost::asio::ip::address& address) const {
  const auto a = bytes_of(address), b = bytes_of(base_);
  for (unsigned bit = 0; bit < bits_; ++bit) {
    const unsigned byte = bit / 8, mask = 0x80U >> (bit % 8);
    if ((a[byte] & mask) != (b[byte] & mask)) return false;
  }
  return true;
}

}  // namespace platespin::proxy
