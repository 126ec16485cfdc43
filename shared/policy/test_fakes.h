// Test-only fakes and builders for the policy tests (header-only, included by
// *_test.cc files only).
#ifndef KARGO_TOKEN_SHARED_POLICY_TEST_FAKES_H_
#define KARGO_TOKEN_SHARED_POLICY_TEST_FAKES_H_

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shared/admission/review.h"
#include "shared/kargo/labels.h"
#include "shared/kargo/token.h"
#include "shared/policy/lookup.h"
#include "shared/policy/policy.h"

namespace kargo_token::policy::test {

using json::Json;

// FakeLookup serves ServiceAccounts and governed namespaces from maps and
// counts calls; `sa_error`/`ns_error` make the lookups fail.
class FakeLookup : public RoleLookup {
 public:
  FakeLookup& AddSa(const std::string& ns, const std::string& name, ServiceAccountInfo sa) {
    sas_[ns + "/" + name] = std::move(sa);
    return *this;
  }
  FakeLookup& AddSystemRole(const std::string& ns, const std::string& name,
                            const std::string& uid) {
    return AddSa(ns, name, {uid, {{std::string(kargo::kLabelSystemRole), "true"}}, {}});
  }
  FakeLookup& AddProjectRole(const std::string& ns, const std::string& name,
                             const std::string& uid) {
    return AddSa(ns, name, {uid, {}, {{std::string(kargo::kAnnotationManaged), "true"}}});
  }
  FakeLookup& Govern(const std::string& ns) {
    governed_.insert(ns);
    return *this;
  }

  Result<std::optional<ServiceAccountInfo>> GetServiceAccount(std::string_view ns,
                                                              std::string_view name) override {
    ++sa_calls;
    if (sa_error) return *sa_error;
    auto it = sas_.find(std::string(ns) + "/" + std::string(name));
    if (it == sas_.end()) return std::optional<ServiceAccountInfo>();
    return std::optional<ServiceAccountInfo>(it->second);
  }
  Result<bool> IsGovernedNamespace(std::string_view ns) override {
    ++ns_calls;
    if (ns_error) return *ns_error;
    return governed_.count(std::string(ns)) > 0;
  }

  int sa_calls = 0;
  int ns_calls = 0;
  std::optional<Error> sa_error;
  std::optional<Error> ns_error;

 private:
  std::map<std::string, ServiceAccountInfo> sas_;
  std::set<std::string> governed_;
};

// NoLookup fails the test when asked anything: the fast paths must not look.
class NoLookup : public RoleLookup, public AccessChecker {
 public:
  Result<std::optional<ServiceAccountInfo>> GetServiceAccount(std::string_view,
                                                              std::string_view) override {
    ADD_FAILURE() << "GetServiceAccount called on a path that must not look anything up";
    return Error::Internal("unexpected lookup");
  }
  Result<bool> IsGovernedNamespace(std::string_view) override {
    ADD_FAILURE() << "IsGovernedNamespace called on a path that must not look anything up";
    return Error::Internal("unexpected lookup");
  }
  Result<bool> CanCreateToken(const admission::UserInfo&, std::string_view,
                              std::string_view) override {
    ADD_FAILURE() << "CanCreateToken called on a path that must not check access";
    return Error::Internal("unexpected access check");
  }
};

// FakeAccess answers `allowed` (or `error`) and records the questions.
class FakeAccess : public AccessChecker {
 public:
  explicit FakeAccess(bool allowed = true) : allowed(allowed) {}
  Result<bool> CanCreateToken(const admission::UserInfo& user, std::string_view ns,
                              std::string_view sa) override {
    calls.push_back({user.username, std::string(ns), std::string(sa)});
    if (error) return *error;
    return allowed;
  }
  struct Call {
    std::string user, ns, sa;
  };
  bool allowed;
  std::optional<Error> error;
  std::vector<Call> calls;
};

// SecretBuilder starts from the token Secret Kargo builds (BuildTokenSecret).
class SecretBuilder {
 public:
  SecretBuilder(const std::string& ns, const std::string& name, const std::string& role,
                const std::string& sa_uid)
      : obj_(kargo::BuildTokenSecret(ns, name, role, sa_uid)) {}
  SecretBuilder& Token(const std::string& base64) {
    obj_["data"]["token"] = base64;
    return *this;
  }
  SecretBuilder& Annotation(const std::string& key, const std::string& value) {
    obj_["metadata"]["annotations"][key] = value;
    return *this;
  }
  SecretBuilder& RemoveAnnotation(const std::string& key) {
    obj_["metadata"]["annotations"].erase(key);
    return *this;
  }
  SecretBuilder& Label(const std::string& key, const std::string& value) {
    obj_["metadata"]["labels"][key] = value;
    return *this;
  }
  SecretBuilder& RemoveLabel(const std::string& key) {
    obj_["metadata"]["labels"].erase(key);
    return *this;
  }
  SecretBuilder& NoOwner() {
    obj_["metadata"].erase("ownerReferences");
    return *this;
  }
  SecretBuilder& Owner(const std::string& name, const std::string& uid) {
    obj_["metadata"]["ownerReferences"] =
        Json::array({{{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"name", name},
                      {"uid", uid}}});
    return *this;
  }
  SecretBuilder& Immutable() {
    obj_["immutable"] = true;
    return *this;
  }
  SecretBuilder& Type(const std::string& type) {
    obj_["type"] = type;
    return *this;
  }
  SecretBuilder& Set(const std::string& pointer, Json value) {
    obj_[Json::json_pointer(pointer)] = std::move(value);
    return *this;
  }
  Json Build() const { return obj_; }

 private:
  Json obj_;
};

inline admission::UserInfo User(const std::string& name, std::vector<std::string> groups = {}) {
  admission::UserInfo u;
  u.username = name;
  u.uid = "uid-" + name;
  u.groups = std::move(groups);
  u.groups.push_back("system:authenticated");
  return u;
}

inline admission::AdmissionRequest Request(std::string_view op, const Json& object,
                                           const Json& old_object,
                                           const admission::UserInfo& user) {
  admission::AdmissionRequest r;
  r.uid = "req-1";
  r.kind = {"", "v1", "Secret"};
  r.resource = {"", "v1", "secrets"};
  r.operation = std::string(op);
  r.user_info = user;
  r.object = object;
  r.old_object = old_object;
  const Json& subject = object.is_null() ? old_object : object;
  r.name = subject["metadata"].value("name", "");
  r.namespace_name = subject["metadata"].value("namespace", "");
  return r;
}

inline admission::AdmissionRequest Create(const Json& object, const admission::UserInfo& user) {
  return Request(admission::kCreate, object, Json(), user);
}
inline admission::AdmissionRequest Update(const Json& old_object, const Json& object,
                                          const admission::UserInfo& user) {
  return Request(admission::kUpdate, object, old_object, user);
}
inline admission::AdmissionRequest Delete(const Json& old_object,
                                          const admission::UserInfo& user) {
  return Request(admission::kDelete, Json(), old_object, user);
}

// PolicyTestBase: a cluster with the system role kargo/kargo-admin, the
// non-system SA kargo/plain, the managed project role demo/ci and the
// unmanaged demo/unmanaged; namespace demo is governed.
class PolicyTestBase : public ::testing::Test {
 protected:
  PolicyTestBase() {
    lookup_.AddSystemRole("kargo", "kargo-admin", "uid-admin")
        .AddSa("kargo", "plain", {"uid-plain", {}, {}})
        .AddProjectRole("demo", "ci", "uid-ci")
        .AddSa("demo", "unmanaged", {"uid-unmanaged", {}, {}})
        .Govern("demo");
  }
  Decision Eval(const admission::AdmissionRequest& r) {
    return Evaluate(r, config_, lookup_, access_);
  }
  static SecretBuilder SystemToken(const std::string& name = "admin-token-1") {
    return SecretBuilder("kargo", name, "kargo-admin", "uid-admin");
  }
  static SecretBuilder ProjectToken(const std::string& name = "ci-token-1") {
    return SecretBuilder("demo", name, "ci", "uid-ci");
  }

  PolicyConfig config_;
  FakeLookup lookup_;
  FakeAccess access_;
  admission::UserInfo alice_ = User("alice");
};

}  // namespace kargo_token::policy::test

#endif  // KARGO_TOKEN_SHARED_POLICY_TEST_FAKES_H_
