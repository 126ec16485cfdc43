// ApiHandlers: dispatch and the read verbs (get, list, watch).
#include <algorithm>
#include <charconv>

#include "tests/kube-sim/handlers_api.h"
#include "tests/kube-sim/handlers_watch.h"
#include "tests/kube-sim/selectors.h"
#include "tests/kube-sim/status.h"
#include "tests/kube-sim/tables.h"
#include "tests/kube-sim/validation.h"

namespace kargo_token::kube_sim {
namespace {

// Upstream's etcd3 store wording for a continue token older than compaction.
const char* kContinueExpired =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter.";

struct ContinueToken {
  uint64_t rv = 0;
  ObjectKey start;
};

std::string EncodeContinue(uint64_t rv, const ObjectKey& key) {
  json::Json j = {{"v", "meta.k8s.io/v1"}, {"rv", rv}, {"ns", key.first}, {"start", key.second}};
  std::string token = Base64Encode(Dump(j));  // base64url without padding, as upstream
  for (char& c : token) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return token.substr(0, token.find('='));
}

Result<ContinueToken> DecodeContinue(const std::string& token) {
  std::string std_token = token;
  for (char& c : std_token) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (std_token.size() % 4) std_token += '=';
  auto bytes = Base64Decode(std_token);
  auto bad = [] { return BadRequestError("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"); };
  if (!bytes) return bad();
  auto parsed = json::ParseJson(*bytes);
  if (!parsed.ok() || !parsed->is_object()) return bad();
  const json::Json& j = *parsed;
  if (!j.contains("rv") || !j["rv"].is_number_unsigned() || !j.contains("ns") ||
      !j["ns"].is_string() || !j.contains("start") || !j["start"].is_string())
    return bad();
  return ContinueToken{j["rv"].get<uint64_t>(), {j["ns"].get<std::string>(), j["start"].get<std::string>()}};
}

Result<uint64_t> ParseUint(const std::string& s, const std::string& field) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    return BadRequestError(field + ": Invalid value: \"" + s + "\": must be a non-negative integer");
  return v;
}

std::string ListKind(const ResourceType& rt) { return rt.kind + "List"; }

// SerializeList writes a List without copying the stored objects.
std::string SerializeList(const ResourceType& rt, const ListPage& page, const std::string& cont) {
  json::Json meta = {{"resourceVersion", std::to_string(page.rv)}};
  if (!cont.empty()) meta["continue"] = cont;
  if (page.more) meta["remainingItemCount"] = page.remaining;
  std::string out = "{\"kind\":\"" + ListKind(rt) + "\",\"apiVersion\":\"" + rt.ApiVersion() +
                    "\",\"metadata\":" + Dump(meta) + ",\"items\":[";
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (i) out += ',';
    out += Dump(*page.items[i]);
  }
  return out + "]}";
}

struct Selection {
  LabelSelector labels;
  FieldSelector fields;
};

Result<Selection> ParseSelection(const ApiRequest& req) {
  Selection s;
  KT_ASSIGN_OR_RETURN(s.labels, LabelSelector::Parse(req.Param("labelSelector")));
  KT_ASSIGN_OR_RETURN(s.fields, FieldSelector::Parse(req.Param("fieldSelector"), *req.rt));
  return s;
}

}  // namespace

Result<Reply> ApiHandlers::Dispatch(const ApiRequest& req,
                                    std::optional<std::chrono::milliseconds> watch_drop) {
  const ResourceType* rt = req.rt;
  if (!rt || !req.path.subresource.empty()) return UnknownPathError();
  if (rt->is_virtual) return MethodNotAllowedError();  // reviews arrive in part 2
  bool has_ns = !req.path.ns.empty();
  if (!rt->namespaced && has_ns) return UnknownPathError();
  if (rt->namespaced && !has_ns && req.verb != "list" && req.verb != "watch")
    return UnknownPathError();
  bool item = !req.path.name.empty();
  if ((req.verb == "create" && item) || ((req.verb == "update" || req.verb == "patch") && !item))
    return MethodNotAllowedError();
  bool allowed = false;
  for (const auto& v : rt->verbs) allowed = allowed || v == req.verb;
  if (!allowed) return MethodNotAllowedError();
  if (req.verb == "get") return Get(req);
  if (req.verb == "list") return List(req);
  if (req.verb == "watch") return Watch(req, watch_drop);
  if (req.verb == "create") return Create(req);
  if (req.verb == "update") return Update(req);
  if (req.verb == "patch") return Patch(req);
  if (req.verb == "delete") return Delete(req);
  if (req.verb == "deletecollection") return DeleteCollection(req);
  return MethodNotAllowedError();
}

Result<Reply> ApiHandlers::Get(const ApiRequest& req) {
  ObjectPtr obj = store_.Get(*req.rt, req.path.ns, req.path.name);
  if (!obj) return NotFoundError(*req.rt, req.path.name);
  Reply reply;
  if (WantsTable(req.accept)) {
    reply.body = MakeTable(*req.rt, {obj}, true, (*obj)["metadata"].value("resourceVersion", ""), "", 0);
  } else {
    reply.raw_body = Dump(*obj);
  }
  return reply;
}

Result<Reply> ApiHandlers::List(const ApiRequest& req) {
  KT_ASSIGN_OR_RETURN(Selection sel, ParseSelection(req));
  ListOptions opts;
  opts.ns = req.path.ns;
  if (!sel.labels.empty() || !sel.fields.empty())
    opts.filter = [&sel](const json::Json& o) { return sel.labels.Matches(o) && sel.fields.Matches(o); };
  if (req.HasParam("limit")) {
    KT_ASSIGN_OR_RETURN(uint64_t limit, ParseUint(req.Param("limit"), "limit"));
    opts.limit = limit;
  }
  if (!req.Param("continue").empty()) {
    KT_ASSIGN_OR_RETURN(ContinueToken token, DecodeContinue(req.Param("continue")));
    if (token.rv < store_.CompactedRv()) return ExpiredError(kContinueExpired);
    opts.has_start = true;
    opts.start_after = token.start;
  }
  ListPage page = store_.List(*req.rt, opts);
  std::string cont = page.more ? EncodeContinue(page.rv, page.last) : "";
  Reply reply;
  if (WantsTable(req.accept)) {
    reply.body = MakeTable(*req.rt, page.items, true, std::to_string(page.rv), cont,
                           page.more ? page.remaining : 0);
  } else {
    reply.raw_body = SerializeList(*req.rt, page, cont);
  }
  return reply;
}

Result<Reply> ApiHandlers::Watch(const ApiRequest& req,
                                 std::optional<std::chrono::milliseconds> drop) {
  KT_ASSIGN_OR_RETURN(Selection sel, ParseSelection(req));
  WatchSpec spec;
  spec.rt = req.rt;
  spec.ns = req.path.ns;
  spec.labels = sel.labels;
  spec.fields = sel.fields;
  spec.table = WantsTable(req.accept);
  spec.bookmarks = ParseBool(req.Param("allowWatchBookmarks")).value_or(false);
  spec.bookmark_interval = options_.bookmark_interval;
  std::chrono::seconds timeout = options_.default_watch_timeout;
  if (req.HasParam("timeoutSeconds")) {
    KT_ASSIGN_OR_RETURN(uint64_t t, ParseUint(req.Param("timeoutSeconds"), "timeoutSeconds"));
    timeout = std::chrono::seconds(std::min<uint64_t>(t, 24 * 3600));
  }
  spec.deadline = std::chrono::steady_clock::now() + timeout;
  if (drop) spec.deadline = std::min(spec.deadline, std::chrono::steady_clock::now() + *drop);
  std::string rv = req.Param("resourceVersion");
  if (rv.empty() || rv == "0") {
    ListOptions opts;
    opts.ns = spec.ns;
    ListPage page = store_.List(*req.rt, opts);
    auto watch = std::make_shared<StoreWatch>(store_, spec);
    for (const auto& o : page.items)
      if (watch->Matches(*o)) spec.initial.push_back(o);
    spec.start_rv = page.rv;
  } else {
    KT_ASSIGN_OR_RETURN(spec.start_rv, ParseUint(rv, "resourceVersion"));
  }
  Reply reply;
  reply.watch = std::make_shared<StoreWatch>(store_, std::move(spec));
  return reply;
}

}  // namespace kargo_token::kube_sim
