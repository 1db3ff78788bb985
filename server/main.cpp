// flag_server: the static file server of the flag demo (the book's nginx).
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "file_store.hpp"
#include "process_setup.hpp"
#include "request_handler.hpp"
#include "server.hpp"

using namespace platespin;

int main(int argc, char** argv) {
  CLI::App app{"Serves a flag tree (ROOT/flags/<cc>/<cc>.gif) over HTTP/1.1, like the nginx of the flag demo",
               "flag_server"};
  add_version_flag(app);
  std::filesystem::path root = executable_dir() / ".." / "data";
  std::string prefix = "/flags";
  ServerOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  long idle_timeout_s = options.idle_timeout.count();
  bool no_cache = false;
  app.add_option("--root", root, "the folder URL paths map to, like nginx's root (default: the build's data set)");
  app.add_option("--bind", options.bind, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port to listen on; 0 picks a free one")->capture_default_str();
  app.add_option("--prefix", prefix, "the only URL subtree served (besides GET /healthz)")->capture_default_str();
  app.add_option("--threads", options.threads, "threads running the event loop (default: the machine's cores)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--access-log", options.access_log, "print a line per request on stdout (nginx's common format)");
  app.add_option("--max-connections", options.max_connections, "connections over this are closed at once")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout_s,
                 "seconds a connection may take to send a request head, or go without taking any of a reply")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_flag("--no-cache", no_cache, "read files from disk per request instead of loading them at start");
  if (const auto code = parse_command_line(app, argc, argv)) return *code;
  options.idle_timeout = std::chrono::seconds(idle_timeout_s);

  std::signal(SIGPIPE, SIG_IGN);
  // (With --no-cache a reply in flight also holds its file open; asking for
  // twice the connections would exceed the 20,000 hard limit of common setups
  // and warn at every start, so the ask stays one per connection.)
  raise_open_file_limit(options.max_connections + 100);
  try {
    const FileStore files(root, prefix, !no_cache);
    ServerMetrics metrics;
    const RequestHandler handler(files, prefix, &metrics);
    if (!no_cache && files.cached_files() == 0)
      std::cerr << "flag_server: warning: no files under " << (root / std::filesystem::path(prefix).relative_path()).string()
                << "\n";
    serve(handler, options, metrics);
  } catch (const std::exception& e) {
    std::cerr << "flag_server: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
