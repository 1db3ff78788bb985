#pragma once
// Name resolution, the same for every binary: a numeric address costs no
// lookup, and a name's IPv4 addresses come first, so "localhost" means
// 127.0.0.1 everywhere, as the book's tools took it.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace platespin {

using Addresses = std::vector<boost::asio::ip::tcp::endpoint>;

// Never empty; throws boost::system::system_error (the lookup's error, or host_not_found).
Addresses resolve(const std::string& host, std::uint16_t port);
// The same without blocking the caller's event loop: a coroutine on the
// default executor, or on an io_context's own (chaos_proxy's loops).
template <typename Executor = boost::asio::any_io_executor>
boost::asio::awaitable<Addresses, Executor> async_resolve(const std::string& host, std::uint16_t port);
extern template boost::asio::awaitable<Addresses, boost::asio::any_io_executor> async_resolve(const std::string&,
                                                                                             std::uint16_t);
extern template boost::asio::awaitable<Addresses, boost::asio::io_context::executor_type> async_resolve(
    const std::string&, std::uint16_t);

}  // namespace platespin
