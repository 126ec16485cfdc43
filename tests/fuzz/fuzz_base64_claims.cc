// Fuzz target: the token-adjacent text helpers — Base64Encode/Base64Decode
// (kubeconfig *-data fields and the token the plugin decodes from a Secret)
// and the OIDC claims codecs (--claim flags, the claims annotations Kargo
// reads from a role's ServiceAccount). The project has no JWT parser of its
// own: tokens are opaque to it, so base64 is where token bytes are decoded.
//
// Input: the bytes as base64 text and as raw bytes, and, split on '\n', as
// --claim flag values and as the claims annotation.
//
// Properties: nothing crashes or throws; encode-then-decode is the identity;
// whatever decodes re-encodes to text that decodes to the same bytes; claims
// parsed from flags survive EncodeClaims -> annotation -> ClaimsFromAnnotations
// (sorted, deduplicated).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/kargo/claims.h"
#include "shared/kargo/labels.h"
#include "shared/kubeconfig/base64.h"
#include "tests/fuzz/fuzz_check.h"

namespace kargo_token {
namespace {

json::Json ServiceAccountWith(const std::string& key, const std::string& value) {
  json::Json sa = {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}};
  sa["metadata"] = {{"name", "role"}, {"namespace", "project"}};
  sa["metadata"]["annotations"][key] = value;
  return sa;
}

void CheckBase64(std::string_view bytes) {
  auto round_trip = kubeconfig::Base64Decode(kubeconfig::Base64Encode(bytes));
  FUZZ_CHECK(round_trip.ok() && *round_trip == bytes);
  auto decoded = kubeconfig::Base64Decode(bytes);
  if (!decoded.ok()) {
    FUZZ_CHECK(!decoded.error().message().empty());
    return;
  }
  auto again = kubeconfig::Base64Decode(kubeconfig::Base64Encode(*decoded));
  FUZZ_CHECK(again.ok() && *again == *decoded);
}

void CheckClaims(std::string_view text) {
  std::vector<std::string> flags;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = std::min(text.find('\n', start), text.size());
    flags.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  auto claims = kargo::ParseClaimFlags(flags);
  if (claims.ok()) {
    std::string encoded = kargo::EncodeClaims(*claims);
    auto back = kargo::ClaimsFromAnnotations(
        ServiceAccountWith(std::string(kargo::kAnnotationClaims), encoded));
    FUZZ_CHECK(back.ok());
    kargo::Claims expected = *claims;
    for (auto& [name, values] : expected) std::sort(values.begin(), values.end());
    FUZZ_CHECK(*back == expected);
  }
  // The raw text as either annotation form: any outcome but a crash.
  (void)kargo::ClaimsFromAnnotations(ServiceAccountWith(std::string(kargo::kAnnotationClaims), std::string(text)));
  (void)kargo::ClaimsFromAnnotations(
      ServiceAccountWith(std::string(kargo::kAnnotationClaimPrefix) + "groups", std::string(text)));
}

}  // namespace
}  // namespace kargo_token

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kargo_token::CheckBase64(text);
  kargo_token::CheckClaims(text);
  return 0;
}
