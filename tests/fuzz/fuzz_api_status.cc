// Fuzz target: a failed API response through the plugin's error path —
// DecodeApiStatus / ErrorFromResponse (client-go's Status decoding) and
// FormatKubectlError (the one line kubectl would print).
//
// Input: byte 0-1 the HTTP status (400-599 mostly, any 100-599), byte 2 the
// content type (from a list), the rest the body.
//
// Properties: nothing crashes or throws; the status always has a code; the
// error keeps its Status; the printed error is non-empty without a trailing
// newline.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/kube/api_status.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kargo_token;
  if (size < 3) return 0;
  static constexpr std::string_view kContentTypes[] = {
      "application/json", "application/json; charset=utf-8", "text/plain; charset=utf-8",
      "text/html", "", "application/vnd.kubernetes.protobuf", "application/yaml", "APPLICATION/JSON"};
  int code = 100 + ((data[0] << 8) | data[1]) % 500;
  std::string_view content_type = kContentTypes[data[2] % std::size(kContentTypes)];
  std::string_view body(reinterpret_cast<const char*>(data) + 3, size - 3);

  kube::RequestContext context{"GET", "", "secrets", "token-1"};
  ApiStatus status = kube::DecodeApiStatus(code, content_type, body, context);
  FUZZ_CHECK(status.code != 0);

  kube::HttpResponse response;
  response.status = code;
  response.headers.emplace_back("Content-Type", std::string(content_type));
  response.body = std::string(body);
  Error error = kube::ErrorFromResponse(response, context);
  FUZZ_CHECK(error.api_status().has_value());
  std::string printed = kube::FormatKubectlError(error);
  FUZZ_CHECK(!printed.empty());
  FUZZ_CHECK(printed.back() != '\n');
  (void)kube::IsResourceExpired(error);
  return 0;
}
