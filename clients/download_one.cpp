#include "download_one.hpp"

#include "ascii_case.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <optional>

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

// One stage (metadata.json or the GIF), with its retries; counts attempts into
// `item`, and notes when it began (the item's start_ms is its first stage's)
// and, with --metadata, the stage's span.
asio::awaitable<Exchange> get_with_retries(const HttpGet& get, std::string target, const FlagRequest& request,
                                           ItemResult& item, const char* stage) {
  const double start_ms = ms_since(request.run_start);
  if (!item.start_ms) item.start_ms = start_ms;
  Exchange ex;
  for (int retry = 0;; ++retry) {
    ex = co_await get(target);
    ++item.attempts;
    if (!worth_retrying(ex) || retry == request.retries) break;
    asio::steady_timer pause(co_await asio::this_coro::executor, backoff(retry));
    co_await pause.async_wait(asio::use_awaitable);
  }
  item.bytes += ex.body.size();
  item.latency_ms += ex.latency_ms;
  if (request.metadata) item.stages.push_back({stage, start_ms, ms_since(request.run_start) - start_ms});
  co_return ex;
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


}  // namespace

// Not a coroutine: the awaitable it returns owns the HttpGet (a lambda holding
// one reference, inside std::function's own storage: no allocation).
asio::awaitable<ItemResult> download_one(HttpConnection& connection, std::string cc, const FlagRequest& request) {
  return download_one([&connection](std::string target) { return connection.get(std::move(target)); },
                      std::move(cc), request);
}

asio::awaitable<ItemResult> download_one(HttpGet get, std::string cc, const FlagRequest& request) {
  ItemResult item;
  item.cc = cc;
  const std::string dir = ascii_lower(cc) + "/";
  const Exchange flag =
      co_await get_with_retries(get, request.server.target(dir + ascii_lower(cc) + ".gif"), request, item, "flag");
  if (!settle(item, flag, true)) co_return item;
  std::string file_name = ascii_lower(cc) + ".gif";
  // --metadata, the book's flags3: the GIF, then metadata.json; two dependent
  // stages read top to bottom, no callbacks (the talk's "escape from callback
  // hell"). A 404 on either is "not found".
  if (request.metadata) {
    const Exchange meta =
        co_await get_with_retries(get, request.server.target(dir + "metadata.json"), request, item, "metadata");
    if (!settle(item, meta, false)) co_return item;
    const auto country = nlohmann::json::parse(meta.body, nullptr, false);
    if (!country.is_object() || !country.contains("country") || !country["country"].is_string()) {
      item.outcome = Outcome::error;
      item.error_kind = "protocol";
      item.detail = "metadata.json has no \"country\"";
      co_return item;
    }
    file_name = metadata_file_name(cc, country["country"].get<std::string>());
  }
  if (!request.save) co_return item;
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
  co_return item;
}

BlockingDownloader::BlockingDownloader(const FlagRequest& request)
    : request_(request), connection_(io_.get_executor(), request.server, request.addresses, request.http) {}

ItemResult BlockingDownloader::download(const std::string& cc) {
  std::optional<ItemResult> result;
  std::exception_ptr failure;
  asio::co_spawn(io_, download_one(connection_, cc, request_), [&](std::exception_ptr e, ItemResult item) {
    failure = e;
    result = std::move(item);
  });
  io_.restart();
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace platespin
