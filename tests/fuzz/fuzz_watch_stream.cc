// Fuzz target: a watch response body through WatchDecoder, the parser the
// webhook's reflector and the plugin's token wait read the API server with.
//
// Properties: nothing crashes or throws; how the stream is cut into chunks
// never changes the outcome (the same events, or an error either way), which
// is what a real HTTP chunked body does to it; an event always has a known
// type and an object; and an error is sticky.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/kube/watch_event.h"
#include "tests/fuzz/fuzz_check.h"

namespace kargo_token {
namespace {

struct Outcome {
  bool ok = true;
  std::vector<std::string> events;  // "<type> <object JSON>"
};

// Decode feeds `stream` in chunks of `chunk` bytes (0: all at once).
Outcome Decode(std::string_view stream, size_t chunk) {
  kube::WatchDecoder decoder;
  Outcome outcome;
  auto take = [&outcome](Result<std::vector<kube::WatchEvent>> events) {
    if (!events.ok()) {
      FUZZ_CHECK(!events.error().message().empty());
      outcome.ok = false;
      return;
    }
    for (const auto& e : *events) {
      FUZZ_CHECK(e.type == "ADDED" || e.type == "MODIFIED" || e.type == "DELETED" ||
                 e.type == "BOOKMARK" || e.type == "ERROR");
      FUZZ_CHECK(e.object.is_object());
      outcome.events.push_back(e.type + " " + e.object.dump());
    }
  };
  size_t step = chunk == 0 ? stream.size() : chunk;
  for (size_t at = 0; at < stream.size() && outcome.ok; at += step)
    take(decoder.Feed(stream.substr(at, step)));
  if (outcome.ok) take(decoder.Finish());
  if (!outcome.ok) FUZZ_CHECK(!decoder.Feed("{}\n").ok());  // sticky
  return outcome;
}

}  // namespace
}  // namespace kargo_token

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kargo_token;
  if (size == 0) return 0;
  // The first byte picks the chunk size of the second decoding.
  size_t chunk = 1 + data[0] % 64;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = Decode(stream, 0);
  Outcome chunked = Decode(stream, chunk);
  FUZZ_CHECK(whole.ok == chunked.ok);
  if (whole.ok) FUZZ_CHECK(whole.events == chunked.events);
  return 0;
}
