#include "webhook/logger.h"

#include <chrono>
#include <ctime>

namespace kargo_token::webhook {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// NowRfc3339 renders the current UTC time with milliseconds,
// e.g. 2026-11-28T03:31:24.123Z.
std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn" || text == "warning") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return Error::InvalidArgument("invalid --log-level \"" + std::string(text) +
                                "\": use debug, info, warn or error");
}

void Logger::Log(LogLevel level, std::string_view msg, json::Json fields) {
  if (!Enabled(level)) return;
  json::Json line = fields.is_object() ? std::move(fields) : json::Json::object();
  line["ts"] = NowRfc3339();
  line["level"] = LevelName(level);
  line["msg"] = msg;
  std::string text = line.dump(-1, ' ', false, json::Json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace kargo_token::webhook
