#pragma once
// Where a request head ends, and whether it keeps nginx's limits: 8 KiB for
// the request line and for each field line, 32 KiB for the whole head. The
// limits are checked on byte positions alone, so a head gets the same answer
// however the client split its writes (Beast's header limit counts what
// happens to be buffered, which depends on that). Socket-free, no Beast.
#include <cstddef>
#include <string_view>

namespace platespin {

class RequestHeadScanner {
 public:
  static constexpr std::size_t kLineLimit = 8 * 1024;   // a line's bytes, its CRLF not counted
  static constexpr std::size_t kHeadLimit = 32 * 1024;  // from the first byte to the empty line's LF

  enum class Status { incomplete, complete, request_line_too_long, field_line_too_long, head_too_large };

  // Scans `buffered`, the bytes received so far from where this request
  // starts; each call passes the same bytes and maybe more, and looks only at
  // the new ones.
  Status scan(std::string_view buffered);

  // Once complete: the empty lines before the request line, which RFC 9112
  // §2.2 says to ignore, and the head's own size after them, its empty line
  // included.
  std::size_t skipped() const { return skipped_; }
  std::size_t head_size() const { return head_end_ - skipped_; }
  // The request line's bytes (CRLF excluded), once the scanner has passed it.
  std::size_t request_line_size() const { return request_line_size_; }

 private:
  std::size_t scanned_ = 0;     // bytes already searched for the current line's LF
  std::size_t line_start_ = 0;  // where the current line starts
  std::size_t skipped_ = 0;
  std::size_t head_end_ = 0;
  std::size_t request_line_size_ = 0;
  bool seen_request_line_ = false;
};

}  // namespace platespin
