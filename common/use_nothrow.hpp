#pragma once
// The completion token of every awaited Asio operation that may fail as a
// matter of course (a peer that leaves, a timer cancelled): the error comes
// back as the first element of a tuple instead of as an exception.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace platespin {

inline constexpr auto use_nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace platespin
