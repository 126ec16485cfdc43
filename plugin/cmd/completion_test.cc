#include "plugin/cmd/completion.h"

#include <gtest/gtest.h>

#include <sstream>

namespace kargo_token::plugin {
namespace {

struct Recorder {
  std::vector<std::pair<Dynamic, std::vector<std::string>>> calls;
  DynamicSource Source() {
    return [this](Dynamic what, const std::vector<std::string>& flags) {
      calls.emplace_back(what, flags);
      switch (what) {
        case Dynamic::kTokens:
          return std::vector<std::string>{"t-one", "t-two", "other"};
        case Dynamic::kRoles:
          return std::vector<std::string>{"kargo-admin", "kargo-viewer"};
        case Dynamic::kNamespaces:
          return std::vector<std::string>{"default", "kargo"};
        case Dynamic::kProjects:
          return std::vector<std::string>{"proj-a", "proj-b"};
        case Dynamic::kContexts:
          return std::vector<std::string>{"kind", "prod"};
        default:
          return std::vector<std::string>{};
      }
    };
  }
};

std::string Answer(const std::vector<std::string>& args, Recorder& r, bool descriptions = false) {
  std::ostringstream out;
  EXPECT_EQ(RunCompletion(args, out, descriptions, r.Source()), 0);
  return out.str();
}

TEST(CompletionTest, TableOfAnswers) {
  struct Case {
    std::vector<std::string> args;
    std::string want;
  } cases[] = {
      {{""}, "completion\ncreate\ndelete\nget\nprune\nrole\nrotate\nversion\n:4\n"},
      {{"ro"}, "role\nrotate\n:4\n"},
      {{"role", ""}, "create\ndelete\nget\n:4\n"},
      {{"roles", "d"}, "delete\n:4\n"},
      {{"get", "--system", "t-"}, "t-one\nt-two\n:4\n"},
      {{"delete", "-p", "proj-a", ""}, "t-one\nt-two\nother\n:4\n"},
      {{"rotate", "--system", "o"}, "other\n:4\n"},
      {{"role", "delete", "--system", "kargo-v"}, "kargo-viewer\n:4\n"},
      {{"create", "--system", "--role", "kargo-a"}, "kargo-admin\n:4\n"},
      {{"create", "--role=kargo-v"}, "--role=kargo-viewer\n:4\n"},
      {{"get", "-n", ""}, "default\nkargo\n:4\n"},
      {{"get", "-p", "proj-"}, "proj-a\nproj-b\n:4\n"},
      {{"get", "--context", "k"}, "kind\n:4\n"},
      {{"get", "-o", "y"}, "yaml\n:4\n"},
      {{"create", "-o", "k"}, "kubeconfig\n:4\n"},
      {{"get", "--kubeconfig", ""}, ":0\n"},
      {{"completion", ""}, "bash\nzsh\n:4\n"},
      {{"create", ""}, ":4\n"},
      {{"prune", "--dry"}, "--dry-run\n:4\n"},
      {{"get", "--no-h"}, "--no-headers\n:4\n"},
      {{"get", "--kubec"}, "--kubeconfig\n:4\n"},
  };
  for (const Case& c : cases) {
    Recorder r;
    std::string joined;
    for (const auto& a : c.args) joined += "[" + a + "]";
    EXPECT_EQ(Answer(c.args, r), c.want) << joined;
  }
}

TEST(CompletionTest, DynamicLookupsSeeTheFlagsTypedSoFar) {
  Recorder r;
  Answer({"--context", "kind", "get", "-p", "proj-a", ""}, r);
  ASSERT_EQ(r.calls.size(), 1u);
  EXPECT_EQ(r.calls[0].first, Dynamic::kTokens);
  EXPECT_EQ(r.calls[0].second, (std::vector<std::string>{"--context", "kind", "-p", "proj-a"}));
}

TEST(CompletionTest, DescriptionsAreTabSeparatedOnlyWhenAsked) {
  Recorder r;
  std::string with = Answer({"vers"}, r, true);
  EXPECT_EQ(with.rfind("version\t", 0), 0u) << with;
  EXPECT_EQ(Answer({"vers"}, r, false), "version\n:4\n");
}

TEST(CompletionTest, ScriptsCallTheHiddenCommand) {
  for (const std::string& script :
       {BashScript("kubectl-kargo_token"), ZshScript("kubectl-kargo_token")}) {
    EXPECT_NE(script.find("__completeNoDesc"), std::string::npos);
    EXPECT_NE(script.find("kubectl-kargo_token"), std::string::npos);
  }
  EXPECT_NE(BashScript("kubectl-kargo_token")
                .find("complete -F __kubectl_kargo_token kubectl-kargo_token"),
            std::string::npos);
  EXPECT_EQ(ZshScript("kubectl-kargo_token").rfind("#compdef kubectl-kargo_token\n", 0), 0u);
}

}  // namespace
}  // namespace kargo_token::plugin
