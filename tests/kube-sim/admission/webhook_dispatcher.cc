#include "tests/kube-sim/admission/webhook_dispatcher.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>

#include "tests/kube-sim/status.h"
#include "tests/kube-sim/validation.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

bool ListHas(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(),
                     [&](const Json& v) { return v.is_string() && (v == "*" || v == value); });
}

bool ResourceMatches(const Json& resources, const std::string& resource, const std::string& sub) {
  for (const auto& r : resources) {
    if (!r.is_string()) continue;
    std::string s = r;
    size_t slash = s.find('/');
    std::string res = s.substr(0, slash);
    std::string rsub = slash == std::string::npos ? "" : s.substr(slash + 1);
    bool res_ok = res == "*" || res == resource;
    bool sub_ok = slash == std::string::npos ? sub.empty() : (rsub == "*" || rsub == sub);
    if (res_ok && sub_ok) return true;
  }
  return false;
}

bool RuleMatches(const Json& rule, const AdmissionAttributes& a) {
  std::string scope = rule.value("scope", "*");
  if (scope == "Cluster" && a.rt->namespaced) return false;
  if (scope == "Namespaced" && !a.rt->namespaced) return false;
  return ListHas(rule.value("operations", Json::array()), a.operation) &&
         ListHas(rule.value("apiGroups", Json::array()), a.rt->group) &&
         ListHas(rule.value("apiVersions", Json::array()), a.rt->version) &&
         ResourceMatches(rule.value("resources", Json::array()), a.rt->plural, a.subresource);
}

Json LabelsOf(const Json& obj) {
  if (!obj.is_object()) return Json::object();
  return obj.value("/metadata/labels"_json_pointer, Json::object());
}

std::string NewUid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return out;
}

X509_STORE* StoreFromPem(const std::string& pem) {
  X509_STORE* store = X509_STORE_new();
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);
    X509_free(cert);
  }
  BIO_free(bio);
  return store;
}

struct Target {
  std::string url;          // for messages: https://host:port/path
  std::string host;         // TLS name
  int port = 443;
  std::string path = "/";
  std::string connect_ip;   // service endpoint override ("" = resolve host)
};

Result<Target> ResolveTarget(const Json& client_config, const std::map<std::string, std::string>& endpoints) {
  Target t;
  if (client_config.contains("url")) {
    std::string url = client_config["url"];
    if (url.rfind("https://", 0) != 0) return Error::InvalidArgument("webhook url must use https");
    std::string rest = url.substr(8);
    size_t slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    t.path = slash == std::string::npos ? "/" : rest.substr(slash);
    size_t colon = hostport.rfind(':');
    t.host = hostport.substr(0, colon);
    if (colon != std::string::npos) t.port = std::atoi(hostport.substr(colon + 1).c_str());
    t.url = url;
    return t;
  }
  const Json& svc = client_config.value("service", Json::object());
  std::string ns = svc.value("namespace", ""), name = svc.value("name", "");
  t.host = name + "." + ns + ".svc";
  t.port = svc.value("port", 443);
  t.path = svc.value("path", "/");
  t.url = "https://" + t.host + ":" + std::to_string(t.port) + t.path;
  auto it = endpoints.find(ns + "/" + name);
  if (it == endpoints.end())
    return Error::Unavailable("service \"" + ns + "/" + name + "\" has no endpoints (map it with --service-endpoint)");
  size_t colon = it->second.rfind(':');
  t.connect_ip = it->second.substr(0, colon);
  if (colon != std::string::npos) t.port = std::atoi(it->second.substr(colon + 1).c_str());
  return t;
}

Error CallFailure(const std::string& webhook, const std::string& detail) {
  return InternalError("failed calling webhook \"" + webhook + "\": " + detail);
}

}  // namespace

bool LabelSelectorMatches(const Json& selector, const Json& labels) {
  if (!selector.is_object()) return true;
  const Json match_labels = selector.value("matchLabels", Json::object());
  for (const auto& [k, v] : match_labels.items())
    if (!labels.contains(k) || labels[k] != v) return false;
  for (const auto& e : selector.value("matchExpressions", Json::array())) {
    std::string key = e.value("key", ""), op = e.value("operator", "");
    bool has = labels.contains(key);
    const Json& values = e.value("values", Json::array());
    bool in = has && std::find(values.begin(), values.end(), labels[key]) != values.end();
    if (op == "In" && !in) return false;
    if (op == "NotIn" && in) return false;
    if (op == "Exists" && !has) return false;
    if (op == "DoesNotExist" && has) return false;
  }
  return true;
}

WebhookDispatcher::WebhookDispatcher(const Store& store, std::map<std::string, std::string> service_endpoints)
    : store_(store), service_endpoints_(std::move(service_endpoints)) {}

bool WebhookDispatcher::Matches(const Json& webhook, const AdmissionAttributes& a, const Json& namespace_labels) {
  const Json& rules = webhook.value("rules", Json::array());
  if (!std::any_of(rules.begin(), rules.end(), [&](const Json& r) { return RuleMatches(r, a); })) return false;
  bool is_namespace = a.rt->plural == "namespaces" && a.rt->group.empty();
  if (a.rt->namespaced || is_namespace) {
    Json labels = is_namespace ? LabelsOf(a.object.is_null() ? a.old_object : a.object) : namespace_labels;
    if (!LabelSelectorMatches(webhook.value("namespaceSelector", Json::object()), labels)) return false;
  }
  const Json& object_selector = webhook.value("objectSelector", Json::object());
  if (!LabelSelectorMatches(object_selector, LabelsOf(a.object)) &&
      !LabelSelectorMatches(object_selector, LabelsOf(a.old_object)))
    return false;
  for (const auto& c : webhook.value("matchConditions", Json::array()))
    if (!EvaluateCondition(c.value("expression", "true"), a)) return false;
  return true;
}

Json WebhookDispatcher::BuildReview(const AdmissionAttributes& a, const std::string& uid) {
  Json kind = {{"group", a.rt->group}, {"version", a.rt->version}, {"kind", a.rt->kind}};
  Json resource = {{"group", a.rt->group}, {"version", a.rt->version}, {"resource", a.rt->plural}};
  Json request = {{"uid", uid}, {"kind", kind}, {"resource", resource}, {"requestKind", kind},
                  {"requestResource", resource}, {"operation", a.operation}, {"userInfo", a.user.ToJson()},
                  {"object", a.object}, {"oldObject", a.old_object}, {"dryRun", a.dry_run},
                  {"options", a.options}};
  if (!a.name.empty()) request["name"] = a.name;
  if (!a.namespace_name.empty()) request["namespace"] = a.namespace_name;
  if (!a.subresource.empty()) {
    request["subResource"] = a.subresource;
    request["requestSubResource"] = a.subresource;
  }
  return {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"request", request}};
}

Result<AdmissionOutcome> WebhookDispatcher::Validate(const AdmissionAttributes& a) const {
  AdmissionOutcome outcome;
  const ResourceType* vwc = FindResourceType("admissionregistration.k8s.io", "validatingwebhookconfigurations");
  // Webhooks are never called for webhook configurations themselves.
  if (a.rt == vwc) return outcome;
  Json ns_labels = Json::object();
  if (!a.namespace_name.empty()) {
    ObjectPtr ns = store_.Get(*FindResourceType("", "namespaces"), "", a.namespace_name);
    if (ns) ns_labels = LabelsOf(*ns);
  }
  for (const auto& config : store_.List(*vwc, ListOptions{}).items) {
    for (const auto& webhook : config->value("webhooks", Json::array())) {
      if (!Matches(webhook, a, ns_labels)) continue;
      std::string side_effects = webhook.value("sideEffects", "Unknown");
      if (a.dry_run && side_effects != "None" && side_effects != "NoneOnDryRun")
        return BadRequestError("admission webhook \"" + webhook.value("name", "") +
                               "\" does not support dry run");
      KT_RETURN_IF_ERROR(Call(webhook, a, &outcome));
    }
  }
  return outcome;
}

Result<void> WebhookDispatcher::Call(const Json& webhook, const AdmissionAttributes& a,
                                     AdmissionOutcome* outcome) const {
  std::string name = webhook.value("name", "");
  bool fail_closed = webhook.value("failurePolicy", "Fail") != "Ignore";
  auto failed = [&](const std::string& detail) -> Result<void> {
    if (!fail_closed) return Ok();  // failing open
    return CallFailure(name, detail);
  };
  auto target = ResolveTarget(webhook.value("clientConfig", Json::object()), service_endpoints_);
  int timeout = webhook.value("timeoutSeconds", 10);
  std::string query = "?timeout=" + std::to_string(timeout) + "s";
  if (!target.ok()) return failed("failed to call webhook: " + target.error().message());
  std::string post = "Post \"" + target->url + query + "\": ";
  httplib::SSLClient client(target->host, target->port);
  if (!target->connect_ip.empty()) client.set_hostname_addr_map({{target->host, target->connect_ip}});
  std::string ca = Base64Decode(webhook.value("/clientConfig/caBundle"_json_pointer, "")).value_or("");
  if (!ca.empty()) client.set_ca_cert_store(StoreFromPem(ca));
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(timeout, 0);
  client.set_read_timeout(timeout, 0);
  client.set_write_timeout(timeout, 0);
  client.set_tcp_nodelay(true);
  std::string uid = NewUid();
  httplib::Headers headers = {{"Accept", "application/json, */*"}, {"User-Agent", "kube-apiserver-admission"}};
  auto res = client.Post(target->path + query, headers, BuildReview(a, uid).dump(), "application/json");
  if (!res) {
    auto err = res.error();
    std::string why = httplib::to_string(err);
    if (err == httplib::Error::Read) why = "context deadline exceeded";
    if (err == httplib::Error::Connection)
      why = "dial tcp " + (target->connect_ip.empty() ? target->host : target->connect_ip) + ":" +
            std::to_string(target->port) + ": connect: connection refused";
    if (err == httplib::Error::SSLServerVerification) why = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    return failed("failed to call webhook: " + post + why);
  }
  if (res->status < 200 || res->status > 299)
    return failed("failed to call webhook: the server responded with the status code " +
                  std::to_string(res->status) + " but did not return more information");
  auto review = json::ParseJson(res->body);
  if (!review.ok() || !review->is_object())
    return failed("received invalid webhook response: " + (review.ok() ? std::string("not an object") : review.error().message()));
  if (review->value("apiVersion", "") != "admission.k8s.io/v1" || review->value("kind", "") != "AdmissionReview")
    return failed("received invalid webhook response: expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got " +
                  review->value("apiVersion", "") + ", Kind=" + review->value("kind", ""));
  if (!review->contains("response") || !(*review)["response"].is_object())
    return failed("received invalid webhook response: webhook response was absent");
  const Json& response = (*review)["response"];
  if (response.value("uid", "") != uid)
    return failed("received invalid webhook response: expected response.uid=\"" + uid + "\", got \"" +
                  response.value("uid", "") + "\"");
  if (response.contains("patch") || response.contains("patchType"))
    return failed("received invalid webhook response: validating webhook may not return a patch");
  for (const auto& w : response.value("warnings", Json::array()))
    if (w.is_string()) outcome->warnings.push_back(w);
  const Json audit = response.value("auditAnnotations", Json::object());
  for (const auto& [k, v] : audit.items())
    outcome->audit_annotations[name + "/" + k] = v;
  if (response.value("allowed", false)) return Ok();
  // ToStatusErr (apiserver pkg/admission/plugin/webhook/errors/statuserror.go).
  const Json& status = response.value("status", Json::object());
  int code = status.value("code", 0);
  if (code < 400) code = 400;
  std::string message = status.value("message", "");
  std::string reason = status.value("reason", "");
  std::string text = "admission webhook \"" + name + "\" denied the request";
  if (!message.empty()) text += ": " + message;
  else if (!reason.empty()) text += ": " + reason;
  else text += " without explanation";
  return StatusError(code, reason, text);
}

}  // namespace kargo_token::kube_sim
