#include "shared/kube/watch_event.h"

#include <gtest/gtest.h>

#include "tests/testutil/status_matchers.h"

namespace kargo_token::kube {
namespace {

constexpr char kAdded[] =
    R"({"type":"ADDED","object":{"kind":"Secret","metadata":{"name":"a","resourceVersion":"5"}}})";
constexpr char kBookmark[] =
    R"({"type":"BOOKMARK","object":{"kind":"Secret","metadata":{"resourceVersion":"9"}}})";
constexpr char kGone[] =
    R"j({"type":"ERROR","object":{"kind":"Status","status":"Failure","code":410,"reason":"Expired","message":"too old resource version: 1 (9)"}})j";

TEST(WatchEventTest, ParsesEachEventType) {
  ASSERT_OK_AND_ASSIGN(WatchEvent added, ParseWatchEvent(kAdded));
  EXPECT_EQ(added.type, "ADDED");
  EXPECT_EQ(added.object["metadata"]["name"], "a");
  ASSERT_OK_AND_ASSIGN(WatchEvent bookmark, ParseWatchEvent(kBookmark));
  EXPECT_EQ(bookmark.type, "BOOKMARK");
  EXPECT_EQ(bookmark.object["metadata"]["resourceVersion"], "9");
  ASSERT_OK_AND_ASSIGN(WatchEvent error, ParseWatchEvent(kGone));
  EXPECT_EQ(error.type, "ERROR");
  EXPECT_EQ(error.object["code"], 410);
}

TEST(WatchEventTest, RejectsGarbageWithParseErrors) {
  const char* cases[] = {
      "not json", "[1,2]", R"({"object":{}})", R"({"type":"EXPLODED","object":{}})",
      R"({"type":"ADDED"})", R"({"type":"ADDED","object":"str"})", R"({"type":7,"object":{}})",
      "{\"type\":\"ADDED\",\"object\":{\"a\":\"\xff\"}}",
  };
  for (const char* line : cases) {
    Result<WatchEvent> event = ParseWatchEvent(line);
    ASSERT_FALSE(event.ok()) << line;
    EXPECT_EQ(event.error().code(), ErrorCode::kParse);
  }
}

TEST(WatchEventTest, DecoderReassemblesLinesSplitAcrossChunks) {
  std::string stream = std::string(kAdded) + "\n" + kBookmark + "\n\n" + kGone + "\n";
  // Every split point must give the same three events.
  for (size_t split = 0; split <= stream.size(); ++split) {
    WatchDecoder decoder;
    ASSERT_OK_AND_ASSIGN(auto first, decoder.Feed(std::string_view(stream).substr(0, split)));
    ASSERT_OK_AND_ASSIGN(auto second, decoder.Feed(std::string_view(stream).substr(split)));
    ASSERT_OK_AND_ASSIGN(auto rest, decoder.Finish());
    first.insert(first.end(), second.begin(), second.end());
    ASSERT_EQ(first.size(), 3u) << split;
    EXPECT_TRUE(rest.empty());
    EXPECT_EQ(first[0].type, "ADDED");
    EXPECT_EQ(first[1].type, "BOOKMARK");
    EXPECT_EQ(first[2].type, "ERROR");
  }
}

TEST(WatchEventTest, DecoderByteByByte) {
  std::string stream = std::string(kAdded) + "\r\n" + kBookmark + "\n";
  WatchDecoder decoder;
  size_t count = 0;
  for (char c : stream) {
    ASSERT_OK_AND_ASSIGN(auto events, decoder.Feed(std::string_view(&c, 1)));
    count += events.size();
  }
  EXPECT_EQ(count, 2u);
}

TEST(WatchEventTest, FinishParsesUnterminatedLastLine) {
  WatchDecoder decoder;
  ASSERT_OK_AND_ASSIGN(auto events, decoder.Feed(kAdded));
  EXPECT_TRUE(events.empty());
  ASSERT_OK_AND_ASSIGN(auto rest, decoder.Finish());
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].object["metadata"]["resourceVersion"], "5");
}

TEST(WatchEventTest, DecoderFailsOnGarbageLineAndOversizeLine) {
  WatchDecoder decoder;
  EXPECT_FALSE(decoder.Feed("<html>oops</html>\n").ok());
  // Sticky: a later valid line does not resurrect the stream.
  EXPECT_FALSE(decoder.Feed(std::string(kAdded) + "\n").ok());
  EXPECT_FALSE(decoder.Finish().ok());
  WatchDecoder big;
  std::string chunk(1 << 20, 'x');
  Result<std::vector<WatchEvent>> r = big.Feed(chunk);
  for (int i = 0; i < 20 && r.ok(); ++i) r = big.Feed(chunk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("larger than 16 MiB"), std::string::npos);
}

}  // namespace
}  // namespace kargo_token::kube
