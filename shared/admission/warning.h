// Warnings an admission response may carry. The API server turns each into an
// HTTP `Warning: 299 - "<text>"` header and silently drops any text with a
// control character or invalid UTF-8; past 4096 runes in total it truncates
// and drops (apiserver pkg/endpoints/filters/warning.go, apimachinery
// pkg/util/net/http.go NewWarningHeader; webhook.md §1.3).
#ifndef KARGO_TOKEN_SHARED_ADMISSION_WARNING_H_
#define KARGO_TOKEN_SHARED_ADMISSION_WARNING_H_

#include <string>
#include <string_view>
#include <vector>

namespace kargo_token::admission {

// SanitizeWarning makes a warning survive the header rules: control
// characters (newlines included) become spaces, invalid UTF-8 becomes U+FFFD,
// runs of spaces collapse, leading/trailing spaces are trimmed, and the text
// is cut to 256 runes (the last one an ellipsis when cut).
std::string SanitizeWarning(std::string_view text);

// CapWarnings sanitises every warning, drops empty results and duplicates,
// and stops before the total passes 4096 runes. Order is kept.
std::vector<std::string> CapWarnings(const std::vector<std::string>& warnings);

}  // namespace kargo_token::admission

#endif  // KARGO_TOKEN_SHARED_ADMISSION_WARNING_H_
