#pragma once
// What the three downloaders share, as the book's flags2_common.py: the
// command line, the reports, the JSON result. Each client passes only its own
// download_many. No Beast here.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "http_client.hpp"
#include "progress.hpp"
#include "result.hpp"
#include "server_url.hpp"

namespace platespin {

// How to fetch and keep one flag (download_one's side of the options).
struct FlagRequest {
  ServerUrl server;
  ServerAddresses addresses;
  HttpOptions http;
  int retries = 0;          // extra attempts after an error (not after a 404)
  bool metadata = false;    // flags3: the GIF, then metadata.json; saved as <country>-<CC>.gif
  bool save = true;
  std::filesystem::path dest;
  // Where files are written: empty, on the downloading thread; else on this
  // executor (flags_async --save-in-pool: a small thread pool).
  boost::asio::any_io_executor save_executor;
  // When download_many began: the items' start_ms count from here.
  std::chrono::steady_clock::time_point run_start = std::chrono::steady_clock::now();
};

// Everything download_many needs.
struct DownloadJob {
  std::vector<std::string> codes;  // in order, --repeat already applied
  FlagRequest request;
  int concurrency = 1;             // already capped
  bool tasks_per_code = false;     // flags_async: one coroutine per code under a semaphore
  bool save_in_pool = false;       // flags_async: files written on a small thread pool
};

// Receives each finished item, from any thread: advances the counter the
// progress display reads and, with -v, prints the item's outcome.
class ItemReporter {
 public:
  // -v lines go to `out` (stdout, or stderr when the JSON goes to stdout).
  ItemReporter(std::size_t total, bool verbose, std::FILE* out);
  void finished(const ItemResult& item);
  const std::atomic<std::size_t>& done() const { return done_; }
  ProgressDisplay& display() { return display_; }

 private:
  bool verbose_;
  std::FILE* out_;
  std::atomic<std::size_t> done_{0};
  std::mutex print_mutex_;  // one -v line at a time
  ProgressDisplay display_;
};

// Returns one ItemResult per code of job.codes, in the same order.
using DownloadMany = std::function<std::vector<ItemResult>(const DownloadJob&, ItemReporter&)>;

struct ClientKind {
  std::string name;             // flags_sequential, ...
  int default_concurrency = 1;  // -m's default
  int max_concurrency = 1;      // cap without --allow-more
  int max_allowed_more = 1;     // cap with --allow-more
  std::string engine;           // one line for --help
  bool coroutines = false;      // offers --tasks-per-code and --save-in-pool
};

// The book's words for an error item in the -v line: "HTTP error 503 - Service
// Unavailable", "Connection error"; our kind and detail for errors the book has not.
std::string book_error_text(const ItemResult& item);

// The whole program around download_many: parses the command line, prints the
// book's reports, writes --json. Returns the exit code (0 also when items errored).
int flags_main(int argc, char** argv, const ClientKind& kind, const DownloadMany& download_many);

// The book's default: the 20 most populous countries, sorted.
std::vector<std::string> top20_country_codes();

}  // namespace platespin
