// Watch stream decoding: the API server sends one JSON object per line,
// {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}, in chunks
// that may split a line anywhere.
#ifndef KARGO_TOKEN_SHARED_KUBE_WATCH_EVENT_H_
#define KARGO_TOKEN_SHARED_KUBE_WATCH_EVENT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::kube {

struct WatchEvent {
  std::string type;     // ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
  json::Json object;    // the object; for ERROR a Status; for BOOKMARK only metadata.resourceVersion
};

// ParseWatchEvent parses one line. kParse (naming the problem, not echoing
// object content) for non-JSON, a missing/unknown type, or a non-object object.
Result<WatchEvent> ParseWatchEvent(std::string_view line);

// WatchDecoder buffers chunks and yields complete events. Not thread-safe.
class WatchDecoder {
 public:
  // kMaxLineBytes bounds one event (the apiserver's limit on an object is
  // ~1.5 MiB in etcd; 16 MiB leaves room for Tables and managedFields).
  static constexpr size_t kMaxLineBytes = 16 << 20;

  // Feed appends `chunk` and returns every event completed by it. An error
  // (malformed line, oversize line) is sticky: the stream is unusable after.
  Result<std::vector<WatchEvent>> Feed(std::string_view chunk);

  // Finish parses a final line that had no trailing newline, if any.
  Result<std::vector<WatchEvent>> Finish();

 private:
  Result<std::vector<WatchEvent>> Fail(Error error);

  std::string buffer_;
  std::optional<Error> failure_;
};

}  // namespace kargo_token::kube

#endif  // KARGO_TOKEN_SHARED_KUBE_WATCH_EVENT_H_
