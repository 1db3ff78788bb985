#include "flags_common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <iostream>
#include <set>
#include <stdexcept>

#include "cli.hpp"
#include "country_codes.hpp"
#include "flag_files.hpp"
#include "process_setup.hpp"

namespace platespin {

namespace {

struct Arguments {
  std::vector<std::string> codes;
  bool all = false, every = false, verbose = false, no_save = false, no_keep_alive = false, metadata = false,
       allow_more = false;
  int limit = 0;  // 0: no limit
  int max_req = 1;
  std::string server = "LOCAL";
  std::string json, dest = "downloads";
  double timeout_s = 10;
  int retries = 0, repeat = 1;
};

// The book's usage error: "*** Usage error: ..." and the usage, here on one stderr line.
int book_usage_error(const CLI::App& app, const std::string& what) {
  std::cerr << "*** Usage error: " << what << " (usage: " << app.get_name()
            << " [OPTIONS] [CC...]; try --help)\n";
  return 2;
}

void add_options(CLI::App& app, Arguments& a, const ClientKind& kind) {
  app.add_option("CC", a.codes, "country code or 1st letter (eg. B for BA...BZ)");
  app.add_flag("-a,--all", a.all, "get all available flags (AD to ZW)");
  app.add_flag("-e,--every", a.every, "get flags for every possible code (AA...ZZ)");
  app.add_option("-l,--limit", a.limit, "limit to N first codes")->type_name("N");
  app.add_option("-m,--max-req,--max_req", a.max_req,
                 fmt::format("maximum concurrent requests (default={}, at most {}; {} with --allow-more)",
                             kind.default_concurrency, kind.max_concurrency, kind.max_allowed_more))
      ->type_name("CONCURRENT");
  app.add_flag("--allow-more", a.allow_more, "allow --max-req above the cap");
  app.add_option("-s,--server", a.server, "server to hit: DELAY, ERROR, LOCAL or http://HOST:PORT/PATH (default=LOCAL)")
      ->type_name("LABEL|URL");
  app.add_flag("-v,--verbose", a.verbose, "output detailed progress info");
  app.add_option("--json", a.json, "write the result as JSON (platespin.result/1) to FILE, '-' for stdout")
      ->type_name("FILE|-");
  app.add_option("--dest", a.dest, "directory for the flags (default=downloads)")->type_name("DIR");
  app.add_flag("--no-save", a.no_save, "download but do not write files");
  app.add_option("--timeout", a.timeout_s, "seconds per request, connect to last byte (default=10)")->type_name("S");
  app.add_option("--retries", a.retries, "retry an error N times with backoff (default=0)")->type_name("N");
  app.add_option("--repeat", a.repeat, "request the list K times (default=1)")->type_name("K");
  auto* keep = app.add_flag("--keep-alive")->description("reuse connections (the default)");
  app.add_flag("--no-keep-alive", a.no_keep_alive, "a new connection per request")->excludes(keep);
  app.add_flag("--metadata", a.metadata, "fetch metadata.json first and save as <CC>-<country>.gif");
}

// The book's expand_cc_args: sorted, without duplicates, cut to --limit.
std::vector<std::string> expand_codes(const Arguments& a) {
  std::vector<std::string> codes;
  if (a.every)
    codes = every_two_letter_code();
  else if (a.all)
    codes = book_country_codes();
  else if (a.codes.empty())
    codes = top20_country_codes();
  else
    codes = expand_code_arguments(a.codes);  // throws std::invalid_argument
  std::set<std::string> unique(codes.begin(), codes.end());
  codes.assign(unique.begin(), unique.end());
  if (a.limit > 0 && codes.size() > static_cast<std::size_t>(a.limit)) codes.resize(static_cast<std::size_t>(a.limit));
  return codes;
}

void initial_report(std::FILE* out, const ServerUrl& server, const std::vector<std::string>& codes, int repeat,
                    int concurrency) {
  const std::string list = codes.size() <= 10 ? fmt::format("{}", fmt::join(codes, ", "))
                                              : fmt::format("from {} to {}", codes.front(), codes.back());
  const std::size_t total = codes.size() * static_cast<std::size_t>(repeat);
  fmt::print(out, "{} site: {}\n", server.label, server.url);
  fmt::print(out, "Searching for {} flag{}: {}{}\n", total, total == 1 ? "" : "s", list,
             repeat > 1 ? fmt::format(" ({} times)", repeat) : "");
  fmt::print(out, "{} concurrent connection{} will be used.\n", concurrency, concurrency == 1 ? "" : "s");
  std::fflush(out);
}

void final_report(std::FILE* out, const ClientResult& r) {
  fmt::print(out, "--------------------\n");
  fmt::print(out, "{} flag{} downloaded.\n", r.ok, r.ok == 1 ? "" : "s");
  if (r.not_found) fmt::print(out, "{} not found.\n", r.not_found);
  if (r.error) fmt::print(out, "{} error{}.\n", r.error, r.error == 1 ? "" : "s");
  fmt::print(out, "Elapsed time: {:.2f}s\n", r.elapsed_s);
  std::fflush(out);
}

void add_process_usage(ClientResult& r) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  r.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
            static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  r.peak_rss_kb = usage.ru_maxrss;
}

}  // namespace

std::vector<std::string> top20_country_codes() {
  std::vector<std::string> codes{"CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP",
                                 "MX", "PH", "VN", "ET", "EG", "DE", "IR", "TR", "CD", "FR"};
  std::sort(codes.begin(), codes.end());
  return codes;
}

ItemReporter::ItemReporter(std::size_t total, bool verbose, std::FILE* out)
    : verbose_(verbose), out_(out), display_(total, !verbose && ::isatty(STDERR_FILENO)) {}

void ItemReporter::finished(const ItemResult& item) {
  if (verbose_) {
    std::lock_guard lock(print_mutex_);
    switch (item.outcome) {
      case Outcome::ok: fmt::print(out_, "{} OK\n", item.cc); break;
      case Outcome::not_found: fmt::print(out_, "{} not found\n", item.cc); break;
      case Outcome::error: fmt::print(out_, "*** Error for {}: {} ({})\n", item.cc, item.error_kind, item.detail); break;
    }
    std::fflush(out_);
  }
  done_.fetch_add(1, std::memory_order_relaxed);
}

int flags_main(int argc, char** argv, const ClientKind& kind, const DownloadMany& download_many) {
  CLI::App app{fmt::format("Download flags for country codes ({}). Default: top 20 countries by population.",
                           kind.engine),
               kind.name};
  add_version_flag(app);
  Arguments a;
  a.max_req = kind.default_concurrency;
  add_options(app, a, kind);
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  if (a.max_req < 1) return book_usage_error(app, "--max-req CONCURRENT must be >= 1");
  if (app.count("--limit") && a.limit < 1) return book_usage_error(app, "--limit N must be >= 1");
  if (!(a.timeout_s > 0)) return book_usage_error(app, "--timeout S must be > 0");
  if (a.retries < 0) return book_usage_error(app, "--retries N must be >= 0");
  if (a.repeat < 1) return book_usage_error(app, "--repeat K must be >= 1");
  DownloadJob job;
  std::vector<std::string> codes;
  try {
    job.request.server = parse_server(a.server);
    codes = expand_codes(a);
  } catch (const std::invalid_argument& e) {
    return book_usage_error(app, e.what());
  }
  for (int k = 0; k < a.repeat; ++k) job.codes.insert(job.codes.end(), codes.begin(), codes.end());
  const int cap = a.allow_more ? kind.max_allowed_more : kind.max_concurrency;
  job.concurrency = static_cast<int>(std::min<std::size_t>({static_cast<std::size_t>(a.max_req),
                                                             static_cast<std::size_t>(cap), job.codes.size()}));
  job.request.http.timeout = std::chrono::milliseconds(static_cast<long>(a.timeout_s * 1000));
  job.request.http.keep_alive = !a.no_keep_alive;
  job.request.retries = a.retries;
  job.request.metadata = a.metadata;
  job.request.save = !a.no_save;
  job.request.dest = a.dest;

  // The JSON on stdout must stay parseable: the reports go to stderr then.
  std::FILE* out = a.json == "-" ? stderr : stdout;
  try {
    raise_open_file_limit(static_cast<std::uint64_t>(job.concurrency) + 64);
    job.request.addresses = resolve(job.request.server);
    if (!a.no_save) std::filesystem::create_directories(job.request.dest);
    initial_report(out, job.request.server, codes, a.repeat, job.concurrency);

    ClientResult result;
    result.client = kind.name;
    result.server = job.request.server.url;
    result.server_label = job.request.server.label;
    result.concurrency = job.concurrency;
    result.started_at = utc_timestamp();
    ItemReporter reporter(job.codes.size(), a.verbose, out);
    job.request.run_start = std::chrono::steady_clock::now();
    const auto start = job.request.run_start;
    result.items = download_many(job, reporter);
    result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.tally();
    add_process_usage(result);
    if (result.requested != job.codes.size()) throw std::logic_error("some downloads are unaccounted for");
    final_report(out, result);
    // `replace`: a byte that is not UTF-8 (in a server's error text) becomes
    // U+FFFD instead of making dump() throw away the whole result.
    constexpr auto replace = nlohmann::json::error_handler_t::replace;
    if (a.json == "-")
      std::cout << nlohmann::json(result).dump(-1, ' ', false, replace) << std::endl;
    else if (!a.json.empty())
      write_file_whole(a.json, nlohmann::json(result).dump(1, ' ', false, replace) + "\n");
  } catch (const std::exception& e) {
    std::cerr << kind.name << ": error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace platespin
