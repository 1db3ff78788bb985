#include "resolve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <optional>

#include "use_nothrow.hpp"

namespace platespin {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::optional<Addresses> numeric(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return Addresses{tcp::endpoint(address, port)};
}

Addresses ipv4_first(const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
  if (ec || results.empty()) throw boost::system::system_error(ec ? ec : asio::error::host_not_found);
  Addresses out;
  for (const auto& r : results)
    if (r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  for (const auto& r : results)
    if (!r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  return out;
}

}  // namespace

Addresses resolve(const std::string& host, std::uint16_t port) {
  if (auto found = numeric(host, port)) return *found;
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  return ipv4_first(ec, results);
}

template <typename Executor>
asio::awaitable<Addresses, Executor> async_resolve(const std::string& host, std::uint16_t port) {
  if (auto found = numeric(host, port)) co_return *found;
  asio::ip::basic_resolver<tcp, Executor> resolver(co_await asio::this_coro::executor);
  const auto [ec, results] =
      co_await resolver.async_resolve(host, std::to_string(port), use_nothrow_on<Executor>);
  co_return ipv4_first(ec, results);
}

template asio::awaitable<Addresses, asio::any_io_executor> async_resolve(const std::string&, std::uint16_t);
template asio::awaitable<Addresses, asio::io_context::executor_type> async_resolve(const std::string&, std::uint16_t);

}  // namespace platespin
