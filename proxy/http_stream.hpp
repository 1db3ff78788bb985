#pragma once
// A Beast stream (a socket with a deadline on each operation) on an event loop.
#include <boost/beast/core/tcp_stream.hpp>

#include "loop_executor.hpp"

namespace platespin::proxy {

using HttpStream = boost::beast::basic_stream<boost::asio::ip::tcp, LoopExecutor>;

}  // namespace platespin::proxy
