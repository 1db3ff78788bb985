// flag_server's per-request work without sockets: parsing a request head and
// building the reply (path check, lookup in the in-memory store, validators).
#include <benchmark/benchmark.h>

#include "file_store.hpp"
#include "request_handler.hpp"

namespace {

using namespace platespin;

const std::string kRequest =
    "GET /flags/br/br.gif HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nUser-Agent: flags_async/0.1\r\n"
    "Accept: */*\r\nAccept-Encoding: identity\r\n\r\n";

void BM_ParseRequestHead(benchmark::State& state) {
  ParsedRequest request;
  for (auto _ : state) {
    std::size_t used = 0;
    benchmark::DoNotOptimize(parse_request_head(kRequest, request, used));
    benchmark::DoNotOptimize(used);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kRequest.size()));
}
BENCHMARK(BM_ParseRequestHead);

// state.range(0): 1 for a flag that exists, 0 for a 404 (most of the AA..ZZ sweep).
void BM_Respond(benchmark::State& state) {
  static const FileStore files(PLATESPIN_DATA_ROOT, "/flags", true);
  const RequestHandler handler(files, "/flags");
  ParsedRequest request;
  request.method = "GET";
  request.target = state.range(0) ? "/flags/br/br.gif" : "/flags/zz/zz.gif";
  const int expected = state.range(0) ? 200 : 404;
  for (auto _ : state) {
    const Reply reply = handler.respond(request);
    if (reply.status != expected) state.SkipWithError("unexpected status");
    benchmark::DoNotOptimize(reply.head.data());
  }
}
BENCHMARK(BM_Respond)->Arg(1)->Arg(0)->ArgName("found");

}  // namespace
