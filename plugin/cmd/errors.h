// How commands report several failures: each one printed as kubectl prints
// it, then one "already reported" error so the process exits 1.
#ifndef KARGO_TOKEN_PLUGIN_CMD_ERRORS_H_
#define KARGO_TOKEN_PLUGIN_CMD_ERRORS_H_

#include <vector>

#include "plugin/cmd/streams.h"
#include "shared/base/result.h"

namespace kargo_token::plugin {

// AlreadyReported is an error whose message was printed; main prints nothing more.
Error AlreadyReported();
bool IsAlreadyReported(const Error& error);

// ReportAll prints every error (kubectl's wording) and returns
// AlreadyReported() if there was any.
Result<void> ReportAll(Streams& streams, const std::vector<Error>& errors);

}  // namespace kargo_token::plugin

#endif  // KARGO_TOKEN_PLUGIN_CMD_ERRORS_H_
