#pragma once
// A hostile HTTP peer for the downloaders' tests: a thread accepting on
// 127.0.0.1:0 that answers each request with whatever bytes a script gives
// for its target (interim responses, HTML where a GIF belongs, odd metadata).
// A real network peer on real sockets; no Beast, so it compiles fast.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace platespin::test {

class ScriptedServer {
 public:
  // The bytes to send for a GET of `target`; the connection is kept open for
  // the next request (the client's keep-alive) until the client closes it.
  using Script = std::function<std::string(const std::string& target)>;

  explicit ScriptedServer(Script script);
  ~ScriptedServer();  // stops accepting, ends every connection, joins the threads
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const { return port_; }
  // http://127.0.0.1:PORT + path
  std::string url(const std::string& path) const;

 private:
  void accept_connections();
  void serve(int fd);

  Script script_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;                // guards the two lists below
  std::vector<int> connections_;    // closed by the destructor, after the threads are joined
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// "HTTP/1.1 200 OK" with `body` and its Content-Length (and `type`).
std::string ok_response(const std::string& body, const std::string& type = "image/gif");

}  // namespace platespin::test
