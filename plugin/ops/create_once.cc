#include "plugin/ops/create_once.h"

#include "shared/kargo/meta.h"

namespace kargo_token::plugin::ops {

bool OutcomeUnknown(const Error& error) {
  if (error.code() == ErrorCode::kCancelled) return false;
  return !error.api_status() || error.api_status()->code == 504;
}

Result<json::Json> CreateOnce(kube::Client& client, const kube::ResourceRef& collection,
                              const json::Json& object) {
  kube::ResourceRef item = collection;
  item.name = kargo::Name(object);
  KT_ASSIGN_OR_RETURN(std::optional<json::Json> before, client.GetOptional(item));
  auto made = client.Create(collection, object);
  // An answer that is not the object (an empty 200 from a cut connection or
  // a proxy decodes as {}) tells nothing: treat it as lost.
  if (made.ok() && kargo::Name(*made) != item.name) {
    made = Error::Unavailable("unexpected answer from the API server (not the created " +
                              kargo::StringField(object, "kind") + ")");
  }
  if (made.ok() || before || !OutcomeUnknown(made.error())) return made;
  std::string what = kargo::StringField(object, "kind") + " \"" + item.name + "\"";
  auto after = client.GetOptional(item);
  if (after.ok() && !*after) return made;  // the request never took effect
  if (after.ok()) {
    kube::DeleteOptions options;
    options.precondition_uid =
        kargo::StringField((*after)->value("metadata", json::Json::object()), "uid");
    auto deleted = client.Delete(item, options);
    if (deleted.ok() || deleted.error().IsNotFound()) {
      return made.error().Wrap("creating " + what + " (the answer was lost; the object it made "
                               "was removed again)");
    }
  }
  return made.error().Wrap("creating " + what + " (the answer was lost and the object may exist: "
                           "check it and delete it if it is not wanted)");
}

}  // namespace kargo_token::plugin::ops
