#include "download_one.hpp"

#include "ascii_case.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>

#include "flag_files.hpp"

namespace platespin {

namespace asio = boost::asio;

namespace {

bool worth_retrying(const Exchange& ex) { return !ex.error_kind.empty() || (ex.status != 200 && ex.status != 404); }

// 0.1 s, 0.2 s, 0.4 s ... at most 2 s: enough for a flapping server to recover,
// short enough for a benchmark.
std::chrono::milliseconds backoff(int retry) {
  return std::min(std::chrono::milliseconds(100 << std::min(retry, 5)), std::chrono::milliseconds(2000));
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The backoff between two attempts: a coroutine of its own, so that the timer
// is in a frame only while an item waits to retry.
asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor, how_long);
  co_await timer.async_wait(asio::use_awaitable);
}

// What a stage fetches: the flag's GIF, or (flags3's --metadata) its metadata.json.
enum class Resource { flag, metadata };

// The stage's name in the item's record: "flag" or "metadata".
const char* name_of(Resource stage) { return stage == Resource::flag ? "flag" : "metadata"; }

// "/flags/ad/ad.gif" for the flag, "/flags/ad/metadata.json" for the metadata.
std::string stage_target(const FlagRequest& request, const std::string& cc, Resource stage) {
  const std::string dir = ascii_lower(cc) + "/";
  return request.server.target(stage == Resource::flag ? dir + ascii_lower(cc) + ".gif" : dir + "metadata.json");
}

// One stage (metadata.json or the GIF), with its retries, into `ex`; counts
// attempts into `item`, and notes when it began (the item's start_ms is its
// first stage's) and, with --metadata, the stage's span. Fills `ex` instead of
// returning it, and the target is built here: each request in flight holds one
// Exchange, not one per coroutine of the chain.
asio::awaitable<void> get_with_retries(const HttpGet& get, const FlagRequest& request, ItemResult& item,
                                       Resource stage, Exchange& ex) {
  const double start_ms = ms_since(request.run_start);
  if (!item.start_ms) item.start_ms = start_ms;
  const std::string target = stage_target(request, item.cc, stage);
  for (int retry = 0;; ++retry) {
    co_await get(target, ex);
    ++item.attempts;
    if (!worth_retrying(ex) || retry == request.retries) break;
    co_await pause(backoff(retry));
  }
  item.bytes += ex.body.size();
  item.latency_ms += ex.latency_ms;
  if (request.metadata) item.stages.push_back({name_of(stage), start_ms, ms_since(request.run_start) - start_ms});
}

// Fills the item's outcome from the last exchange; true when it was a 200.
// `picture`: the body must be a flag picture, so a 200 carrying an HTML error
// page (a captive portal, a misrouted proxy) is an error of kind `content`
// instead of a <cc>.gif that is not one.
bool settle(ItemResult& item, const Exchange& ex, bool picture) {
  item.status = ex.status;
  if (!ex.error_kind.empty()) {
    item.outcome = Outcome::error;
    item.error_kind = ex.error_kind;
    item.detail = ex.detail;
  } else if (ex.status == 200 && picture && !is_flag_picture(ex.body)) {
    item.outcome = Outcome::error;
    item.error_kind = "content";
    item.detail = "the 200's body is not a GIF";
  } else if (ex.status == 200) {
    item.outcome = Outcome::ok;
  } else if (ex.status == 404) {
    item.outcome = Outcome::not_found;
  } else {
    item.outcome = Outcome::error;
    item.error_kind = "http_" + std::to_string(ex.status);
    item.detail = ex.reason;  // the book's error line prints it
  }
  return item.outcome == Outcome::ok;
}

// What follows a flag's 200: with --metadata its metadata.json, then the
// save. A coroutine of its own, called once the flag is in, so that none of
// this is in the frame of a request still in flight.
asio::awaitable<void> metadata_and_save(const HttpGet& get, const FlagRequest& request, ItemResult& item,
                                        const Exchange& flag) {
  std::string file_name = ascii_lower(item.cc) + ".gif";
  // --metadata, the book's flags3: the GIF, then metadata.json; two dependent
  // stages read top to bottom, no callbacks (the talk's "escape from callback
  // hell"). A 404 on either is "not found".
  if (request.metadata) {
    Exchange meta;
    co_await get_with_retries(get, request, item, Resource::metadata, meta);
    if (!settle(item, meta, false)) co_return;
    const auto country = nlohmann::json::parse(meta.body, nullptr, false);
    if (!country.is_object() || !country.contains("country") || !country["country"].is_string()) {
      item.outcome = Outcome::error;
      item.error_kind = "protocol";
      item.detail = "metadata.json has no \"country\"";
      co_return;
    }
    file_name = metadata_file_name(item.cc, country["country"].get<std::string>());
  }
  if (!request.save) co_return;
  // A flag that cannot be written is that item's error, not the end of the
  // run: the others' results (and the JSON) still count.
  try {
    const auto path = request.dest / file_name;
    if (request.save_executor) {
      // The book's run_in_executor: the write blocks a pool thread, never the
      // network's; this coroutine resumes on its own executor when it is done.
      co_await asio::co_spawn(
          request.save_executor, [&]() -> asio::awaitable<void> { write_file_whole(path, flag.body); co_return; },
          asio::use_awaitable);
    } else {
      write_file_whole(path, flag.body);
    }
  } catch (const std::exception& e) {
    item.outcome = Outcome::error;
    item.error_kind = "save";
    item.detail = e.what();
  }
}

}  // namespace

// Not a coroutine: the awaitable it returns owns the HttpGet (a lambda holding
// one reference, inside std::function's own storage: no allocation).
asio::awaitable<void> download_one(HttpConnection& connection, std::string cc, const FlagRequest& request,
                                   ItemResult& item) {
  return download_one(
      [&connection](std::string target, Exchange& out) { return connection.get(std::move(target), out); },
      std::move(cc), request, item);
}

asio::awaitable<void> download_one(HttpGet get, std::string cc, const FlagRequest& request, ItemResult& item) {
  item = ItemResult{};
  item.cc = std::move(cc);
  Exchange flag;
  co_await get_with_retries(get, request, item, Resource::flag, flag);
  if (settle(item, flag, true) && (request.metadata || request.save))
    co_await metadata_and_save(get, request, item, flag);
}

BlockingDownloader::BlockingDownloader(const FlagRequest& request)
    : request_(request), connection_(io_.get_executor(), request.server, request.addresses, request.http) {}

ItemResult BlockingDownloader::download(const std::string& cc) {
  ItemResult item;
  std::exception_ptr failure;
  asio::co_spawn(io_, download_one(connection_, cc, request_, item), [&](std::exception_ptr e) { failure = e; });
  io_.restart();
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return item;
}

}  // namespace platespin
