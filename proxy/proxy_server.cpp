#include "proxy_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <system_error>
#include <thread>
#include <atomic>
#include <unordered_map>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address_range.hpp"
#include "backend_pool.hpp"
#include "client_watch.hpp"
#include "control_api.hpp"
#include "event_loops.hpp"
#include "http_session.hpp"
#include "acceptor.hpp"
#include "listening_line.hpp"
#include "process_setup.hpp"
#include "tcp_session.hpp"
#include "resolve.hpp"

namespace platespin::proxy {

namespace {

using Clock = std::chrono::steady_clock;

// Backend connections per listener at most, shared out among the event
// loops; more requests queue for one. Enough for 1,000 clients whose delays end together.
constexpr std::size_t kBackendConnections = 1024;
// Asked of the open-file limit: 10,000 delayed clients, the backend pool, slack.
constexpr std::uint64_t kWantedOpenFiles = 16384;

// A listen address; throws std::system_error saying what did not resolve.
Addresses listen_addresses(const Endpoint& where) {
  try {
    return resolve(where.host, where.port);
  } catch (const boost::system::system_error& e) {
    throw std::system_error(e.code(), "listen tcp " + where.to_string());
  }
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// The client connections of a listener open on each event loop, by
// descriptor: shutting those down closes the connections (DELETE, enabled:
// false) with no help from the sessions, which then end by their own paths.
// A descriptor's number is reused once its socket closes, so each is kept
// with its socket's inode, and one whose inode changed is left alone (a
// duplicate descriptor would do it too, but would double the open files).
//
// close() runs on the main loop and reaches the others by a post, which may
// come after the listener was reopened: so each connection carries the
// generation it was accepted in, and only older ones are closed. One accepted
// before a close but registered after its post ran closes itself.
ino_t inode_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? st.st_ino : 0;
}

struct LiveConnections {
  struct Loop {
    struct Connection {
      std::uint64_t generation;
      ino_t inode;
    };
    std::unordered_map<int, Connection> descriptors;  // touched only on that loop's thread
  };
  explicit LiveConnections(std::size_t loops) : per_loop(loops) {}
  std::vector<Loop> per_loop;
  std::uint64_t generation = 0;               // of connections accepted now (main loop only)
  std::atomic<std::uint64_t> closed_below = 0;  // connections of older generations are to be closed
};

// A pool and the state its gauges count in, let go of in that order (members
// go in reverse), whether its loop runs the deletion or drops it at exit.
struct LastOfAPool {
  LastOfAPool(std::shared_ptr<ListenerState> s, BackendPool* p) : state(std::move(s)), pool(p) {}
  std::shared_ptr<ListenerState> state;
  std::unique_ptr<BackendPool> pool;
};

// One listening socket and what its connections share: a backend pool on each
// event loop. Held by shared_ptr: its accept loop and sessions keep it alive.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(EventLoops& loops, std::shared_ptr<ListenerState> state, SessionTimeouts timeouts)
      : loops_(loops),
        state_(std::move(state)),
        acceptor_(loops.main()),
        protocol_(state_->config().protocol),
        upstream_(state_->config().backend),
        timeouts_(timeouts),
        live_(std::make_shared<LiveConnections>(loops.size())) {
    const std::size_t per_loop = (kBackendConnections + loops.size() - 1) / loops.size();
    for (std::size_t i = 0; i < loops.size(); ++i) {
      const auto ex = loops.at(i).get_executor();
      // Destroyed on its own loop, where its sockets live (or with the loop, if that has stopped),
      // and before the state whose gauges it counts in.
      pools_.emplace_back(new BackendPool(ex, upstream_, timeouts_.backend, per_loop, state_->gauges),
                          [ex, state = state_](BackendPool* pool) {
                            asio::post(ex, [last = std::make_shared<LastOfAPool>(state, pool)] { last->pool.reset(); });
                          });
    }
  }

  // Binds the listen address (port 0: a free port, then kept for reopening). Throws std::system_error.
  void open() {
    if (bound_.port() == 0) {
      const auto at = listen_addresses(state_->config().listen);
      bound_ = at.front();
    }
    try {
      open_acceptor(acceptor_, bound_);
    } catch (const boost::system::system_error& e) {
      throw std::system_error(e.code(), "listen tcp " + bound_address_text());
    }
    bound_ = acceptor_.local_endpoint();
    ListenerConfig bound_config = state_->config();
    bound_config.listen = Endpoint{bound_.address().to_string(), bound_.port()};
    state_->set_config(std::move(bound_config));
    asio::co_spawn(loops_.main(), accept_loop(shared_from_this()), asio::detached);
  }

  // Stops accepting and closes every live connection.
  void close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    const std::uint64_t closing = ++live_->generation;
    live_->closed_below = closing;
    for (std::size_t i = 0; i < loops_.size(); ++i)
      asio::post(loops_.at(i), [live = live_, i, below = closing] {
        for (const auto& [fd, connection] : live->per_loop[i].descriptors)
          if (connection.generation < below && inode_of(fd) == connection.inode) ::shutdown(fd, SHUT_RDWR);
      });
  }

  // The enabled switch of the API.
  void connect_switch() {
    state_->set_accepting = [weak = weak_from_this()](bool accept) {
      const auto self = weak.lock();
      if (!self) return;
      if (accept) {
        self->open();
      } else {
        self->close();
      }
    };
  }

  const tcp::endpoint& bound() const { return bound_; }
  ListenerState& state() { return *state_; }

 private:
  std::string bound_address_text() const {
    return bound_.address().to_string() + ":" + std::to_string(bound_.port());
  }

  static Task<void> accept_loop(std::shared_ptr<Listener> self) {
    for (;;) {
      const std::size_t loop = self->loops_.next_index();
      auto [ec, socket] = co_await self->acceptor_.async_accept(self->loops_.at(loop), use_nothrow);
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) co_return;
      if (ec) {  // out of file descriptors, most likely: let some close before trying again
        Timer pause(self->loops_.main(), std::chrono::milliseconds(10));
        co_await pause.async_wait(use_nothrow);
        continue;
      }
      ListenerState& state = *self->state_;
      ++state.counters.connections_accepted;
      const auto max = state.config().max_connections;
      if (max > 0 && static_cast<std::uint64_t>(state.gauges.client_connections.load()) >= max) {
        ++state.counters.connections_rejected;
        continue;  // the socket closes here
      }
      ConnectionSlot slot(self->state_);
      if (self->protocol_ == Protocol::http) socket.set_option(tcp::no_delay(true));
      // The slot goes in the completion handler, not the coroutine's
      // parameters: g++ 12 destroys a by-value coroutine parameter twice.
      asio::co_spawn(self->loops_.at(loop),
                     session(self->state_, self->pools_[loop], self->live_, loop, self->live_->generation, self->protocol_,
                             self->upstream_,
                             self->timeouts_, std::move(socket)),
                     [slot = std::move(slot)](const std::exception_ptr&) {});
    }
  }

  // One client connection, on its loop: what it needs is held here for as long as it runs.
  static Task<void> session(std::shared_ptr<ListenerState> state, std::shared_ptr<BackendPool> pool,
                            std::shared_ptr<LiveConnections> live, std::size_t loop, std::uint64_t generation,
                            Protocol protocol, Endpoint upstream, SessionTimeouts timeouts, Socket socket) {
    const int watch = socket.native_handle();
    const ino_t inode = inode_of(watch);
    live->per_loop[loop].descriptors.insert_or_assign(watch, LiveConnections::Loop::Connection{generation, inode});
    if (generation < live->closed_below) ::shutdown(watch, SHUT_RDWR);  // closed before it got here
    if (protocol == Protocol::http) {
      co_await serve_http(std::move(socket), *state, *pool, timeouts);
    } else {
      std::vector<tcp::endpoint> addresses;
      try {  // at each connect, as Toxiproxy: the name may resolve only later, or move
        addresses = co_await async_resolve<LoopExecutor>(upstream.host, upstream.port);
      } catch (const boost::system::system_error&) {
        addresses.clear();  // (no co_await inside a handler)
      }
      if (!addresses.empty()) {
        co_await serve_tcp(std::move(socket), *state, addresses, timeouts);
      } else {
        ++state->counters.backend_errors;
        state->count_request("dummy", 0);
      }
    }
    auto& descriptors = live->per_loop[loop].descriptors;
    if (const auto it = descriptors.find(watch); it != descriptors.end() && it->second.inode == inode) descriptors.erase(it);
  }

  EventLoops& loops_;
  std::shared_ptr<ListenerState> state_;
  tcp::acceptor acceptor_;
  tcp::endpoint bound_;
  Protocol protocol_;  // these two never change: a move makes a new Listener
  Endpoint upstream_;
  SessionTimeouts timeouts_;
  std::vector<std::shared_ptr<BackendPool>> pools_;  // one per event loop
  std::shared_ptr<LiveConnections> live_;
};

// The listeners of a running proxy: those of the configuration, and those the API adds.
class ProxyServer final : public ListenerRegistry {
 public:
  ProxyServer(EventLoops& loops, const ProxyConfig& config) : loops_(loops), config_(config) {}
  ~ProxyServer() override {
    for (auto& l : sockets_) l->close();
  }

  Listeners& listeners() override { return states_; }

  ListenerState& add(const ListenerConfig& config, bool enabled) override {
    auto state = std::make_shared<ListenerState>(config, config_.seed);
    state->enabled = enabled;
    auto listener = std::make_shared<Listener>(
        loops_, state, SessionTimeouts{seconds(config_.timeout_s), seconds(config_.idle_timeout_s)});
    if (enabled) listener->open();
    listener->connect_switch();
    states_.push_back(state);
    sockets_.push_back(listener);
    return *state;
  }

  void remove(std::string_view name) override {
    for (std::size_t i = 0; i < states_.size(); ++i)
      if (states_[i]->config().name == name) {
        states_[i]->set_accepting = nullptr;
        sockets_[i]->close();
        states_.erase(states_.begin() + static_cast<std::ptrdiff_t>(i));
        sockets_.erase(sockets_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
  }

  void close_all() {
    for (auto& l : sockets_) l->close();
  }

 private:
  EventLoops& loops_;
  const ProxyConfig& config_;
  Listeners states_;
  std::vector<std::shared_ptr<Listener>> sockets_;  // beside states_, in the same order
};

Task<void> api_accept_loop(tcp::acceptor& acceptor, asio::io_context& io, ListenerRegistry& registry,
                           const ApiSettings& settings) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(io, use_nothrow);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (!ec) asio::co_spawn(io, serve_api(std::move(socket), registry, settings), asio::detached);
  }
}

}  // namespace

int run_proxy(const ProxyConfig& config, bool announce_names) {
  raise_open_file_limit(kWantedOpenFiles);
  EventLoops loops(config.threads > 0 ? config.threads : std::max(1U, std::thread::hardware_concurrency()));
  asio::io_context& io = loops.main();
  ProxyServer server(loops, config);
  tcp::acceptor api(io);
  try {
    for (const auto& l : config.listeners) {
      ListenerState& state = server.add(l, l.enabled);
      const Endpoint& bound = state.config().listen;
      if (l.enabled) announce_listening(bound.host, bound.port, announce_names ? l.name : "");
    }
    if (config.api) {
      try {
        open_acceptor(api, listen_addresses(*config.api).front());
      } catch (const boost::system::system_error& e) {
        throw std::system_error(e.code(), "listen tcp " + config.api->to_string() + " (api)");
      }
      announce_listening(api.local_endpoint().address().to_string(), api.local_endpoint().port(), "api");
      // It opens listening sockets and changes faults: from another host, only with a token.
      if (!api.local_endpoint().address().is_loopback() && config.api_token.empty())
        std::cerr << "chaos_proxy: warning: the API listens on " << config.api->to_string()
                  << " without a token: anyone who reaches it can reconfigure the proxy (--api-token)\n";
    }
  } catch (const std::system_error& e) {
    std::cerr << "chaos_proxy: cannot " << e.what() << "\n";
    return 1;
  }
  ApiSettings api_settings{config.api_token, {}};
  for (const auto& range : config.allow_listen) api_settings.allow_listen.push_back(AddressRange::parse(range));
  if (api.is_open()) asio::co_spawn(io, api_accept_loop(api, io, server, api_settings), asio::detached);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server.close_all();
    boost::system::error_code ignored;
    api.close(ignored);
    loops.stop();
  });
  loops.run();
  return 0;
}

}  // namespace platespin::proxy
