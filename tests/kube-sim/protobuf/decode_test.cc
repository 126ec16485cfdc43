#include "tests/kube-sim/protobuf/decode.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube_sim {
namespace {

using json::Json;

// Pb is a tiny protobuf encoder for building test bodies.
class Pb {
 public:
  Pb& Varint(uint32_t field, uint64_t v) {
    Raw((field << 3) | 0);
    Raw(v);
    return *this;
  }
  Pb& Bytes(uint32_t field, std::string_view s) {
    Raw((field << 3) | 2);
    Raw(s.size());
    out_.append(s);
    return *this;
  }
  Pb& Msg(uint32_t field, const Pb& m) { return Bytes(field, m.out_); }
  Pb& Entry(uint32_t field, std::string_view k, std::string_view v) {
    return Msg(field, Pb().Bytes(1, k).Bytes(2, v));
  }
  Pb& Append(std::string_view raw) {
    out_.append(raw);
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  void Raw(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  std::string out_;
};

std::string Envelope(std::string_view api_version, std::string_view kind, const Pb& raw) {
  Pb unknown;
  unknown.Msg(1, Pb().Bytes(1, api_version).Bytes(2, kind)).Msg(2, raw).Bytes(3, "").Bytes(4, "");
  return std::string("k8s\0", 4) + unknown.str();
}

struct DecodeCase {
  const char* name;
  std::string body;
  const char* want;
};

std::vector<DecodeCase> Cases() {
  Pb meta_foo = Pb().Bytes(1, "foo").Bytes(2, "").Bytes(3, "x").Varint(7, 0);
  return {
      // kubectl 1.32 `create secret generic foo -n x --from-literal=a=b`: type "" on the wire.
      {"KubectlCreateSecret",
       Envelope("v1", "Secret", Pb().Msg(1, meta_foo).Entry(2, "a", "b").Bytes(3, "")),
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"foo","namespace":"x"},"data":{"a":"Yg=="}})"},
      {"SecretBinaryDataStringDataImmutable",
       Envelope("v1", "Secret",
                Pb().Msg(1, Pb().Bytes(1, "s")).Entry(2, "bin", std::string("\0\xff\x10", 3))
                    .Entry(4, "p", "hunter2").Varint(5, 0).Bytes(3, "kubernetes.io/tls")),
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"bin":"AP8Q"},
           "stringData":{"p":"hunter2"},"immutable":false,"type":"kubernetes.io/tls"})"},
      {"KubectlCreateNamespace",
       Envelope("v1", "Namespace", Pb().Msg(1, Pb().Bytes(1, "ns1")).Msg(2, Pb()).Msg(3, Pb())),
       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns1"},"spec":{},"status":{}})"},
      {"NamespaceFinalizers",
       Envelope("v1", "Namespace", Pb().Msg(2, Pb().Bytes(1, "kubernetes").Bytes(1, "x/y"))),
       R"({"apiVersion":"v1","kind":"Namespace","spec":{"finalizers":["kubernetes","x/y"]}})"},
      {"ServiceAccountWithReferences",
       Envelope("v1", "ServiceAccount",
                Pb().Msg(1, Pb().Bytes(1, "sa").Bytes(3, "x"))
                    .Msg(2, Pb().Bytes(1, "Secret").Bytes(3, "tok"))
                    .Msg(3, Pb().Bytes(1, "reg"))
                    .Varint(4, 0)),
       R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"x"},
           "secrets":[{"kind":"Secret","name":"tok"}],"imagePullSecrets":[{"name":"reg"}],
           "automountServiceAccountToken":false})"},
      {"ConfigMap",
       Envelope("v1", "ConfigMap", Pb().Entry(2, "k", "v").Entry(3, "b", "hi").Varint(4, 1)),
       R"({"apiVersion":"v1","kind":"ConfigMap","data":{"k":"v"},"binaryData":{"b":"aGk="},"immutable":true})"},
      {"ObjectMetaFull",
       Envelope("v1", "Secret",
                Pb().Msg(1, Pb().Bytes(2, "gen-").Bytes(5, "u-1").Bytes(6, "42").Varint(7, 3)
                                .Msg(8, Pb().Varint(1, 1700000000).Varint(2, 5))
                                .Entry(11, "app", "demo").Entry(12, "note", "n")
                                .Msg(13, Pb().Bytes(1, "ServiceAccount").Bytes(3, "sa").Bytes(4, "u-2")
                                             .Bytes(5, "v1").Varint(6, 1).Varint(7, 0))
                                .Bytes(14, "example.com/f1"))),
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"generateName":"gen-","uid":"u-1",
           "resourceVersion":"42","generation":3,"creationTimestamp":"2023-11-14T22:13:20Z",
           "labels":{"app":"demo"},"annotations":{"note":"n"},
           "ownerReferences":[{"kind":"ServiceAccount","name":"sa","uid":"u-2","apiVersion":"v1",
                               "controller":true,"blockOwnerDeletion":false}],
           "finalizers":["example.com/f1"]}})"},
      {"ClusterRole",
       Envelope("rbac.authorization.k8s.io/v1", "ClusterRole",
                Pb().Msg(1, Pb().Bytes(1, "r"))
                    .Msg(2, Pb().Bytes(1, "get").Bytes(1, "list").Bytes(2, "").Bytes(3, "secrets")
                                .Bytes(4, "s1"))
                    .Msg(2, Pb().Bytes(1, "get").Bytes(5, "/healthz"))
                    .Msg(3, Pb().Msg(1, Pb().Entry(1, "agg", "true")))),
       R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"r"},
           "rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["secrets"],"resourceNames":["s1"]},
                    {"verbs":["get"],"nonResourceURLs":["/healthz"]}],
           "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"agg":"true"}}]}})"},
      {"RoleBinding",
       Envelope("rbac.authorization.k8s.io/v1", "RoleBinding",
                Pb().Msg(1, Pb().Bytes(1, "rb"))
                    .Msg(2, Pb().Bytes(1, "ServiceAccount").Bytes(2, "").Bytes(3, "sa").Bytes(4, "x"))
                    .Msg(3, Pb().Bytes(1, "rbac.authorization.k8s.io").Bytes(2, "Role").Bytes(3, "r"))),
       R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb"},
           "subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"x"}],
           "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}})"},
      {"ClusterRoleBinding",
       Envelope("rbac.authorization.k8s.io/v1", "ClusterRoleBinding",
                Pb().Msg(3, Pb().Bytes(2, "ClusterRole").Bytes(3, "view"))),
       R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding",
           "roleRef":{"kind":"ClusterRole","name":"view"}})"},
      // kubectl auth can-i get secrets -n x
      {"KubectlAuthCanI",
       Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                Pb().Msg(1, Pb()).Msg(2, Pb().Msg(1, Pb().Bytes(1, "x").Bytes(2, "get").Bytes(3, "")
                                                       .Bytes(4, "").Bytes(5, "secrets").Bytes(6, "")
                                                       .Bytes(7, "")))
                    .Msg(3, Pb())),
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
           "spec":{"resourceAttributes":{"namespace":"x","verb":"get","resource":"secrets"}}})"},
      {"NonResourceCanI",
       Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                Pb().Msg(2, Pb().Msg(2, Pb().Bytes(1, "/healthz").Bytes(2, "get")))),
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
           "spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}}})"},
      {"SubjectAccessReview",
       Envelope("authorization.k8s.io/v1", "SubjectAccessReview",
                Pb().Msg(2, Pb().Msg(1, Pb().Bytes(2, "list").Bytes(5, "secrets"))
                                .Bytes(3, "alice").Bytes(4, "g1").Bytes(4, "g2")
                                .Msg(5, Pb().Bytes(1, "scopes").Msg(2, Pb().Bytes(1, "a").Bytes(1, "b")))
                                .Bytes(6, "uid-1"))),
       R"({"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
           "spec":{"resourceAttributes":{"verb":"list","resource":"secrets"},"user":"alice",
                   "groups":["g1","g2"],"extra":{"scopes":["a","b"]},"uid":"uid-1"}})"},
      {"KubectlAuthWhoami",
       Envelope("authentication.k8s.io/v1", "SelfSubjectReview", Pb().Msg(1, Pb()).Msg(2, Pb())),
       R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{}})"},
      {"KubectlCreateToken",
       Envelope("authentication.k8s.io/v1", "TokenRequest",
                Pb().Msg(1, Pb().Bytes(1, "sa").Bytes(3, "x"))
                    .Msg(2, Pb().Bytes(1, "https://kubernetes.default.svc").Varint(4, 3600)
                                .Msg(3, Pb().Bytes(1, "Secret").Bytes(2, "v1").Bytes(3, "s").Bytes(4, "u")))),
       R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"sa","namespace":"x"},
           "spec":{"audiences":["https://kubernetes.default.svc"],"expirationSeconds":3600,
                   "boundObjectRef":{"kind":"Secret","apiVersion":"v1","name":"s","uid":"u"}}})"},
      {"TokenReview",
       Envelope("authentication.k8s.io/v1", "TokenReview",
                Pb().Msg(2, Pb().Bytes(1, "tok").Bytes(2, "aud"))),
       R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"tok","audiences":["aud"]}})"},
      {"UnknownFieldsAreSkipped",
       Envelope("v1", "Secret",
                Pb().Varint(99, 7).Bytes(98, "zz").Append("\x9d\x06\x01\x02\x03\x04")  // 99 fixed32
                    .Append("\x99\x06\x01\x02\x03\x04\x05\x06\x07\x08")                 // 99 fixed64
                    .Msg(1, Pb().Bytes(1, "s").Varint(15, 1))),
       R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}})"},
  };
}

TEST(ProtobufDecodeTest, DecodesTheBodiesKubectlSends) {
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto got = DecodeProtobufObject(c.body);
    ASSERT_OK(got);
    EXPECT_EQ(*got, Json::parse(c.want)) << got->dump();
  }
}

struct BadCase {
  const char* name;
  std::string body;
};

std::vector<BadCase> BadCases() {
  std::string magic("k8s\0", 4);
  return {
      {"Empty", ""},
      {"NoMagic", "{\"kind\":\"Secret\"}"},
      {"MagicOnlyHasNoKind", magic},
      {"UnknownKind", Envelope("v1", "Pod", Pb())},
      {"ContentEncoding", magic + Pb().Msg(1, Pb().Bytes(1, "v1").Bytes(2, "Secret")).Bytes(3, "gzip").str()},
      {"HugeVarint", magic + std::string("\x08") + std::string(11, '\xff')},
      {"VarintOverflowTenthByte", magic + std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02")},
      {"LengthPastEnd", magic + std::string("\x0a\x7f\x01")},
      {"HugeLength", magic + std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f")},
      {"FieldNumberZero", magic + std::string("\x00\x01", 2)},
      {"GroupWireType", magic + std::string("\x0b\x0c")},
      {"WireType6", magic + std::string("\x0e")},
      {"TruncatedFixed64", magic + std::string("\x09\x01\x02")},
      {"StringFieldAsVarint", Envelope("v1", "Secret", Pb().Msg(1, Pb().Varint(1, 5)))},
      {"MessageFieldAsVarint", Envelope("v1", "Secret", Pb().Varint(1, 5))},
      {"BoolAsBytes", Envelope("v1", "Secret", Pb().Bytes(5, "yes"))},
      {"GarbageInsideRaw", Envelope("v1", "Secret", Pb().Append("\x0a\x05\x0a\x09zz"))},
      {"TimeOutOfRange", Envelope("v1", "Secret", Pb().Msg(1, Pb().Msg(8, Pb().Varint(1, 1ULL << 62))))},
  };
}

TEST(ProtobufDecodeTest, RejectsMalformedBodiesWith400) {
  for (const auto& c : BadCases()) {
    SCOPED_TRACE(c.name);
    auto got = DecodeProtobufObject(c.body);
    ASSERT_FALSE(got.ok()) << got->dump();
    ASSERT_TRUE(got.error().api_status().has_value());
    EXPECT_EQ(got.error().api_status()->code, 400);
    EXPECT_EQ(got.error().api_status()->reason, "BadRequest");
  }
}

TEST(ProtobufDecodeTest, SurvivesEveryTruncationAndRandomCorruption) {
  const std::string body = Cases()[6].body;  // ObjectMetaFull: the deepest nesting
  for (size_t n = 0; n < body.size(); ++n) {
    auto got = DecodeProtobufObject(body.substr(0, n));
    (void)got;  // ok or an error; must not crash or read out of bounds (ASan)
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = body;
    for (int k = 0; k < 3; ++k) {
      mutated[4 + rng() % (mutated.size() - 4)] = static_cast<char>(rng() & 0xff);
    }
    auto got = DecodeProtobufObject(mutated);
    if (!got.ok()) {
      EXPECT_EQ(got.error().api_status()->code, 400);
    }
  }
}

TEST(ProtobufDecodeTest, DecodingATruncatedValidBodyFails) {
  const std::string body = Cases()[0].body;
  auto got = DecodeProtobufObject(body.substr(0, body.size() - 3));
  EXPECT_FALSE(got.ok());
}

}  // namespace
}  // namespace kargo_token::kube_sim
