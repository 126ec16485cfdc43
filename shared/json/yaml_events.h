// YamlToJsonBuilder: a yaml-cpp event handler that builds nlohmann::json
// documents directly from the parser's events, in one pass and without a
// YAML::Node tree. It also bounds what hostile text can cost:
//   - an event budget: yaml-cpp 0.7 loops forever on some malformed flow
//     collections (fuzz_kubeconfig found the 70 bytes
//     `"a","b":{"c","b":{"d":"e"}},`), emitting events until memory runs out,
//     while a real document has at most about one event per byte;
//   - a value budget: aliases (*name) make a small text expand exponentially
//     ("billion laughs"), so copies of anchored values are counted too;
//   - a depth limit of 256 nested collections.
// Values follow Kubernetes' YAML (sigs.k8s.io/yaml over go-yaml v2): plain
// scalars resolve per YAML 1.1 (yes/on booleans, ints, floats, null); quoted
// or !!str-tagged scalars stay strings; mapping keys must be scalars.
#ifndef KARGO_TOKEN_SHARED_JSON_YAML_EVENTS_H_
#define KARGO_TOKEN_SHARED_JSON_YAML_EVENTS_H_

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/error.h"
#include "shared/json/yaml_json.h"

namespace kargo_token::json {

// ResolvePlainScalar: what a plain (unquoted, untagged) scalar means in YAML
// 1.1 as go-yaml v2 reads it: null, a boolean, an int64, a double, or the
// string itself.
Json ResolvePlainScalar(const std::string& s);

// YamlBuildError is thrown out of the parser by the handler; it carries the
// kParse error to return.
struct YamlBuildError {
  Error error;
};

class YamlToJsonBuilder : public YAML::EventHandler {
 public:
  // Limits sized from the text: `events` parser events, `values` values
  // (alias copies included).
  YamlToJsonBuilder(size_t events, size_t values) : events_left_(events), values_left_(values) {}

  // Documents completed so far; empty and null documents are skipped.
  std::vector<Json>& documents() { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override;
  void OnDocumentEnd() override;
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override;
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override;
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override;
  void OnSequenceEnd() override;
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override;
  void OnMapEnd() override;

 private:
  // A collection being built.
  struct Open {
    Json value;
    YAML::anchor_t anchor;
    YAML::Mark mark;
    std::optional<std::string> key;  // maps: the key waiting for its value
  };
  // A completed anchored value; `scalar` is its text when it was a scalar
  // (so an alias can be a mapping key).
  struct Anchored {
    Json value;
    size_t values;
    std::optional<std::string> scalar;
  };

  void SpendEvent(const YAML::Mark& mark);
  void SpendValues(const YAML::Mark& mark, size_t count);
  void StartCollection(const YAML::Mark& mark, YAML::anchor_t anchor, Json empty);
  void EndCollection();
  // Complete places a finished value in its parent (or as the root).
  void Complete(const YAML::Mark& mark, Json value, YAML::anchor_t anchor,
                std::optional<std::string> scalar);
  [[noreturn]] static void Fail(const YAML::Mark& mark, const std::string& what);

  size_t events_left_;
  size_t values_left_;
  YAML::Mark last_;
  std::vector<Open> open_;
  std::optional<Json> root_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::vector<Json> documents_;
};

}  // namespace kargo_token::json

#endif  // KARGO_TOKEN_SHARED_JSON_YAML_EVENTS_H_
