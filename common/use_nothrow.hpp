#pragma once
// The completion token of every awaited Asio operation that may fail as a
// matter of course (a peer that leaves, a timer cancelled): the error comes
// back as the first element of a tuple instead of as an exception.
// `use_nothrow_on<E>` is the same for coroutines bound to executor type E
// (chaos_proxy's loops); `use_nothrow` for Asio's default, any_io_executor.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace platespin {

template <typename Executor>
inline constexpr auto use_nothrow_on = boost::asio::as_tuple(boost::asio::use_awaitable_t<Executor>{});

inline constexpr auto use_nothrow = use_nothrow_on<boost::asio::any_io_executor>;

}  // namespace platespin
