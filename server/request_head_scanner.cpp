#include "request_head_scanner.hpp"

#include <algorithm>

namespace platespin {

RequestHeadScanner::Status RequestHeadScanner::scan(std::string_view buffered) {
  for (;;) {
    // The LF of the current line may come no later than this: the line's own
    // limit (8 KiB and a CR) or the head's, whichever is nearer. Both are byte
    // positions, so where the client's writes ended does not matter.
    const std::size_t line_lf_limit = line_start_ + kLineLimit + 1, head_lf_limit = kHeadLimit - 1;
    const std::size_t search_end = std::min(line_lf_limit, head_lf_limit) + 1;
    const std::size_t end = std::min(buffered.size(), search_end);
    const std::size_t lf = buffered.substr(0, end).find('\n', scanned_);
    if (lf == std::string_view::npos) {
      scanned_ = end;
      if (end < search_end) return Status::incomplete;
      if (line_lf_limit <= head_lf_limit)
        return seen_request_line_ ? Status::field_line_too_long : Status::request_line_too_long;
      return Status::head_too_large;
    }
    std::size_t line_size = lf - line_start_;
    if (line_size > 0 && buffered[lf - 1] == '\r') --line_size;
    if (line_size > kLineLimit) return seen_request_line_ ? Status::field_line_too_long : Status::request_line_too_long;
    const std::size_t next = lf + 1;
    scanned_ = line_start_ = next;
    if (!seen_request_line_) {
      if (line_size == 0) {  // an empty line before the request line: ignored
        skipped_ = next;
        continue;
      }
      seen_request_line_ = true;
      request_line_size_ = line_size;
    } else if (line_size == 0) {
      head_end_ = next;
      return Status::complete;
    }
  }
}

}  // namespace platespin
