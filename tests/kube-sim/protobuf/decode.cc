#include "tests/kube-sim/protobuf/decode.h"

#include <ctime>
#include <string>

#include "tests/kube-sim/protobuf/messages.h"
#include "tests/kube-sim/protobuf/wire.h"
#include "tests/kube-sim/validation.h"

namespace kargo_token::kube_sim {
namespace {

// The 4-byte prefix of every Kubernetes protobuf body
// (apimachinery runtime/serializer/protobuf).
constexpr std::string_view kMagic("k8s\0", 4);

Error BadRequest(std::string message) {
  ApiStatus s;
  s.code = 400;
  s.reason = "BadRequest";
  s.message = std::move(message);
  return Error::FromApiStatus(std::move(s));
}

Result<void> ExpectType(const WireField& f, WireType want, const MessageSpec& m, const char* name) {
  if (f.type == want) return Ok();
  return Error::Parse(std::string(m.name) + ": wrong wireType " +
                      std::to_string(static_cast<int>(f.type)) + " for field " + name);
}

// Rfc3339 renders seconds since the epoch like metav1.Time's JSON form.
Result<std::string> Rfc3339(int64_t seconds) {
  // Year 0001..9999, the range Go's time formatting round-trips.
  if (seconds < -62135596800LL || seconds > 253402300799LL) {
    return Error::Parse("Time: seconds out of range");
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf);
}

Result<json::Json> DecodeMessage(std::string_view data, const MessageSpec& spec);

Result<json::Json> DecodeTime(std::string_view data) {
  WireReader r(data);
  WireField f;
  int64_t seconds = 0;
  while (true) {
    KT_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) break;
    if (f.number == 1 && f.type == WireType::kVarint) seconds = static_cast<int64_t>(f.value);
  }
  KT_ASSIGN_OR_RETURN(std::string text, Rfc3339(seconds));
  return json::Json(std::move(text));
}

// DecodeMapEntry reads a map entry message {key=1, value=2} as strings.
Result<std::pair<std::string, std::string_view>> DecodeMapEntry(std::string_view data) {
  WireReader r(data);
  WireField f;
  std::string key;
  std::string_view value;
  while (true) {
    KT_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) break;
    if (f.type != WireType::kBytes) continue;
    if (f.number == 1) key = std::string(f.bytes);
    if (f.number == 2) value = f.bytes;
  }
  return std::make_pair(std::move(key), value);
}

Result<json::Json> DecodeStringList(std::string_view data) {
  WireReader r(data);
  WireField f;
  json::Json items = json::Json::array();
  while (true) {
    KT_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) break;
    if (f.number == 1 && f.type == WireType::kBytes) items.push_back(std::string(f.bytes));
  }
  return items;
}

// DecodeField turns one wire field of a non-map field into its JSON value.
Result<json::Json> DecodeField(const WireField& f, const FieldSpec& fs, const MessageSpec& m) {
  switch (fs.type) {
    case FieldType::kString:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
      return json::Json(std::string(f.bytes));
    case FieldType::kBytes:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
      return json::Json(Base64Encode(std::string(f.bytes)));
    case FieldType::kInt64:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kVarint, m, fs.json_name));
      return json::Json(static_cast<int64_t>(f.value));
    case FieldType::kInt32:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kVarint, m, fs.json_name));
      return json::Json(static_cast<int32_t>(static_cast<uint32_t>(f.value)));
    case FieldType::kBool:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kVarint, m, fs.json_name));
      return json::Json(f.value != 0);
    case FieldType::kMessage:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
      return DecodeMessage(f.bytes, *fs.message);
    case FieldType::kTime:
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
      return DecodeTime(f.bytes);
    case FieldType::kRawJson: {
      KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
      json::Json raw = json::Json::parse(f.bytes, nullptr, /*allow_exceptions=*/false);
      if (raw.is_discarded()) return Error::Parse(std::string(m.name) + ": invalid JSON in raw");
      return raw;
    }
    default:
      return Error::Internal("map fields are decoded by DecodeMapField");
  }
}

Result<void> DecodeMapField(const WireField& f, const FieldSpec& fs, const MessageSpec& m,
                            json::Json& out) {
  KT_RETURN_IF_ERROR(ExpectType(f, WireType::kBytes, m, fs.json_name));
  KT_ASSIGN_OR_RETURN(auto entry, DecodeMapEntry(f.bytes));
  json::Json& map = out[fs.json_name];
  if (fs.type == FieldType::kStringMap) {
    map[entry.first] = std::string(entry.second);
  } else if (fs.type == FieldType::kBytesMap) {
    map[entry.first] = Base64Encode(std::string(entry.second));
  } else {
    KT_ASSIGN_OR_RETURN(map[entry.first], DecodeStringList(entry.second));
  }
  return Ok();
}

bool IsZero(const json::Json& v) {
  return (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_number_integer() && v.get<int64_t>() == 0) || (v.is_boolean() && !v.get<bool>());
}

const FieldSpec* FindField(const MessageSpec& spec, uint32_t number) {
  for (const auto& fs : spec.fields) {
    if (fs.number == number) return &fs;
  }
  return nullptr;
}

Result<json::Json> DecodeMessage(std::string_view data, const MessageSpec& spec) {
  json::Json out = json::Json::object();
  WireReader r(data);
  WireField f;
  while (true) {
    auto more = r.Next(&f);
    if (!more.ok()) return Error::Parse(std::string(spec.name) + ": " + more.error().message());
    if (!*more) break;
    const FieldSpec* fs = FindField(spec, f.number);
    if (fs == nullptr) continue;  // unknown field: skipped, as proto2 does
    if (fs->type == FieldType::kStringMap || fs->type == FieldType::kBytesMap ||
        fs->type == FieldType::kStringListMap) {
      KT_RETURN_IF_ERROR(DecodeMapField(f, *fs, spec, out));
      continue;
    }
    KT_ASSIGN_OR_RETURN(json::Json value, DecodeField(f, *fs, spec));
    if (fs->repeated) {
      out[fs->json_name].push_back(std::move(value));
    } else if (!fs->keep_zero && IsZero(value)) {
      out.erase(fs->json_name);
    } else {
      out[fs->json_name] = std::move(value);
    }
  }
  return out;
}

struct Envelope {
  std::string api_version;
  std::string kind;
  std::string_view raw;
  std::string content_encoding;
};

Result<void> DecodeTypeMeta(std::string_view data, Envelope& env) {
  WireReader r(data);
  WireField f;
  while (true) {
    KT_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) return Ok();
    if (f.type != WireType::kBytes) continue;
    if (f.number == 1) env.api_version = std::string(f.bytes);
    if (f.number == 2) env.kind = std::string(f.bytes);
  }
}

Result<Envelope> DecodeEnvelope(std::string_view data) {
  Envelope env;
  WireReader r(data);
  WireField f;
  while (true) {
    KT_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) return env;
    if (f.type != WireType::kBytes) continue;
    if (f.number == 1) KT_RETURN_IF_ERROR(DecodeTypeMeta(f.bytes, env));
    if (f.number == 2) env.raw = f.bytes;
    if (f.number == 3) env.content_encoding = std::string(f.bytes);
  }
}

}  // namespace

Result<json::Json> DecodeProtobufObject(std::string_view body) {
  if (body.size() < kMagic.size() || body.substr(0, kMagic.size()) != kMagic) {
    return BadRequest("protobuf body does not start with the \"k8s\\x00\" prefix");
  }
  auto env = DecodeEnvelope(body.substr(kMagic.size()));
  if (!env.ok()) return BadRequest("proto: Unknown: " + env.error().message());
  if (!env->content_encoding.empty()) {
    return BadRequest("protobuf content encoding \"" + env->content_encoding + "\" is not supported");
  }
  const MessageSpec* spec = TopLevelSpec(env->kind);
  if (spec == nullptr) {
    return BadRequest("no kind \"" + env->kind + "\" is registered for version \"" +
                      env->api_version + "\" in kube-sim's protobuf decoder");
  }
  auto object = DecodeMessage(env->raw, *spec);
  if (!object.ok()) return BadRequest("proto: " + object.error().message());
  json::Json out = json::Json::object();
  if (!env->api_version.empty()) out["apiVersion"] = env->api_version;
  out["kind"] = env->kind;
  out.update(*object);
  return out;
}

}  // namespace kargo_token::kube_sim
