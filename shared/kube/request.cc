#include "shared/kube/request.h"

#include <algorithm>
#include <cctype>

namespace kargo_token::kube {
namespace {

constexpr std::string_view kJson = "application/json";

// PathSegmentProblems follows apimachinery's IsValidPathSegmentName.
std::vector<std::string> PathSegmentProblems(std::string_view segment) {
  if (segment == ".") return {"may not be '.'"};
  if (segment == "..") return {"may not be '..'"};
  std::vector<std::string> problems;
  if (segment.find('/') != std::string_view::npos) problems.push_back("may not contain '/'");
  if (segment.find('%') != std::string_view::npos) problems.push_back("may not contain '%'");
  return problems;
}

// CheckSegment returns client-go's message: invalid <what> "x": [problems].
Result<void> CheckSegment(std::string_view what, std::string_view segment) {
  std::vector<std::string> problems = PathSegmentProblems(segment);
  if (problems.empty()) return Ok();
  std::string list;
  for (const std::string& p : problems) list += (list.empty() ? "" : ", ") + p;
  return Error::InvalidArgument("invalid " + std::string(what) + " \"" + std::string(segment) +
                                "\": [" + list + "]");
}

Result<void> CheckRef(const ResourceRef& ref) {
  if (ref.resource.empty()) return Error::InvalidArgument("resource must be set in the request");
  if (ref.version.empty()) return Error::InvalidArgument("version must be set in the request");
  if (!ref.subresource.empty() && ref.name.empty())
    return Error::InvalidArgument("subresource \"" + ref.subresource + "\" requires a resource name");
  KT_RETURN_IF_ERROR(CheckSegment("namespace", ref.namespace_name));
  KT_RETURN_IF_ERROR(CheckSegment("resource name", ref.name));
  KT_RETURN_IF_ERROR(CheckSegment("resource", ref.resource));
  return CheckSegment("subresource", ref.subresource);
}

Result<void> RequireName(const ResourceRef& ref, std::string_view verb) {
  if (ref.name.empty())
    return Error::InvalidArgument("resource name may not be empty (" + std::string(verb) + " " +
                                  ref.resource + ")");
  return Ok();
}

Result<HttpRequest> NewRequest(std::string method, const ResourceRef& ref, const Query& query) {
  KT_ASSIGN_OR_RETURN(std::string path, ResourcePath(ref));
  HttpRequest request;
  request.method = std::move(method);
  request.path = path + query.Encode();
  request.headers.emplace_back("Accept", std::string(kJson));
  return request;
}

void AddWriteOptions(const WriteOptions& options, Query& query) {
  if (options.dry_run) query.Add("dryRun", "All");
  if (!options.field_manager.empty()) query.Add("fieldManager", options.field_manager);
  if (!options.field_validation.empty()) query.Add("fieldValidation", options.field_validation);
}

void SetBody(HttpRequest& request, std::string body, std::string_view content_type) {
  request.body = std::move(body);
  request.headers.emplace_back("Content-Type", std::string(content_type));
}

}  // namespace

std::string_view ContentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge: return "application/merge-patch+json";
    case PatchType::kJson: return "application/json-patch+json";
    case PatchType::kStrategicMerge: return "application/strategic-merge-patch+json";
    case PatchType::kApply: return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

void Query::Add(std::string key, std::string value) {
  params_.emplace_back(std::move(key), std::move(value));
}

std::string Query::Encode() const {
  if (params_.empty()) return "";
  auto sorted = params_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, value] : sorted) {
    out += out.empty() ? '?' : '&';
    out += QueryEscape(key) + "=" + QueryEscape(value);
  }
  return out;
}

Result<std::string> ResourcePath(const ResourceRef& ref) {
  KT_RETURN_IF_ERROR(CheckRef(ref));
  std::string path = ref.group.empty() ? "/api/" + ref.version
                                       : "/apis/" + ref.group + "/" + ref.version;
  if (!ref.namespace_name.empty()) path += "/namespaces/" + ref.namespace_name;
  path += "/" + ref.resource;
  if (!ref.name.empty()) path += "/" + ref.name;
  if (!ref.subresource.empty()) path += "/" + ref.subresource;
  return path;
}

Result<HttpRequest> BuildGet(const ResourceRef& ref) {
  KT_RETURN_IF_ERROR(RequireName(ref, "get"));
  return NewRequest("GET", ref, Query());
}

Result<HttpRequest> BuildList(const ResourceRef& ref, const ListOptions& options) {
  Query query;
  if (!options.label_selector.empty()) query.Add("labelSelector", options.label_selector);
  if (!options.field_selector.empty()) query.Add("fieldSelector", options.field_selector);
  if (options.limit > 0) query.Add("limit", std::to_string(options.limit));
  if (!options.continue_token.empty()) query.Add("continue", options.continue_token);
  if (!options.resource_version.empty()) query.Add("resourceVersion", options.resource_version);
  if (options.timeout_seconds > 0)
    query.Add("timeoutSeconds", std::to_string(options.timeout_seconds));
  return NewRequest("GET", ref, query);
}

Result<HttpRequest> BuildWatch(const ResourceRef& ref, const WatchOptions& options) {
  Query query;
  query.Add("watch", "true");
  if (options.allow_watch_bookmarks) query.Add("allowWatchBookmarks", "true");
  if (!options.label_selector.empty()) query.Add("labelSelector", options.label_selector);
  if (!options.field_selector.empty()) query.Add("fieldSelector", options.field_selector);
  if (!options.resource_version.empty()) query.Add("resourceVersion", options.resource_version);
  if (options.timeout_seconds > 0)
    query.Add("timeoutSeconds", std::to_string(options.timeout_seconds));
  return NewRequest("GET", ref, query);
}

Result<HttpRequest> BuildCreate(const ResourceRef& ref, const json::Json& body,
                                const WriteOptions& options) {
  Query query;
  AddWriteOptions(options, query);
  KT_ASSIGN_OR_RETURN(HttpRequest request, NewRequest("POST", ref, query));
  SetBody(request, body.dump(), kJson);
  return request;
}

Result<HttpRequest> BuildUpdate(const ResourceRef& ref, const json::Json& body,
                                const WriteOptions& options) {
  KT_RETURN_IF_ERROR(RequireName(ref, "update"));
  Query query;
  AddWriteOptions(options, query);
  KT_ASSIGN_OR_RETURN(HttpRequest request, NewRequest("PUT", ref, query));
  SetBody(request, body.dump(), kJson);
  return request;
}

Result<HttpRequest> BuildPatch(const ResourceRef& ref, PatchType type, std::string body,
                               const WriteOptions& options) {
  KT_RETURN_IF_ERROR(RequireName(ref, "patch"));
  if (type == PatchType::kApply && options.field_manager.empty())
    return Error::InvalidArgument(
        "fieldManager is required for apply patch (set WriteOptions.field_manager)");
  Query query;
  AddWriteOptions(options, query);
  if (options.force && type == PatchType::kApply) query.Add("force", "true");
  KT_ASSIGN_OR_RETURN(HttpRequest request, NewRequest("PATCH", ref, query));
  SetBody(request, std::move(body), ContentType(type));
  return request;
}

json::Json DeleteOptionsBody(const DeleteOptions& options) {
  json::Json body = json::Json::object();
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
  if (options.precondition_uid) body["preconditions"]["uid"] = *options.precondition_uid;
  if (options.precondition_resource_version)
    body["preconditions"]["resourceVersion"] = *options.precondition_resource_version;
  if (options.dry_run) body["dryRun"] = json::Json::array({"All"});
  return body;
}

Result<HttpRequest> BuildDelete(const ResourceRef& ref, const DeleteOptions& options) {
  KT_RETURN_IF_ERROR(RequireName(ref, "delete"));
  KT_ASSIGN_OR_RETURN(HttpRequest request, NewRequest("DELETE", ref, Query()));
  SetBody(request, DeleteOptionsBody(options).dump(), kJson);
  return request;
}

}  // namespace kargo_token::kube
