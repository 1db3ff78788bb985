#include "client_run.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <fmt/format.h>

#include "child_process.hpp"
#include "command_template.hpp"
#include "country_codes.hpp"
#include "flags2_report.hpp"
#include "interrupt.hpp"
#include "services.hpp"

namespace platespin::bench {

using namespace std::chrono_literals;

namespace {

// A process to start: what, with which words, where, with what added to its environment.
struct Launch {
  std::filesystem::path exe;
  std::vector<std::string> args;
  std::filesystem::path cwd;  // empty: ours
  std::map<std::string, std::string> env;
  std::string name;  // for messages
};

// The files of one cell's client run in the work folder.
struct RunFiles {
  std::string json, out, err;
  std::filesystem::path scratch;  // {out}
};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A program name without a '/' is looked up on PATH, as a shell would; with
// one it is a path, relative to the working folder.
std::filesystem::path find_program(const std::string& word, const std::filesystem::path& cwd) {
  if (word.find('/') != std::string::npos) return cwd / word;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= dirs.size();) {
    const auto end = std::min(dirs.find(':', at), dirs.size());
    const std::filesystem::path candidate = std::filesystem::path(dirs.substr(at, end - at)) / word;
    if (std::filesystem::is_regular_file(candidate) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    at = end + 1;
  }
  throw std::runtime_error("'" + word + "' is not on PATH");
}

CellValues cell_values(const RunSpec& run, int concurrency, const std::string& url, const RunFiles& files) {
  CellValues v;
  v.url = url;
  if (const auto parsed = boost::urls::parse_uri(url)) {
    v.host = parsed->host();
    v.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  }
  v.label = run.server;
  v.concurrency = std::to_string(concurrency);
  v.codes = requested_codes(run);
  v.limit = std::to_string(run.limit.value_or(static_cast<int>(v.codes.size())));
  v.json = files.json;
  v.out = files.scratch.string();
  return v;
}

Launch command_launch(const RunSpec& run, const CellValues& values) {
  Launch l;
  std::filesystem::path cwd = run.cwd.empty() ? std::filesystem::path() : std::filesystem::path(expand_text(run.cwd, values));
  l.cwd = cwd.is_absolute() ? cwd : run.scenario_dir / cwd;
  for (const auto& word : run.command)
    for (auto& expanded : expand_words(word, values)) l.args.push_back(std::move(expanded));
  l.name = l.args.front();
  l.exe = find_program(l.args.front(), l.cwd);
  l.args.erase(l.args.begin());
  for (const auto& [name, value] : run.env) l.env[name] = expand_text(value, values);
  return l;
}

// Starts the process and waits for it, applying the schedule's steps (if any)
// on time meanwhile; fills what the OS says, and `failure` when it could not
// start, outran the time limit or exited non-zero.
Repetition run_process(const Launch& launch, double time_limit_s, const RunFiles& files, ScheduledChanges* changes) {
  Repetition rep;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::duration<double>(time_limit_s);
  std::optional<ChildProcess> child;
  try {
    child.emplace(launch.exe, launch.args, ChildOptions{.out = ChildOutput::into(files.out), .err = ChildOutput::into(files.err), .working_dir = launch.cwd, .environment = launch.env});
  } catch (const std::runtime_error& e) {
    rep.failure = e.what();
    rep.exit_code = 127;
    return rep;
  }
  if (changes) changes->start(std::chrono::steady_clock::now());
  // Wakes at the deadline or the next step, whichever comes first (rounded
  // up, so that it never wakes just before a step and spins).
  const auto wait_for = [&] {
    auto until = std::chrono::time_point_cast<std::chrono::steady_clock::duration>(deadline);
    if (const auto due = changes ? changes->next_due() : std::nullopt) until = std::min(until, *due);
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()),
                    std::chrono::milliseconds(0));
  };
  if (changes) changes->apply_due(std::chrono::steady_clock::now());  // steps at 0
  bool timed_out = false;
  while (!child->await_exit(wait_for(), interrupt_fd())) {
    if (interrupted()) {
      child->signal(SIGTERM);
      child->wait(5s);
      throw Interrupted();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      child->signal(SIGTERM);
      break;
    }
    if (changes) changes->apply_due(std::chrono::steady_clock::now());
  }
  if (changes) rep.schedule = changes->effects();
  const ChildExit exit = child->wait(5s);
  rep.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rep.exit_code = exit.signal ? 128 + exit.signal : exit.exit_code;
  rep.cpu_s = exit.cpu_s;
  rep.peak_rss_kb = exit.peak_rss_kb;
  if (timed_out)
    rep.failure = launch.name + fmt::format(" ran longer than the run's time_limit of {} s", time_limit_s);
  else if (rep.exit_code != 0)
    rep.failure = launch.name + " exited with " + std::to_string(rep.exit_code) + "\n" + tail_of(files.err);
  return rep;
}

// What the client did, read as `result:` says; `failure` when it cannot be read.
void read_result(const RunSpec& run, const std::string& url, int concurrency, const std::string& name,
                 const RunFiles& files, Repetition& rep) {
  try {
    if (run.result == "platespin") {
      std::ifstream in(files.json);
      if (!in) throw std::runtime_error("it wrote no " + files.json);
      rep.client = nlohmann::json::parse(in).get<ClientResult>();
    } else if (run.result == "flags2") {
      ClientResult r = parse_flags2_report(slurp(files.out), name);
      r.server = url;
      r.server_label = run.server;
      r.concurrency = concurrency;
      r.cpu_s = rep.cpu_s;
      r.peak_rss_kb = rep.peak_rss_kb;
      rep.client = std::move(r);
    }
  } catch (const std::exception& e) {
    rep.failure = name + "'s result is unreadable: " + e.what();
  }
}

}  // namespace

std::vector<std::string> client_arguments(const RunSpec& run, int concurrency, const std::string& url,
                                          const std::filesystem::path& json_file) {
  // The run's label pointed at its URL: the client's report says "DELAY site:"
  // as the book's does, not "URL site:", and its JSON carries the label.
  const bool label = !run.server.empty() && run.server.find_first_of(":=/") == std::string::npos;
  std::vector<std::string> args = {"-m", std::to_string(concurrency), "--json", json_file.string(), "--no-save"};
  if (label)
    args.insert(args.begin(), {"--site", run.server + "=" + url, "-s", run.server});
  else
    args.insert(args.begin(), {"-s", url});
  const auto add = [&](const char* flag, const std::string& value) { args.insert(args.end(), {flag, value}); };
  if (run.limit) add("-l", std::to_string(*run.limit));
  if (run.passes) add("--repeat", std::to_string(*run.passes));
  if (run.timeout) add("--timeout", fmt::format("{}", *run.timeout));
  if (run.retries) add("--retries", std::to_string(*run.retries));
  args.insert(args.end(), run.args.begin(), run.args.end());
  args.insert(args.end(), run.code_args.begin(), run.code_args.end());
  return args;
}

std::vector<std::string> requested_codes(const RunSpec& run) {
  std::vector<std::string> codes;
  if (run.code_args == std::vector<std::string>{"-e"})
    codes = every_two_letter_code();
  else if (run.code_args == std::vector<std::string>{"-a"})
    codes = book_country_codes();
  else
    codes = expand_code_arguments(run.code_args);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  if (run.limit && codes.size() > static_cast<std::size_t>(*run.limit)) codes.resize(static_cast<std::size_t>(*run.limit));
  return codes;
}

Repetition run_client(const RunSpec& run, int concurrency, const std::string& url,
                      const std::filesystem::path& work_dir, ScheduledChanges* changes) {
  const auto stem = (work_dir / (run.name + "-c" + std::to_string(concurrency))).string();
  const RunFiles files{stem + ".json", stem + ".stdout", stem + ".stderr", stem + ".out"};
  // Left from the previous repetition.
  for (const auto& stale : {files.json, files.out, files.err}) std::filesystem::remove(stale);
  std::filesystem::remove_all(files.scratch);

  Launch launch;
  if (run.is_command()) {
    std::filesystem::create_directories(files.scratch);
    try {
      launch = command_launch(run, cell_values(run, concurrency, url, files));
    } catch (const std::runtime_error& e) {
      Repetition rep;
      rep.exit_code = 127;
      rep.failure = "cannot start the command: " + std::string(e.what());
      return rep;
    }
  } else {
    launch = Launch{sibling_binary("flags_" + run.client), client_arguments(run, concurrency, url, files.json), {}, {},
                    "flags_" + run.client};
  }
  Repetition rep = run_process(launch, run.time_limit_s, files, changes);
  if (rep.failure.empty()) read_result(run, url, concurrency, launch.name, files, rep);
  return rep;
}

}  // namespace platespin::bench
