#pragma once
// download_one: fetch one flag (and with --metadata its metadata.json after it),
// retry errors with backoff, save a 200 whole. Written once as a coroutine:
// flags_async awaits it; the blocking clients run it to completion on their
// own thread, which then blocks for the whole download as a thread doing
// blocking I/O does. No Beast here.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <string>

#include "flags_common.hpp"
#include "http_client.hpp"
#include "result.hpp"

namespace platespin {

// Errors of an item, besides the connection's (http_client.hpp): http_<status>,
// `protocol` for a metadata.json without a country, `content` for a 200 whose
// body is not a GIF, `save` for a flag that could not be written. The result
// goes into `item` (reset first), which the caller keeps until the awaitable
// is done: a result returned by value would be one more ItemResult in the
// caller's frame and in this coroutine's, per request in flight.
boost::asio::awaitable<void> download_one(HttpConnection& connection, std::string cc, const FlagRequest& request,
                                          ItemResult& item);

// Where download_one sends each GET: above, one connection for the whole item
// (the workers, the blocking clients); with --tasks-per-code, a connection
// leased under the semaphore for that one GET, as the book's flags3 takes the
// semaphore for each of its two requests on its own. Taken by value, so that
// the HttpConnection& overload above is a plain call and not one more
// coroutine frame per request in flight.
using HttpGet = std::function<boost::asio::awaitable<void>(std::string target, Exchange& out)>;
boost::asio::awaitable<void> download_one(HttpGet get, std::string cc, const FlagRequest& request, ItemResult& item);

// One connection, one thread: download() returns when the flag is in.
class BlockingDownloader {
 public:
  explicit BlockingDownloader(const FlagRequest& request);
  ItemResult download(const std::string& cc);  // rethrows an unexpected exception

 private:
  const FlagRequest& request_;
  boost::asio::io_context io_;
  HttpConnection connection_;
};

}  // namespace platespin
