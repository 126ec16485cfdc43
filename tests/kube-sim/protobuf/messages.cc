#include "tests/kube-sim/protobuf/messages.h"

#include <map>

namespace kargo_token::kube_sim {
namespace {

using T = FieldType;

FieldSpec Str(uint32_t n, const char* name) { return {n, name, T::kString}; }
FieldSpec Strs(uint32_t n, const char* name) { return {n, name, T::kString, true}; }
FieldSpec Msg(uint32_t n, const char* name, const MessageSpec& m) {
  return {n, name, T::kMessage, false, &m};
}
FieldSpec Msgs(uint32_t n, const char* name, const MessageSpec& m) {
  return {n, name, T::kMessage, true, &m};
}
FieldSpec OptBool(uint32_t n, const char* name) { return {n, name, T::kBool, false, nullptr, true}; }

// meta/v1 ---------------------------------------------------------------------
const MessageSpec kFieldsV1{"FieldsV1", {{1, "raw", T::kRawJson}}};
const MessageSpec kManagedFieldsEntry{
    "ManagedFieldsEntry",
    {Str(1, "manager"), Str(2, "operation"), Str(3, "apiVersion"), {4, "time", T::kTime},
     Str(6, "fieldsType"), Msg(7, "fieldsV1", kFieldsV1), Str(8, "subresource")}};
const MessageSpec kOwnerReference{
    "OwnerReference",
    {Str(1, "kind"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), OptBool(6, "controller"),
     OptBool(7, "blockOwnerDeletion")}};
const MessageSpec kObjectMeta{
    "ObjectMeta",
    {Str(1, "name"), Str(2, "generateName"), Str(3, "namespace"), Str(4, "selfLink"), Str(5, "uid"),
     Str(6, "resourceVersion"), {7, "generation", T::kInt64},
     {8, "creationTimestamp", T::kTime}, {9, "deletionTimestamp", T::kTime},
     {10, "deletionGracePeriodSeconds", T::kInt64, false, nullptr, true},
     {11, "labels", T::kStringMap}, {12, "annotations", T::kStringMap},
     Msgs(13, "ownerReferences", kOwnerReference), Strs(14, "finalizers"),
     Msgs(17, "managedFields", kManagedFieldsEntry)}};
const MessageSpec kLabelSelectorRequirement{
    "LabelSelectorRequirement", {Str(1, "key"), Str(2, "operator"), Strs(3, "values")}};
const MessageSpec kLabelSelector{
    "LabelSelector",
    {{1, "matchLabels", T::kStringMap}, Msgs(2, "matchExpressions", kLabelSelectorRequirement)}};

// core/v1 ---------------------------------------------------------------------
const MessageSpec kObjectReference{
    "ObjectReference",
    {Str(1, "kind"), Str(2, "namespace"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"),
     Str(6, "resourceVersion"), Str(7, "fieldPath")}};
const MessageSpec kLocalObjectReference{"LocalObjectReference", {Str(1, "name")}};
const MessageSpec kSecret{
    "Secret",
    {Msg(1, "metadata", kObjectMeta), {2, "data", T::kBytesMap}, Str(3, "type"),
     {4, "stringData", T::kStringMap}, OptBool(5, "immutable")}};
const MessageSpec kServiceAccount{
    "ServiceAccount",
    {Msg(1, "metadata", kObjectMeta), Msgs(2, "secrets", kObjectReference),
     Msgs(3, "imagePullSecrets", kLocalObjectReference), OptBool(4, "automountServiceAccountToken")}};
const MessageSpec kNamespaceSpec{"NamespaceSpec", {Strs(1, "finalizers")}};
const MessageSpec kNamespaceStatus{"NamespaceStatus", {Str(1, "phase")}};
const MessageSpec kNamespace{
    "Namespace",
    {Msg(1, "metadata", kObjectMeta), Msg(2, "spec", kNamespaceSpec), Msg(3, "status", kNamespaceStatus)}};
const MessageSpec kConfigMap{
    "ConfigMap",
    {Msg(1, "metadata", kObjectMeta), {2, "data", T::kStringMap}, {3, "binaryData", T::kBytesMap},
     OptBool(4, "immutable")}};

// rbac/v1 ---------------------------------------------------------------------
const MessageSpec kPolicyRule{
    "PolicyRule",
    {Strs(1, "verbs"), Strs(2, "apiGroups"), Strs(3, "resources"), Strs(4, "resourceNames"),
     Strs(5, "nonResourceURLs")}};
const MessageSpec kAggregationRule{"AggregationRule", {Msgs(1, "clusterRoleSelectors", kLabelSelector)}};
const MessageSpec kRole{"Role", {Msg(1, "metadata", kObjectMeta), Msgs(2, "rules", kPolicyRule)}};
const MessageSpec kClusterRole{
    "ClusterRole",
    {Msg(1, "metadata", kObjectMeta), Msgs(2, "rules", kPolicyRule),
     Msg(3, "aggregationRule", kAggregationRule)}};
const MessageSpec kSubject{
    "Subject", {Str(1, "kind"), Str(2, "apiGroup"), Str(3, "name"), Str(4, "namespace")}};
const MessageSpec kRoleRef{"RoleRef", {Str(1, "apiGroup"), Str(2, "kind"), Str(3, "name")}};
const MessageSpec kRoleBinding{
    "RoleBinding",
    {Msg(1, "metadata", kObjectMeta), Msgs(2, "subjects", kSubject), Msg(3, "roleRef", kRoleRef)}};
const MessageSpec kClusterRoleBinding{"ClusterRoleBinding", kRoleBinding.fields};

// authorization/v1 ------------------------------------------------------------
const MessageSpec kSelectorRequirement{
    "FieldSelectorRequirement", {Str(1, "key"), Str(2, "operator"), Strs(3, "values")}};
const MessageSpec kSelectorAttributes{
    "SelectorAttributes", {Str(1, "rawSelector"), Msgs(2, "requirements", kSelectorRequirement)}};
const MessageSpec kResourceAttributes{
    "ResourceAttributes",
    {Str(1, "namespace"), Str(2, "verb"), Str(3, "group"), Str(4, "version"), Str(5, "resource"),
     Str(6, "subresource"), Str(7, "name"), Msg(8, "fieldSelector", kSelectorAttributes),
     Msg(9, "labelSelector", kSelectorAttributes)}};
const MessageSpec kNonResourceAttributes{"NonResourceAttributes", {Str(1, "path"), Str(2, "verb")}};
const MessageSpec kSelfSubjectAccessReviewSpec{
    "SelfSubjectAccessReviewSpec",
    {Msg(1, "resourceAttributes", kResourceAttributes),
     Msg(2, "nonResourceAttributes", kNonResourceAttributes)}};
const MessageSpec kSelfSubjectAccessReview{
    "SelfSubjectAccessReview",
    {Msg(1, "metadata", kObjectMeta), Msg(2, "spec", kSelfSubjectAccessReviewSpec)}};
const MessageSpec kSubjectAccessReviewSpec{
    "SubjectAccessReviewSpec",
    {Msg(1, "resourceAttributes", kResourceAttributes),
     Msg(2, "nonResourceAttributes", kNonResourceAttributes), Str(3, "user"), Strs(4, "groups"),
     {5, "extra", T::kStringListMap}, Str(6, "uid")}};
const MessageSpec kSubjectAccessReview{
    "SubjectAccessReview",
    {Msg(1, "metadata", kObjectMeta), Msg(2, "spec", kSubjectAccessReviewSpec)}};

// authentication/v1 -----------------------------------------------------------
const MessageSpec kSelfSubjectReview{"SelfSubjectReview", {Msg(1, "metadata", kObjectMeta)}};
const MessageSpec kBoundObjectReference{
    "BoundObjectReference", {Str(1, "kind"), Str(2, "apiVersion"), Str(3, "name"), Str(4, "uid")}};
const MessageSpec kTokenRequestSpec{
    "TokenRequestSpec",
    {Strs(1, "audiences"), Msg(3, "boundObjectRef", kBoundObjectReference),
     {4, "expirationSeconds", T::kInt64, false, nullptr, true}}};
const MessageSpec kTokenRequest{
    "TokenRequest", {Msg(1, "metadata", kObjectMeta), Msg(2, "spec", kTokenRequestSpec)}};
const MessageSpec kTokenReviewSpec{"TokenReviewSpec", {Str(1, "token"), Strs(2, "audiences")}};
const MessageSpec kTokenReview{
    "TokenReview", {Msg(1, "metadata", kObjectMeta), Msg(2, "spec", kTokenReviewSpec)}};

}  // namespace

const MessageSpec* TopLevelSpec(const std::string& kind) {
  static const std::map<std::string, const MessageSpec*> kByKind = {
      {"Secret", &kSecret},
      {"ServiceAccount", &kServiceAccount},
      {"Namespace", &kNamespace},
      {"ConfigMap", &kConfigMap},
      {"Role", &kRole},
      {"ClusterRole", &kClusterRole},
      {"RoleBinding", &kRoleBinding},
      {"ClusterRoleBinding", &kClusterRoleBinding},
      {"SelfSubjectAccessReview", &kSelfSubjectAccessReview},
      {"SubjectAccessReview", &kSubjectAccessReview},
      {"SelfSubjectReview", &kSelfSubjectReview},
      {"TokenRequest", &kTokenRequest},
      {"TokenReview", &kTokenReview},
  };
  auto it = kByKind.find(kind);
  return it == kByKind.end() ? nullptr : it->second;
}

}  // namespace kargo_token::kube_sim
