#pragma once
// Starting many coroutines on one thread a few per turn of the event loop, and
// waiting for all of them: flags_async's workers. No Beast here.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <exception>
#include <functional>

namespace platespin {

// Starts `count` coroutines made by `make_worker` on the calling coroutine's
// executor, `per_turn` of them per turn of the loop, and returns when every
// one has finished, with the first exception one of them threw (or null).
// The executor must be a single thread (flags_async's io_context): the count
// of running workers is not locked. Never throws.
boost::asio::awaitable<std::exception_ptr> run_workers(std::size_t count, std::size_t per_turn,
                                                       std::function<boost::asio::awaitable<void>()> make_worker);

}  // namespace platespin
