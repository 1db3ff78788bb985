#include "proxy_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <list>
#include <system_error>
#include <thread>

#include "backend_pool.hpp"
#include "client_watch.hpp"
#include "control_api.hpp"
#include "event_loops.hpp"
#include "http_session.hpp"
#include "process_setup.hpp"
#include "tcp_session.hpp"

namespace platespin::proxy {

namespace {

using Clock = std::chrono::steady_clock;

// Backend connections per listener at most, shared out among the event
// loops; more requests queue for one. Enough for 1,000 clients whose delays end together.
constexpr std::size_t kBackendConnections = 1024;
// Asked of the open-file limit: 10,000 delayed clients, the backend pool, slack.
constexpr std::uint64_t kWantedOpenFiles = 16384;

class StartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<tcp::endpoint> resolve(asio::io_context& io, const Endpoint& where, const char* what) {
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto results = resolver.resolve(where.host, std::to_string(where.port), ec);
  if (ec || results.empty())
    throw StartError(std::string("cannot resolve ") + what + " '" + where.to_string() + "': " + ec.message());
  std::vector<tcp::endpoint> out;
  for (const auto& r : results)  // IPv4 first: "localhost" should mean 127.0.0.1, as the book's tools took it
    if (r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  for (const auto& r : results)
    if (!r.endpoint().address().is_v4()) out.push_back(r.endpoint());
  return out;
}

// Throws boost::system::system_error, and then leaves the acceptor closed, so a later call can try again.
Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

void open_acceptor(tcp::acceptor& acceptor, const tcp::endpoint& at) {
  try {
    acceptor.open(at.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error&) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    throw;
  }
}

// One listening socket and what its connections share: a backend pool on each event loop.
class Listener {
 public:
  Listener(EventLoops& loops, ListenerState& state, const ProxyConfig& config)
      : loops_(loops),
        state_(state),
        acceptor_(loops.main()),
        backend_(resolve(loops.main(), state.config().backend, "backend")),
        timeouts_{seconds(config.timeout_s), seconds(config.idle_timeout_s)} {
    const std::size_t per_loop = (kBackendConnections + loops.size() - 1) / loops.size();
    for (std::size_t i = 0; i < loops.size(); ++i)
      pools_.push_back(
          std::make_unique<BackendPool>(loops.at(i).get_executor(), backend_, timeouts_.backend, per_loop, state.gauges));
    const auto at = resolve(loops.main(), state.config().listen, "listen address").front();
    try {
      open_acceptor(acceptor_, at);
    } catch (const boost::system::system_error& e) {
      throw StartError("cannot listen on " + state.config().listen.to_string() + ": " + e.code().message());
    }
    bound_ = acceptor_.local_endpoint();
    ListenerConfig bound_config = state_.config();
    bound_config.listen = Endpoint{bound_.address().to_string(), bound_.port()};
    state_.set_config(std::move(bound_config));
    state_.set_accepting = [this](bool accept) {
      if (!accept) return acceptor_.close();
      try {
        open_acceptor(acceptor_, bound_);
      } catch (const boost::system::system_error& e) {
        throw std::system_error(e.code());  // the API's kind of error: it answers 500 with the message
      }
      start();
    };
  }

  void start() { asio::co_spawn(loops_.main(), accept_loop(), asio::detached); }
  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }
  const tcp::endpoint& bound() const { return bound_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      const std::size_t loop = loops_.next_index();
      auto [ec, socket] = co_await acceptor_.async_accept(loops_.at(loop), use_nothrow);
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      if (ec) {  // out of file descriptors, most likely: let some close before trying again
        asio::steady_timer pause(loops_.main(), std::chrono::milliseconds(10));
        co_await pause.async_wait(use_nothrow);
        continue;
      }
      ++state_.counters.connections_accepted;
      const auto max = state_.config().max_connections;
      if (max > 0 && static_cast<std::uint64_t>(state_.gauges.client_connections.load()) >= max) {
        ++state_.counters.connections_rejected;
        continue;  // the socket closes here
      }
      // Counted here, not when the session starts on its loop: the next accept must see it.
      ++state_.gauges.client_connections;
      if (state_.config().protocol == Protocol::http) {
        socket.set_option(tcp::no_delay(true));
        asio::co_spawn(loops_.at(loop), serve_http(std::move(socket), state_, *pools_[loop], timeouts_), asio::detached);
      } else {
        asio::co_spawn(loops_.at(loop), serve_tcp(std::move(socket), state_, backend_, timeouts_), asio::detached);
      }
    }
  }

  EventLoops& loops_;
  ListenerState& state_;
  tcp::acceptor acceptor_;
  tcp::endpoint bound_;
  std::vector<tcp::endpoint> backend_;
  SessionTimeouts timeouts_;
  std::vector<std::unique_ptr<BackendPool>> pools_;  // one per event loop
};

asio::awaitable<void> api_accept_loop(tcp::acceptor& acceptor, Listeners& listeners) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (!ec) asio::co_spawn(acceptor.get_executor(), serve_api(std::move(socket), listeners), asio::detached);
  }
}

}  // namespace

int run_proxy(const ProxyConfig& config, bool announce_names) {
  raise_open_file_limit(kWantedOpenFiles);
  // Declared before the event loops, so the sessions they destroy at the end
  // (still waiting in a delay, say) can count themselves out.
  Listeners states;
  EventLoops loops(config.threads > 0 ? config.threads : std::max(1U, std::thread::hardware_concurrency()));
  asio::io_context& io = loops.main();
  std::list<Listener> listeners;  // stable addresses: the state's callback points back
  tcp::acceptor api(io);
  try {
    for (const auto& l : config.listeners) {
      states.push_back(std::make_unique<ListenerState>(l, config.seed));
      const auto& bound = listeners.emplace_back(loops, *states.back(), config).bound();
      announce_listening(bound.address().to_string(), bound.port(), announce_names ? l.name : "");
    }
    if (config.api) {
      try {
        open_acceptor(api, resolve(io, *config.api, "API address").front());
      } catch (const boost::system::system_error& e) {
        throw StartError("cannot listen on " + config.api->to_string() + " (api): " + e.code().message());
      }
      announce_listening(api.local_endpoint().address().to_string(), api.local_endpoint().port(), "api");
    }
  } catch (const StartError& e) {
    std::cerr << "chaos_proxy: " << e.what() << "\n";
    return 1;
  }
  for (auto& l : listeners) l.start();
  if (api.is_open()) asio::co_spawn(io, api_accept_loop(api, states), asio::detached);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    for (auto& l : listeners) l.stop();
    boost::system::error_code ignored;
    api.close(ignored);
    loops.stop();
  });
  loops.run();
  return 0;
}

}  // namespace platespin::proxy
