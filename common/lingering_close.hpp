#pragma once
// Closing a connection whose peer may still be sending (a request body that
// was refused or left unread), as nginx's lingering close does: shut our
// sending side, read and drop what still comes for a while, then close.
// Closing at once would answer the unread bytes with a reset, and the reset
// makes the peer's kernel discard the response it has not read yet.
// Header-only: include it only from the files that already include Beast.
#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstddef>

#include "use_nothrow.hpp"

namespace platespin {

// How long, and how many bytes, a lingering close drains at most.
inline constexpr auto kLingerTime = std::chrono::seconds(2);
inline constexpr std::size_t kLingerBytes = 1 << 20;

// `Stream` is a Beast basic_stream on any executor (flag_server's, chaos_proxy's loops).
template <typename Stream>
boost::asio::awaitable<void, typename Stream::executor_type> lingering_close(Stream& stream) {
  boost::beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::array<char, 4096> sink;
  for (std::size_t drained = 0; drained < kLingerBytes;) {
    auto [read_error, n] = co_await stream.async_read_some(boost::asio::buffer(sink),
                                                             use_nothrow_on<typename Stream::executor_type>);
    if (read_error) break;
    drained += n;
  }
  stream.close();
}

}  // namespace platespin
