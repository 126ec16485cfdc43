#include "shared/print/table.h"

#include <gtest/gtest.h>

namespace kargo_token::print {
namespace {

Table SecretTable() {
  Table t({"Name", "Type", "Data", "Age"});
  t.AddRow({"a-much-longer-secret-name", "Opaque", "1", "3h12m"});
  t.AddRow({"kargo-token-abc", "kubernetes.io/service-account-token", "1", "5m"});
  return t;
}

// Byte-exact against `kubectl get secrets` (kubectl-plugin.md §5.1).
TEST(TableTest, MatchesKubectlSecretTable) {
  EXPECT_EQ(SecretTable().Render(),
            "NAME                        TYPE                                  DATA   AGE\n"
            "a-much-longer-secret-name   Opaque                                1      3h12m\n"
            "kargo-token-abc             kubernetes.io/service-account-token   1      5m\n");
}

TEST(TableTest, NoHeadersRecomputesWidthsFromCells) {
  EXPECT_EQ(SecretTable().Render(/*no_headers=*/true),
            "a-much-longer-secret-name   Opaque                                1     3h12m\n"
            "kargo-token-abc             kubernetes.io/service-account-token   1     5m\n");
}

// The seed page's `kargo get tokens --system` table, properly aligned.
TEST(TableTest, TokenTableFromSeedPage) {
  Table t({"NAME", "ROLE", "KARGO MANAGED", "AGE"});
  t.AddRow({"kargo-admin-token-1", "kargo-admin", "true", "5m"});
  EXPECT_EQ(t.Render(),
            "NAME                  ROLE          KARGO MANAGED   AGE\n"
            "kargo-admin-token-1   kargo-admin   true            5m\n");
}

TEST(TableTest, MinimumWidthIsSix) {
  Table t({"a", "b"});
  t.AddRow({"x", "y"});
  EXPECT_EQ(t.Render(), "A     B\nx     y\n");
}

TEST(TableTest, EmptyLastCellKeepsPreviousPadding) {
  Table t({"Name", "App"});
  t.AddRow({"web", ""});
  EXPECT_EQ(t.Render(), "NAME   APP\nweb    \n");
}

TEST(TableTest, EmptyTablePrintsOnlyHeadersOrNothing) {
  Table t({"Name", "Age"});
  EXPECT_EQ(t.Render(), "NAME   AGE\n");
  EXPECT_EQ(t.Render(/*no_headers=*/true), "");
  EXPECT_EQ(t.row_count(), 0u);
}

TEST(TableTest, ShortRowsArePaddedWithEmptyCells) {
  Table t({"A", "B", "C"});
  t.AddRow({"1"});
  EXPECT_EQ(t.Render(), "A     B     C\n1           \n");
}

TEST(TableTest, WidthsCountCodePointsNotBytes) {
  Table t({"Name", "X"});
  t.AddRow({"\xC3\xA9t\xC3\xA9", "1"});  // "été": 3 code points, 5 bytes
  EXPECT_EQ(t.Render(), "NAME   X\n\xC3\xA9t\xC3\xA9    1\n");
  EXPECT_EQ(DisplayWidth("\xC3\xA9t\xC3\xA9"), 3u);
}

}  // namespace
}  // namespace kargo_token::print
