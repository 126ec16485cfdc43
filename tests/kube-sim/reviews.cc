#include "tests/kube-sim/reviews.h"

#include <cctype>
#include <ctime>

#include "tests/kube-sim/protobuf/decode.h"
#include "tests/kube-sim/protobuf/wire.h"
#include "tests/kube-sim/status.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

constexpr char kAuthz[] = "authorization.k8s.io";
constexpr char kAuthn[] = "authentication.k8s.io";
constexpr std::string_view kMagic("k8s\0", 4);
// Upstream TokenRequest defaults and limits (pkg/apis/authentication/v1
// defaults.go, validation.go).
constexpr int64_t kDefaultTokenSeconds = 3600;
constexpr int64_t kMinTokenSeconds = 600;
constexpr int64_t kMaxTokenSeconds = int64_t{1} << 32;

std::string MediaType(const std::string& content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';')))
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Field access that never throws on a wrongly typed body.
const Json& Member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Str(const Json& j, const char* key) {
  const Json& v = Member(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

std::vector<std::string> Strings(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Json Answer(const std::string& api_version, const std::string& kind, Json spec, Json status) {
  Json out = {{"kind", kind}, {"apiVersion", api_version}, {"metadata", {{"creationTimestamp", nullptr}}}};
  if (!spec.is_null()) out["spec"] = std::move(spec);
  out["status"] = std::move(status);
  return out;
}

Reply Created(Json body) {
  Reply r;
  r.status = 201;
  r.body = std::move(body);
  return r;
}

std::string Rfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Error Invalid(const std::string& group, const std::string& kind, const std::string& name,
              FieldError error) {
  return InvalidError(group, kind, name, {std::move(error)});
}

FieldError InvalidLiteral(const std::string& field, const std::string& literal, const std::string& detail) {
  FieldError e = FieldError::Make(FieldError::Type::kInvalid, field, nullptr, detail);
  e.value_literal = literal;
  return e;
}

Result<Json> DecodeBody(const ApiRequest& req, bool rules_review) {
  std::string media = MediaType(req.content_type);
  if (media == "application/vnd.kubernetes.protobuf")
    return rules_review ? DecodeRulesReviewProtobuf(req.body) : DecodeProtobufObject(req.body);
  if (req.body.empty()) return Json::object();
  Result<Json> parsed = json::ParseJson(req.body);
  if (!parsed.ok()) return BadRequestError("couldn't get version/kind; json parse error: " + parsed.error().message());
  if (!parsed->is_object()) return BadRequestError("couldn't get version/kind; json parse error: not an object");
  return parsed;
}

Result<WireField> FindField(std::string_view data, uint32_t number) {
  WireReader r(data);
  WireField f, found;
  while (true) {
    Result<bool> more = r.Next(&f);
    if (!more.ok()) return BadRequestError("SelfSubjectRulesReview: " + more.error().message());
    if (!*more) break;
    if (f.number == number && f.type == WireType::kBytes) found = f;
  }
  return found;
}

}  // namespace

Result<Json> DecodeRulesReviewProtobuf(std::string_view body) {
  if (body.substr(0, kMagic.size()) != kMagic)
    return BadRequestError("SelfSubjectRulesReview: protobuf body lacks the k8s magic prefix");
  KT_ASSIGN_OR_RETURN(WireField raw, FindField(body.substr(kMagic.size()), 2));
  KT_ASSIGN_OR_RETURN(WireField spec, FindField(raw.bytes, 2));
  KT_ASSIGN_OR_RETURN(WireField ns, FindField(spec.bytes, 1));
  Json out = {{"apiVersion", "authorization.k8s.io/v1"}, {"kind", "SelfSubjectRulesReview"},
              {"spec", Json::object()}};
  if (!ns.bytes.empty()) out["spec"]["namespace"] = std::string(ns.bytes);
  return out;
}

Reviews::Reviews(const Store& store, Authenticator& authenticator, const RbacSource& rbac, int minor)
    : store_(store), authenticator_(authenticator), rbac_(rbac), minor_(minor) {}

bool Reviews::Handles(const std::string& method, const ResourcePath& p) const {
  if (method != "POST") return false;
  if (p.group.empty())
    return p.version == "v1" && p.resource == "serviceaccounts" && !p.ns.empty() && !p.name.empty() &&
           p.subresource == "token";
  if (!p.name.empty() || !p.subresource.empty()) return false;
  if (p.group == kAuthz)
    return p.version == "v1" && (p.resource == "selfsubjectaccessreviews" ||
                                 p.resource == "subjectaccessreviews" || p.resource == "selfsubjectrulesreviews");
  if (p.group == kAuthn) {
    if (p.resource == "tokenreviews") return p.version == "v1";
    if (p.resource == "selfsubjectreviews") return p.version == "v1beta1" || (p.version == "v1" && minor_ >= 28);
  }
  return false;
}

Reply Reviews::Handle(const ApiRequest& req) {
  Result<Reply> r = Dispatch(req);
  if (r.ok()) return std::move(r).value();
  Reply reply;
  reply.status = StatusCode(r.error());
  reply.body = StatusJson(r.error());
  return reply;
}

Result<Reply> Reviews::Dispatch(const ApiRequest& req) {
  const std::string& resource = req.path.resource;
  KT_ASSIGN_OR_RETURN(Json body, DecodeBody(req, resource == "selfsubjectrulesreviews"));
  if (resource == "selfsubjectaccessreviews") return AccessReview(req, body, true);
  if (resource == "subjectaccessreviews") return AccessReview(req, body, false);
  if (resource == "selfsubjectrulesreviews") return RulesReview(req, body);
  if (resource == "tokenreviews") return TokenReview(body);
  if (resource == "selfsubjectreviews") return SelfSubjectReview(req);
  return TokenRequest(req, body);
}

Result<Reply> Reviews::AccessReview(const ApiRequest& req, const Json& body, bool self) {
  const char* kind = self ? "SelfSubjectAccessReview" : "SubjectAccessReview";
  const Json& spec = Member(body, "spec");
  const Json& ra = Member(spec, "resourceAttributes");
  const Json& nra = Member(spec, "nonResourceAttributes");
  if (ra.is_object() && nra.is_object())
    return Invalid(kAuthz, kind, "", InvalidLiteral("spec.nonResourceAttributes", "&authorization.NonResourceAttributes{...}",
                                                     "cannot be specified in combination with resourceAttributes"));
  if (!ra.is_object() && !nra.is_object())
    return Invalid(kAuthz, kind, "", InvalidLiteral("spec.resourceAttributes", "(*authorization.NonResourceAttributes)(nil)",
                                                     "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
  UserInfo subject = req.identity;
  if (!self) {
    subject = UserInfo{Str(spec, "user"), Str(spec, "uid"), Strings(Member(spec, "groups")), {}};
    const Json& extra = Member(spec, "extra");
    if (extra.is_object())
      for (const auto& [k, v] : extra.items()) subject.extra[k] = Strings(v);
    if (subject.name.empty() && subject.groups.empty())
      return Invalid(kAuthz, kind, "", FieldError::Make(FieldError::Type::kInvalid, "spec.user", "",
                                                        "at least one of user or group must be specified"));
  }
  RequestAttributes attrs;
  if (ra.is_object()) {
    attrs.verb = Str(ra, "verb");
    attrs.api_group = Str(ra, "group");
    attrs.resource = Str(ra, "resource");
    attrs.subresource = Str(ra, "subresource");
    attrs.name = Str(ra, "name");
    attrs.namespace_name = Str(ra, "namespace");
  } else {
    attrs.resource_request = false;
    attrs.verb = Str(nra, "verb");
    attrs.path = Str(nra, "path");
  }
  AuthorizationDecision d = Authorize(subject, attrs, rbac_);
  Json status = {{"allowed", d.allowed}};
  if (!d.reason.empty()) status["reason"] = d.reason;
  return Created(Answer(std::string(kAuthz) + "/v1", kind, spec, status));
}

Result<Reply> Reviews::RulesReview(const ApiRequest& req, const Json& body) {
  const Json& spec = Member(body, "spec");
  std::string ns = Str(spec, "namespace");
  if (ns.empty()) return BadRequestError("no namespace on request");
  RuleSet rules = RulesFor(req.identity, ns, rbac_);
  Json status = {{"resourceRules", rules.resource_rules},
                 {"nonResourceRules", rules.non_resource_rules},
                 {"incomplete", false}};
  return Created(Answer(std::string(kAuthz) + "/v1", "SelfSubjectRulesReview", spec, status));
}

Result<Reply> Reviews::TokenReview(const Json& body) {
  const Json& spec = Member(body, "spec");
  std::string token = Str(spec, "token");
  if (token.empty()) return BadRequestError("token is required for TokenReview in authentication.k8s.io");
  std::vector<std::string> audiences = Strings(Member(spec, "audiences"));
  if (audiences.empty()) audiences = {kBoundTokenIssuer};
  Result<UserInfo> user = authenticator_.Authenticate({token, std::nullopt});
  Json status;
  if (user.ok()) {
    status = {{"authenticated", true}, {"user", user->ToJson()}, {"audiences", audiences}};
  } else {
    // The reason names the check that failed, never the token.
    status = {{"user", Json::object()}, {"error", "[invalid bearer token, " + user.error().message() + "]"}};
  }
  return Created(Answer(std::string(kAuthn) + "/v1", "TokenReview", spec, status));
}

Result<Reply> Reviews::SelfSubjectReview(const ApiRequest& req) {
  return Created(Answer(std::string(kAuthn) + "/" + req.path.version, "SelfSubjectReview", nullptr,
                        {{"userInfo", req.identity.ToJson()}}));
}

Result<Reply> Reviews::TokenRequest(const ApiRequest& req, const Json& body) {
  const ResourceType& sa_type = *FindResourceType("", "serviceaccounts");
  const Json& spec = Member(body, "spec");
  const Json& exp = Member(spec, "expirationSeconds");
  int64_t seconds = exp.is_number_integer() ? exp.get<int64_t>() : kDefaultTokenSeconds;
  if (seconds < kMinTokenSeconds)
    return Invalid(kAuthn, "TokenRequest", req.path.name,
                   FieldError::Make(FieldError::Type::kInvalid, "spec.expirationSeconds", seconds,
                                    "may not specify a duration less than 10 minutes"));
  if (seconds > kMaxTokenSeconds)
    return Invalid(kAuthn, "TokenRequest", req.path.name,
                   FieldError::Make(FieldError::Type::kInvalid, "spec.expirationSeconds", seconds,
                                    "may not specify a duration larger than 2^32 seconds"));
  ObjectPtr sa = store_.Get(sa_type, req.path.ns, req.path.name);
  if (!sa || (*sa)["metadata"].contains("deletionTimestamp")) return NotFoundError(sa_type, req.path.name);
  std::vector<std::string> audiences = Strings(Member(spec, "audiences"));
  if (audiences.empty()) audiences = {kBoundTokenIssuer};
  KT_ASSIGN_OR_RETURN(BoundToken token, authenticator_.IssueBoundToken(*sa, audiences, seconds));
  Json out_spec = {{"audiences", audiences}, {"expirationSeconds", seconds}, {"boundObjectRef", nullptr}};
  Json out = Answer(std::string(kAuthn) + "/v1", "TokenRequest", out_spec,
                    {{"token", token.token}, {"expirationTimestamp", Rfc3339(token.expiration_unix)}});
  out["metadata"] = {{"name", req.path.name}, {"namespace", req.path.ns}, {"creationTimestamp", nullptr}};
  return Created(std::move(out));
}

}  // namespace kargo_token::kube_sim
