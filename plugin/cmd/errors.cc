#include "plugin/cmd/errors.h"

#include "shared/kube/api_status.h"

namespace kargo_token::plugin {

namespace {
constexpr char kReported[] = "(reported above)";
}

Error AlreadyReported() { return Error::Internal(kReported); }

bool IsAlreadyReported(const Error& error) {
  return error.code() == ErrorCode::kInternal && error.message() == kReported;
}

Result<void> ReportAll(Streams& streams, const std::vector<Error>& errors) {
  for (const auto& e : errors) streams.err << kube::FormatKubectlError(e) << "\n";
  if (errors.empty()) return Ok();
  return AlreadyReported();
}

}  // namespace kargo_token::plugin
