#include "engine/json_lines.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using dockerops::engine::JsonLineSplitter;

namespace {

std::vector<std::string> split_in_chunks(const std::string& text, std::size_t chunk) {
  std::vector<std::string> lines;
  JsonLineSplitter splitter([&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  });
  for (std::size_t at = 0; at < text.size(); at += chunk)
    EXPECT_TRUE(splitter.feed(std::string_view(text).substr(at, chunk)));
  EXPECT_TRUE(splitter.finish());
  return lines;
}

} // namespace

TEST(JsonLines, SplitsAtEveryChunkSize) {
  const std::string text =
      "{\"stream\":\"Step 1/2\"}\r\n\n{\"aux\":{\"ID\":\"sha256:ab\"}}\n  \n{\"last\":1}";
  const std::vector<std::string> expected = {"{\"stream\":\"Step 1/2\"}", "{\"aux\":{\"ID\":\"sha256:ab\"}}",
                                             "{\"last\":1}"};
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk)
    EXPECT_EQ(split_in_chunks(text, chunk), expected) << "chunk size " << chunk;
}

TEST(JsonLines, StopsWhenTheHandlerSaysSo) {
  int seen = 0;
  JsonLineSplitter splitter([&](std::string_view) { return ++seen < 2; });
  EXPECT_FALSE(splitter.feed("a\nb\nc\n"));
  EXPECT_EQ(seen, 2);
  EXPECT_FALSE(splitter.feed("d\n"));
  EXPECT_EQ(seen, 2);
}

TEST(JsonLines, FinishWithoutPendingTextDeliversNothing) {
  int seen = 0;
  JsonLineSplitter splitter([&](std::string_view) {
    ++seen;
    return true;
  });
  splitter.feed("x\n");
  EXPECT_TRUE(splitter.finish());
  EXPECT_EQ(seen, 1);
}
