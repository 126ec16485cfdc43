// Go formatting habits kubectl output depends on: %q quoting and
// encoding/json's marshalling (HTML-safe escapes), so our bytes match.
#ifndef KARGO_TOKEN_SHARED_JSON_GO_FORMAT_H_
#define KARGO_TOKEN_SHARED_JSON_GO_FORMAT_H_

#include <string>
#include <string_view>

#include "shared/json/yaml_json.h"

namespace kargo_token::json {

// GoQuote is Go's %q for a string: double quotes, backslash escapes for '"',
// '\\' and control characters; other bytes are kept.
std::string GoQuote(std::string_view s);

// GoJson is encoding/json's output: compact when indent < 0, otherwise
// json.MarshalIndent with `indent` spaces; keys sorted; '<', '>', '&',
// U+2028 and U+2029 escaped as \u003c etc.; invalid UTF-8 replaced by U+FFFD.
// Never throws.
std::string GoJson(const json::Json& value, int indent = -1);

}  // namespace kargo_token::json

#endif  // KARGO_TOKEN_SHARED_JSON_GO_FORMAT_H_
