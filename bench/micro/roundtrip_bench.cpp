// One GET round trip over loopback to flag_server's real connection loop,
// run in this process, through the clients' HttpConnection (keep-alive): the
// floor under every items/s figure flagbench reports.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "child_process.hpp"
#include "listening_line.hpp"
#include "file_store.hpp"
#include "http_client.hpp"
#include "request_handler.hpp"
#include "server.hpp"

namespace {

using namespace platespin;
namespace asio = boost::asio;

// flag_server's serve() on a thread, on a free port. serve() announces the
// port on stdout, so stdout goes through a pipe until that line came.
class InProcessServer {
 public:
  InProcessServer() : files_(PLATESPIN_DATA_ROOT, "/flags", true), handler_(files_, "/flags", &metrics_) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::fflush(stdout);
    const int saved = ::dup(STDOUT_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ServerOptions options;
    options.port = 0;
    thread_ = std::thread([this, options] { serve(handler_, options, metrics_); });
    std::string line;
    for (char c; line.find('\n') == std::string::npos && ::read(fds[0], &c, 1) == 1;) line += c;
    std::fflush(stdout);
    ::dup2(saved, STDOUT_FILENO);
    for (int fd : {saved, fds[0], fds[1]}) ::close(fd);
    Endpoint where;
    std::string name;
    line.pop_back();
    if (!parse_listening_line(line, where, name)) throw std::runtime_error("flag_server said: " + line);
    port_ = where.port;
  }
  ~InProcessServer() {
    std::raise(SIGTERM);  // serve() stops on it (its signal_set has the handler)
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  FileStore files_;
  ServerMetrics metrics_;
  RequestHandler handler_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

void BM_LoopbackRoundTrip(benchmark::State& state) {
  static InProcessServer server;
  const ServerUrl url = parse_server("http://127.0.0.1:" + std::to_string(server.port()) + "/flags");
  asio::io_context io;
  HttpConnection connection(io.get_executor(), url, resolve(url), HttpOptions{});
  const std::string target = url.target("br/br.gif");
  for (auto _ : state) {
    Exchange exchange;
    asio::co_spawn(io, connection.get(target, exchange), asio::detached);
    io.restart();
    io.run();
    if (exchange.status != 200) {
      state.SkipWithError("the round trip failed");
      break;
    }
  }
}
BENCHMARK(BM_LoopbackRoundTrip)->UseRealTime();

}  // namespace
