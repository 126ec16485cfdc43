#include "shared/admission/warning.h"

#include <gtest/gtest.h>

namespace kargo_token::admission {
namespace {

TEST(SanitizeWarningTest, ProducesHeaderSafeText) {
  struct Case {
    std::string in;
    std::string want;
  } cases[] = {
      {"plain", "plain"},
      {"line1\nline2\r\n", "line1 line2"},
      {"  tab\there  ", "tab here"},
      {"bell\x07" "del\x7f", "bell del"},
      {"bad \xff utf8", "bad \xEF\xBF\xBD utf8"},
      {"overlong \xC0\xAF", "overlong \xEF\xBF\xBD\xEF\xBF\xBD"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"\n", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(SanitizeWarning(c.in), c.want) << c.in;
}

TEST(SanitizeWarningTest, CutsAt256RunesNotBytes) {
  std::string e_acute = "\xC3\xA9";
  std::string in;
  for (int i = 0; i < 300; ++i) in += e_acute;
  std::string out = SanitizeWarning(in);
  // 255 two-byte runes and a three-byte ellipsis.
  EXPECT_EQ(out.size(), 255u * 2 + 3);
  EXPECT_EQ(out.substr(out.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(SanitizeWarning(std::string(256, 'a')), std::string(256, 'a'));
}

TEST(CapWarningsTest, KeepsOrderAndDropsBlanksAndDuplicates) {
  EXPECT_EQ(CapWarnings({"b", "a", "", "b", " a ", "c\n"}),
            (std::vector<std::string>{"b", "a", "c"}));
}

TEST(CapWarningsTest, StopsAtTheTotalRuneBudget) {
  std::vector<std::string> in;
  for (int i = 0; i < 20; ++i) in.push_back(std::string(250, static_cast<char>('a' + i)));
  std::vector<std::string> out = CapWarnings(in);
  EXPECT_EQ(out.size(), 16u);  // 16 * 250 = 4000 <= 4096 < 17 * 250
  EXPECT_EQ(out.front(), in.front());
}

}  // namespace
}  // namespace kargo_token::admission
