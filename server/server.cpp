#include "server.hpp"

#include "resolve.hpp"
#include "use_nothrow.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffer_traits.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <span>
#include <thread>
#include <unordered_set>
#include <vector>

#include "access_log.hpp"
#include "conditional_request.hpp"
#include "endpoint.hpp"
#include "lingering_close.hpp"
#include "acceptor.hpp"
#include "listening_line.hpp"
#include "request_head_parser.hpp"
#include "request_head_scanner.hpp"
#include "static_file.hpp"

namespace platespin {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// How long SIGTERM waits for in-flight replies before giving up on them.
constexpr auto kStopGrace = std::chrono::seconds(10);

// How much of a file sent from disk (--no-cache) is in memory at once, per reply.
constexpr std::uint64_t kFilePiece = 64 * 1024;

// The most a connection reads from its socket at once (its buffer grows to this from 512 bytes).
constexpr std::size_t kReadSize = 64 * 1024;

constexpr std::string_view kKeepAlive = "Connection: keep-alive\r\n\r\n";
constexpr std::string_view kClose = "Connection: close\r\n\r\n";

// "Date: ...\r\n", formatted at most once a second per thread.
std::string_view current_date_line() {
  thread_local std::time_t cached = 0;
  thread_local std::string line;
  const std::time_t now = std::time(nullptr);
  if (now != cached) {
    cached = now;
    line = "Date: " + format_http_date(now) + "\r\n";
  }
  return line;
}

// Writes `buffers` whole, setting the idle timeout afresh before each
// write_some: it bounds how long the peer takes no bytes at all (a reader that
// stopped), not the whole reply, so a slow but steady reader of a big file gets
// all of it (nginx's send_timeout works the same way).
template <class ConstBuffers>
asio::awaitable<beast::error_code> write_while_progressing(beast::tcp_stream& stream, const ConstBuffers& buffers,
                                                           std::chrono::seconds idle_timeout) {
  beast::buffers_suffix<ConstBuffers> rest(buffers);
  while (beast::buffer_bytes(rest) > 0) {
    stream.expires_after(idle_timeout);
    auto [error, written] = co_await stream.async_write_some(rest, use_nothrow);
    if (error) co_return error;
    rest.consume(written);
  }
  co_return beast::error_code{};
}

class Server;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  asio::awaitable<void> run();
  // Sends bytes [offset, end) of `file`, in `piece`-sized reads.
  asio::awaitable<beast::error_code> send_file_range(const OpenFile& file, std::uint64_t offset, std::uint64_t end,
                                                     std::vector<char>& piece, std::chrono::seconds idle_timeout);
  // Reads the next request head into `parser`: scanned for the limits as its
  // bytes arrive, then parsed whole, the empty lines before it skipped and its
  // bytes consumed from `buffer`. `head_method`: the request line says HEAD.
  asio::awaitable<ParseOutcome> read_head(beast::flat_buffer& buffer, RequestHeadParser& parser, bool& head_method);
  // On the connection's strand: a connection waiting for a request ends now;
  // one writing a reply finishes it first unless `even_busy`.
  void stop(bool even_busy) {
    if (even_busy || !busy_) stream_.cancel();
  }
  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  Server& server_;
  beast::tcp_stream stream_;
  std::string remote_;
  std::string date_;  // this reply's Date line, ours until the write completes
  bool busy_ = false;
};

class Server {
 public:
  Server(asio::io_context& io, const RequestHandler& handler, const ServerOptions& options, ServerMetrics& metrics,
         AccessLog* access_log)
      : io_(io),
        handler_(handler),
        options_(options),
        metrics_(metrics),
        access_log_(access_log),
        acceptor_(asio::make_strand(io)),
        signals_(io, SIGINT, SIGTERM),
        stop_grace_(acceptor_.get_executor()) {}

  void listen() {
    tcp::endpoint where;
    try {
      where = resolve(options_.bind, options_.port).front();
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot resolve bind address '" + options_.bind + "': " + e.code().message());
    }
    try {
      open_acceptor(acceptor_, where);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + Endpoint{where.address().to_string(), options_.port}.to_string() +
                               ": " + e.code().message());
    }
    const auto local = acceptor_.local_endpoint();
    announce_listening(local.address().to_string(), local.port());
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
    asio::co_spawn(acceptor_.get_executor(), stop_on_signal(), asio::detached);
  }

  const RequestHandler& handler() const { return handler_; }
  const ServerOptions& options() const { return options_; }
  ServerMetrics& metrics() { return metrics_; }
  AccessLog* access_log() const { return access_log_; }  // nullptr without --access-log
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  void add(Connection* c) {
    std::lock_guard lock(mutex_);
    connections_.insert(c);
  }
  void remove(Connection* c) {
    std::lock_guard lock(mutex_);
    connections_.erase(c);
    // The last one gone ends the grace at once (on the timer's strand: timers are not thread-safe).
    if (connections_.empty() && stopping()) asio::post(stop_grace_.get_executor(), [this] { stop_grace_.cancel(); });
  }

 private:
  std::size_t connection_count() {
    std::lock_guard lock(mutex_);
    return connections_.size();
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(acceptor_.get_executor());
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), use_nothrow);
      if (stopping() || ec == asio::error::operation_aborted) co_return;
      if (ec) {  // e.g. out of file descriptors: say so and give closing connections a moment
        std::fprintf(stderr, "flag_server: accept failed: %s\n", ec.message().c_str());
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(use_nothrow);
        continue;
      }
      if (connection_count() >= options_.max_connections) {
        socket.close(ec);  // at once: a client over the limit learns it now, not after a queue
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto connection = std::make_shared<Connection>(*this, std::move(socket));
      asio::co_spawn(connection->executor(), connection->run(), asio::detached);
    }
  }

  asio::awaitable<void> stop_on_signal() {
    auto [ec, signo] = co_await signals_.async_wait(use_nothrow);
    if (ec) co_return;
    stopping_.store(true, std::memory_order_release);
    acceptor_.close(ec);
    stop_connections(false);
    // In-flight replies finish on their own; the grace only bounds how long
    // they may take. Every connection then ends by itself, and with it
    // io_context::run(). The last one to go cancels the grace (remove()).
    if (connection_count() == 0) co_return;
    stop_grace_.expires_after(kStopGrace);
    auto [cancelled] = co_await stop_grace_.async_wait(use_nothrow);
    if (!cancelled) stop_connections(true);
  }

  // Asks every connection, on its own strand, to end: idle ones only, or all.
  void stop_connections(bool even_busy) {
    std::lock_guard lock(mutex_);
    for (Connection* c : connections_)
      if (auto alive = c->weak_from_this().lock())
        asio::post(alive->executor(), [alive, even_busy] { alive->stop(even_busy); });
  }

  asio::io_context& io_;
  const RequestHandler& handler_;
  const ServerOptions& options_;
  ServerMetrics& metrics_;
  AccessLog* access_log_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer stop_grace_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_set<Connection*> connections_;
};

Connection::Connection(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  remote_ = ec ? "-" : peer.address().to_string();
  server_.add(this);
  server_.metrics().connection_accepted();
}

Connection::~Connection() {
  server_.metrics().connection_closed();
  server_.remove(this);
}

asio::awaitable<beast::error_code> Connection::send_file_range(const OpenFile& file, std::uint64_t offset,
                                                              std::uint64_t end, std::vector<char>& piece,
                                                              std::chrono::seconds idle_timeout) {
  while (offset < end) {
    const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), end - offset));
    const std::size_t n = file.read_at(offset, std::span<char>(piece.data(), wanted));
    // The file shrank while we sent it: Content-Length cannot be kept, so the
    // connection must end here (the client sees a short body).
    if (n == 0) co_return make_error_code(beast::errc::io_error);
    if (auto error = co_await write_while_progressing(stream_, asio::buffer(piece.data(), n), idle_timeout))
      co_return error;
    offset += n;
  }
  co_return beast::error_code{};
}

asio::awaitable<ParseOutcome> Connection::read_head(beast::flat_buffer& buffer, RequestHeadParser& parser,
                                                    bool& head_method) {
  RequestHeadScanner scanner;
  for (;;) {
    const auto data = buffer.data();
    char* const bytes = static_cast<char*>(data.data());
    const auto status = scanner.scan({bytes, data.size()});
    const std::string_view from_request_line(bytes + scanner.skipped(), data.size() - scanner.skipped());
    head_method = from_request_line.substr(0, 5) == "HEAD ";
    if (status == RequestHeadScanner::Status::complete) {
      char* const head = bytes + scanner.skipped();
      const std::size_t line_size = scanner.request_line_size();
      ParseOutcome outcome = ParseOutcome::version_not_supported;
      switch (check_version({head, line_size})) {
        case VersionCheck::not_supported:
          break;
        case VersionCheck::read_as_1_1:
          head[line_size - 1] = '1';  // in our own read buffer: no copy
          [[fallthrough]];
        case VersionCheck::as_is:
          outcome = parser.parse_head({head, scanner.head_size()});
          break;
      }
      buffer.consume(scanner.skipped() + scanner.head_size());
      co_return outcome;
    }
    if (status != RequestHeadScanner::Status::incomplete) co_return outcome_of_scan(status);
    auto [error, n] = co_await stream_.async_read_some(buffer.prepare(beast::read_size(buffer, kReadSize)), use_nothrow);
    if (error) co_return ParseOutcome::incomplete;
    buffer.commit(n);
  }
}

asio::awaitable<void> Connection::run() {
  const auto self = shared_from_this();  // the coroutine keeps its connection alive
  const RequestHandler& handler = server_.handler();
  const ServerOptions& options = server_.options();
  beast::flat_buffer buffer;
  ParsedRequest request;
  while (!server_.stopping()) {
    stream_.expires_after(options.idle_timeout);
    RequestHeadParser parser(request);
    bool head_method = false;
    const ParseOutcome outcome = co_await read_head(buffer, parser, head_method);
    Reply reply;
    switch (outcome) {
      case ParseOutcome::incomplete:
        co_return;  // closed, reset, idle too long or stopping
      case ParseOutcome::complete:
        reply = handler.respond(request);
        break;
      case ParseOutcome::malformed:
        reply = handler.bad_request(head_method);
        break;
      case ParseOutcome::headers_too_large:
        reply = handler.headers_too_large(head_method);
        break;
      case ParseOutcome::request_line_too_long:
        reply = handler.uri_too_long(head_method);
        break;
      case ParseOutcome::version_not_supported:
        reply = handler.version_not_supported(head_method);
        break;
    }
    if (outcome == ParseOutcome::complete && request.has_body() && !reply.close) {
      // A body of a Content-Length respond() accepted: read and thrown away, so
      // that the next request starts where it should.
      auto [body_error, body_bytes] = co_await http::async_read(stream_, buffer, parser, use_nothrow);
      if (body_error) co_return;  // closed, reset or idle too long
    }

    busy_ = true;
    const bool close = reply.close || !request.keep_alive || server_.stopping();
    server_.metrics().reply_counted(reply.status);
    date_.assign(current_date_line());
    // A body sent from disk goes out a piece at a time, the first with the head.
    std::vector<char> piece;
    std::string_view body = reply.body;
    if (reply.body_file) {
      piece.resize(static_cast<std::size_t>(std::min<std::uint64_t>(reply.body_file_length, kFilePiece)));
      body = {piece.data(), reply.body_file->read_at(reply.body_file_offset, piece)};
    }
    const std::array<asio::const_buffer, 5> out{asio::buffer(reply.head), asio::buffer(reply.fields()),
                                                asio::buffer(date_), asio::buffer(close ? kClose : kKeepAlive),
                                                asio::buffer(body)};
    auto write_error = co_await write_while_progressing(stream_, out, options.idle_timeout);
    if (!write_error && reply.body_file)
      write_error = co_await send_file_range(*reply.body_file, reply.body_file_offset + body.size(),
                                             reply.body_file_offset + reply.body_file_length, piece,
                                             options.idle_timeout);
    busy_ = false;
    if (AccessLog* log = server_.access_log()) log->record(remote_, request, reply.status, reply.body_size());
    if (write_error) co_return;
    server_.metrics().bytes_sent(reply.head.size() + reply.fields().size() + date_.size() +
                                 (close ? kClose : kKeepAlive).size() + reply.body_size());
    if (close) {
      co_await lingering_close(stream_);  // the client may still be sending
      co_return;
    }
  }
}

}  // namespace

void serve(const RequestHandler& handler, const ServerOptions& options, ServerMetrics& metrics) {
  asio::io_context io(static_cast<int>(options.threads));
  std::optional<AccessLog> access_log;
  // Its lines go out with write(2) on fd 1, after stdio's only line there,
  // "listening on", which is flushed before any request is read.
  if (options.access_log) access_log.emplace(STDOUT_FILENO);
  Server server(io, handler, options, metrics, access_log ? &*access_log : nullptr);
  server.listen();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < options.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
}

}  // namespace platespin
