#pragma once
// The types of chaos_proxy's sockets, timers and coroutines, bound to the one
// io_context each event loop runs. Asio's defaults take any executor: a
// type-erased one whose copy, move and work tracking, paid on every
// operation, were a tenth of the proxy's CPU passing requests through (perf).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "use_nothrow.hpp"

namespace platespin::proxy {

using LoopExecutor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, LoopExecutor>;
using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, LoopExecutor>;
using Timer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                boost::asio::wait_traits<std::chrono::steady_clock>, LoopExecutor>;
template <typename T>
using Task = boost::asio::awaitable<T, LoopExecutor>;

inline constexpr boost::asio::use_awaitable_t<LoopExecutor> use_task;
inline constexpr auto use_nothrow = use_nothrow_on<LoopExecutor>;

}  // namespace platespin::proxy
