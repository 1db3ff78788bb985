// flags_sequential: one request at a time on one connection (the book's flags2_sequential.py).
#include "download_one.hpp"
#include "flags_common.hpp"

namespace {

using namespace platespin;

std::vector<ItemResult> download_many(const DownloadJob& job, ItemReporter& reporter) {
  ProgressThread progress(reporter.display(), reporter.done());
  BlockingDownloader downloader(job.request);
  std::vector<ItemResult> items;
  for (const auto& cc : job.codes) {
    items.push_back(downloader.download(cc));
    reporter.finished(items.back());
  }
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  return flags_main(argc, argv, {"flags_sequential", 1, 1, 1, "sequential: one request at a time"}, download_many);
}
