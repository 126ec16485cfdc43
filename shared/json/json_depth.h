// Nesting depth of JSON text, measured before parsing: nlohmann parses
// iteratively but copies and compares recursively, so a 3 MiB body of
// "[[[[..." would overflow a thread's stack (measured: a crash at depth
// 100000 on an 8 MiB stack). Callers reject text deeper than a limit first.
#ifndef KARGO_TOKEN_SHARED_JSON_JSON_DEPTH_H_
#define KARGO_TOKEN_SHARED_JSON_JSON_DEPTH_H_

#include <cstddef>
#include <string_view>

namespace kargo_token::json {

// The deepest nesting AdmissionReview bodies may have. Kubernetes objects are
// a few levels deep; the API server's own decoder stops at 10000.
inline constexpr size_t kMaxJsonDepth = 1000;

// JsonDepthExceeds reports whether `text` opens more than `limit` nested
// arrays/objects at some point (brackets inside strings do not count). It
// does not validate the JSON. Linear time, no allocation.
bool JsonDepthExceeds(std::string_view text, size_t limit = kMaxJsonDepth);

}  // namespace kargo_token::json

#endif  // KARGO_TOKEN_SHARED_JSON_JSON_DEPTH_H_
