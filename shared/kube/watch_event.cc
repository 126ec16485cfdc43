#include "shared/kube/watch_event.h"

#include <algorithm>
#include <cctype>

namespace kargo_token::kube {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool IsKnownType(const std::string& type) {
  return type == "ADDED" || type == "MODIFIED" || type == "DELETED" || type == "BOOKMARK" ||
         type == "ERROR";
}

}  // namespace

Result<WatchEvent> ParseWatchEvent(std::string_view line) {
  json::Json event = json::Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object())
    return Error::Parse("watch stream: event is not a JSON object (" + std::to_string(line.size()) +
                        " bytes)");
  auto type = event.find("type");
  if (type == event.end() || !type->is_string())
    return Error::Parse("watch stream: event has no \"type\"");
  if (!IsKnownType(type->get<std::string>()))
    return Error::Parse("watch stream: got invalid watch event type: " + type->get<std::string>());
  auto object = event.find("object");
  if (object == event.end() || !object->is_object())
    return Error::Parse("watch stream: " + type->get<std::string>() + " event has no \"object\"");
  return WatchEvent{type->get<std::string>(), std::move(*object)};
}

Result<std::vector<WatchEvent>> WatchDecoder::Fail(Error error) {
  buffer_.clear();
  failure_ = error;
  return error;
}

Result<std::vector<WatchEvent>> WatchDecoder::Feed(std::string_view chunk) {
  if (failure_) return *failure_;
  size_t scan_from = buffer_.size();  // bytes before this chunk hold no newline
  buffer_.append(chunk);
  std::vector<WatchEvent> events;
  size_t start = 0;
  for (size_t nl = buffer_.find('\n', scan_from); nl != std::string::npos;
       nl = buffer_.find('\n', start)) {
    std::string_view line(buffer_.data() + start, nl - start);
    start = nl + 1;
    if (IsBlank(line)) continue;
    Result<WatchEvent> event = ParseWatchEvent(line);
    if (!event.ok()) return Fail(std::move(event).error());
    events.push_back(std::move(event).value());
  }
  buffer_.erase(0, start);
  if (buffer_.size() > kMaxLineBytes)
    return Fail(Error::Parse("watch stream: event larger than " + std::to_string(kMaxLineBytes >> 20) +
                        " MiB"));
  return events;
}

Result<std::vector<WatchEvent>> WatchDecoder::Finish() {
  if (failure_) return *failure_;
  std::vector<WatchEvent> events;
  std::string rest = std::move(buffer_);
  buffer_.clear();
  if (IsBlank(rest)) return events;
  KT_ASSIGN_OR_RETURN(WatchEvent event, ParseWatchEvent(rest));
  events.push_back(std::move(event));
  return events;
}

}  // namespace kargo_token::kube
