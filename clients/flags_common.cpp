#include "flags_common.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <set>
#include <stdexcept>

#include "cli.hpp"
#include "country_codes.hpp"
#include "cpu_time.hpp"
#include "flag_files.hpp"
#include "process_setup.hpp"

namespace platespin {

namespace {

struct Arguments {
  std::vector<std::string> codes;
  bool all = false, every = false, verbose = false, no_save = false, no_keep_alive = false, metadata = false,
       allow_more = false, tasks_per_code = false, save_in_pool = false;
  int limit = 0;  // 0: no limit
  int max_req = 1;
  std::string server = "LOCAL";
  std::vector<std::string> sites;  // LABEL=URL
  std::string json, dest = "downloads";
  double timeout_s = 10;
  int retries = 0, repeat = 1;
};

// The one printer of usage errors, as the book's flags2_common.py and argparse
// print them: the usage block goes with the message, a check of ours (a value
// out of range, a bad code or server) says "*** Usage error: ..." on stdout and
// exits 1; a command line that does not parse (argparse's own errors) goes to
// stderr and exits 2.
enum class UsageError { check, parse };

int book_usage_error(const CLI::App& app, UsageError kind, const std::string& what) {
  const std::string usage = fmt::format(
      "usage: {} [-h] [-a] [-e] [-l N] [-m CONCURRENT] [-s LABEL] [-v] [OPTIONS] [CC ...]\n", app.get_name());
  if (kind == UsageError::check) {
    std::cout << "*** Usage error: " << what << "\n" << usage << std::flush;
    return 1;
  }
  std::cerr << usage << app.get_name() << ": error: " << what << "\n";
  return 2;
}

// argparse takes "-m=2" for "-m 2"; CLI11 reads the value as "=2". Split it.
std::vector<std::string> book_arguments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() > 2 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1])) && arg[2] == '=') {
      args.push_back(arg.substr(0, 2));
      args.push_back(arg.substr(3));
    } else {
      args.push_back(arg);
    }
  }
  return args;
}

void add_options(CLI::App& app, Arguments& a, const ClientKind& kind) {
  app.add_option("CC", a.codes, "country code or 1st letter (eg. B for BA...BZ)");
  app.add_flag("-a,--all", a.all, "get all available flags (AD to ZW)");
  app.add_flag("-e,--every", a.every, "get flags for every possible code (AA...ZZ)");
  app.add_option("-l,--limit", a.limit, "limit to N first codes (not the default 20, as in the book)")->type_name("N");
  app.add_option("-m,--max-req,--max_req", a.max_req,
                 fmt::format("maximum concurrent requests (default={}, at most {}; {} with --allow-more)",
                             kind.default_concurrency, kind.max_concurrency, kind.max_allowed_more))
      ->type_name("CONCURRENT");
  app.add_flag("--allow-more", a.allow_more, "allow --max-req above the cap");
  app.add_option("-s,--server", a.server,
                 "server to hit: DELAY, ERROR, LOCAL, REMOTE, a --site label or http://HOST:PORT/PATH (default=LOCAL)")
      ->type_name("LABEL|URL");
  app.add_option("--site", a.sites,
                 "point LABEL at URL (also PLATESPIN_<LABEL>_URL), e.g. DELAY=http://127.0.0.1:9002/flags")
      ->type_name("LABEL=URL");
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
  app.add_flag("--metadata", a.metadata,
               "flags3: fetch the GIF, then metadata.json, and save as <country>-<CC>.gif");
  if (kind.coroutines) {
    app.add_flag("--tasks-per-code", a.tasks_per_code,
                 "one coroutine per code, each GET under a semaphore of --max-req permits (the book's shape), not workers");
    app.add_flag("--save-in-pool", a.save_in_pool,
                 "write files on a small thread pool, as the book's run_in_executor (not on the network thread)");
  }
}

// Where the labels point: PLATESPIN_<LABEL>_URL for the book's four and the
// label asked for, then --site LABEL=URL (which wins). Throws std::invalid_argument.
SiteTable site_table(const std::vector<std::string>& sites, const std::string& server) {
  SiteTable table;
  std::vector<std::string> labels{"LOCAL", "DELAY", "ERROR", "REMOTE"};
  if (server.find("://") == std::string::npos) labels.push_back(site_label(server));
  for (const auto& label : labels)
    if (const char* url = std::getenv(("PLATESPIN_" + label + "_URL").c_str()); url && *url) table[label] = url;
  for (const auto& site : sites) {
    const auto eq = site.find('=');
    if (eq == 0 || eq == std::string::npos || site.find("://") < eq)
      throw std::invalid_argument("--site must be LABEL=URL, not '" + site + "'");
    table[site_label(site.substr(0, eq))] = site.substr(eq + 1);
  }
  return table;
}

// The book's expand_cc_args: sorted, without duplicates, cut to --limit; the
// default 20 when no code was asked for, and those are not cut.
std::vector<std::string> expand_codes(const Arguments& a) {
  std::vector<std::string> codes;
  if (a.every)
    codes = every_two_letter_code();
  else if (a.all)
    codes = book_country_codes();
  else if (a.codes.empty())
    return top20_country_codes();
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
  r.cpu_s = cpu_seconds(usage);
  r.peak_rss_kb = usage.ru_maxrss;
}

}  // namespace

std::string book_error_text(const ItemResult& item) {
  // What requests says: an HTTP error with the server's reason phrase, a
  // ConnectionError for a refused or reset connection.
  if (item.error_kind.rfind("http_", 0) == 0) return fmt::format("HTTP error {} - {}", item.status, item.detail);
  if (item.error_kind == "refused" || item.error_kind == "reset") return "Connection error";
  return fmt::format("{} ({})", item.error_kind, item.detail);  // no such error in the book
}

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
      case Outcome::error: fmt::print(out_, "*** Error for {}: {}\n", item.cc, book_error_text(item)); break;
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
  const auto parse_error = [&app](const std::string& what) { return book_usage_error(app, UsageError::parse, what); };
  if (const auto code = parse_command_line(app, book_arguments(argc, argv), parse_error)) return *code;

  const auto check = [&app](const std::string& what) { return book_usage_error(app, UsageError::check, what); };
  if (a.max_req < 1) return check("--max_req CONCURRENT must be >= 1");
  if (app.count("--limit") && a.limit < 1) return check("--limit N must be >= 1");
  if (!(a.timeout_s > 0)) return check("--timeout S must be > 0");
  if (a.retries < 0) return check("--retries N must be >= 0");
  if (a.repeat < 1) return check("--repeat K must be >= 1");
  DownloadJob job;
  std::vector<std::string> codes;
  try {
    job.request.server = parse_server(a.server, site_table(a.sites, a.server));
    codes = expand_codes(a);
  } catch (const std::invalid_argument& e) {
    return check(e.what());
  }
  for (int k = 0; k < a.repeat; ++k) job.codes.insert(job.codes.end(), codes.begin(), codes.end());
  const int cap = a.allow_more ? kind.max_allowed_more : kind.max_concurrency;
  job.concurrency = static_cast<int>(std::min<std::size_t>({static_cast<std::size_t>(a.max_req),
                                                             static_cast<std::size_t>(cap), job.codes.size()}));
  job.request.http.timeout = std::chrono::milliseconds(static_cast<long>(a.timeout_s * 1000));
  job.request.http.keep_alive = !a.no_keep_alive;
  job.request.retries = a.retries;
  job.request.metadata = a.metadata;
  job.tasks_per_code = a.tasks_per_code;
  job.save_in_pool = a.save_in_pool;
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
