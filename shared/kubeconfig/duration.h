// Go-style durations ("1m30s", "500ms") and kubectl's --request-timeout.
#ifndef KARGO_TOKEN_SHARED_KUBECONFIG_DURATION_H_
#define KARGO_TOKEN_SHARED_KUBECONFIG_DURATION_H_

#include <chrono>
#include <string_view>

#include "shared/base/result.h"

namespace kargo_token::kubeconfig {

// ParseGoDuration accepts Go's time.ParseDuration syntax: an optional sign and
// one or more decimal numbers (fractions allowed) each followed by a unit of
// ns, us, µs, ms, s, m or h; "0" alone is zero. The result is truncated to
// nanoseconds. Errors are kInvalidArgument naming the input.
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// ParseRequestTimeout implements kubectl's --request-timeout (client-go
// clientcmd.ParseTimeout): empty means 0 (no timeout), a bare non-negative
// integer is seconds, anything else a Go duration. Invalid or negative
// values give kubectl's exact message "Invalid timeout value. ...".
// NB: client-go accepts negative durations ("-1s"); we reject them because a
// negative timeout has no meaning.
Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text);

}  // namespace kargo_token::kubeconfig

#endif  // KARGO_TOKEN_SHARED_KUBECONFIG_DURATION_H_
