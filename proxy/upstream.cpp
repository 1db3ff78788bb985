#include "upstream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

namespace platespin::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<std::vector<tcp::endpoint>> resolve_upstream(const Endpoint& upstream) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(upstream.host, ec);
  if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(address, upstream.port)};
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [error, results] = co_await resolver.async_resolve(upstream.host, std::to_string(upstream.port),
                                                          asio::as_tuple(asio::use_awaitable));
  if (error || results.empty()) throw boost::system::system_error(error ? error : asio::error::host_not_found);
  std::vector<tcp::endpoint> out;
  for (const auto& r : results)
    if (r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  for (const auto& r : results)
    if (!r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  co_return out;
}

}  // namespace platespin::proxy
