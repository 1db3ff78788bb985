#pragma once
// An address range in CIDR notation ("127.0.0.0/8", "::1/128"), for
// --allow-listen: where the control API may open listening sockets.
#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>

namespace platespin::proxy {

class AddressRange {
 public:
  // "ADDRESS/BITS" or a lone address (all its bits). Throws std::invalid_argument.
  static AddressRange parse(std::string_view text);
  bool contains(const boost::asio::ip::address& address) const;
  const std::string& text() const { return text_; }

 private:
  boost::asio::ip::address base_;
  unsigned bits_ = 0;
  std::string text_;
};

}  // namespace platespin::proxy
