// Logger: structured JSON logs, one object per line on a stream (stderr in
// the binary). Callers pass only names, identities and outcomes — never a
// request or response body, never token material (webhook.md §6.6).
#ifndef KARGO_TOKEN_WEBHOOK_LOGGER_H_
#define KARGO_TOKEN_WEBHOOK_LOGGER_H_

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "shared/base/result.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::webhook {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// ParseLogLevel accepts debug, info, warn (or warning) and error.
Result<LogLevel> ParseLogLevel(std::string_view text);

// Logger writes {"ts":...,"level":...,"msg":...,<fields>} lines. Thread-safe;
// each line is written with one fwrite under a lock.
class Logger {
 public:
  // `out` is not owned and must outlive the logger.
  Logger(std::FILE* out, LogLevel level) : out_(out), level_(level) {}

  bool Enabled(LogLevel level) const { return level >= level_; }
  // Log writes one line when `level` is enabled. `fields` must be a JSON
  // object (or null); ts/level/msg are added to it (replacing those keys).
  void Log(LogLevel level, std::string_view msg, json::Json fields = nullptr);

  void Debug(std::string_view msg, json::Json fields = nullptr) {
    Log(LogLevel::kDebug, msg, std::move(fields));
  }
  void Info(std::string_view msg, json::Json fields = nullptr) {
    Log(LogLevel::kInfo, msg, std::move(fields));
  }
  void Warn(std::string_view msg, json::Json fields = nullptr) {
    Log(LogLevel::kWarn, msg, std::move(fields));
  }
  void Error(std::string_view msg, json::Json fields = nullptr) {
    Log(LogLevel::kError, msg, std::move(fields));
  }

 private:
  std::FILE* out_;
  LogLevel level_;
  std::mutex mu_;
};

}  // namespace kargo_token::webhook

#endif  // KARGO_TOKEN_WEBHOOK_LOGGER_H_
