#include "images/dockerignore.hpp"

#include <gtest/gtest.h>

using dockerops::images::clean_path;
using dockerops::images::DockerIgnore;
using dockerops::images::glob_match;

TEST(DockerIgnoreGlob, StarStaysInOneSegment) {
  EXPECT_TRUE(glob_match("*.md", "README.md"));
  EXPECT_FALSE(glob_match("*.md", "docs/README.md"));
  EXPECT_TRUE(glob_match("*/temp*", "somedir/temporary.txt"));
  EXPECT_FALSE(glob_match("*/temp*", "a/b/temp"));
}

TEST(DockerIgnoreGlob, DoubleStarCrossesSegments) {
  EXPECT_TRUE(glob_match("**/*.go", "a/b/c.go"));
  EXPECT_TRUE(glob_match("**/*.go", "c.go"));
  EXPECT_TRUE(glob_match("a/**/z", "a/z"));
  EXPECT_TRUE(glob_match("a/**/z", "a/b/c/z"));
  EXPECT_TRUE(glob_match("a/**", "a/b/c"));
  EXPECT_FALSE(glob_match("a/**/z", "b/z"));
}

TEST(DockerIgnoreGlob, QuestionMarkClassesAndEscapes) {
  EXPECT_TRUE(glob_match("temp?", "temp1"));
  EXPECT_FALSE(glob_match("temp?", "temp"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
  EXPECT_TRUE(glob_match("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(glob_match("file[0-9].txt", "filex.txt"));
  EXPECT_TRUE(glob_match("file[^0-9].txt", "filex.txt"));
  EXPECT_TRUE(glob_match("star\\*", "star*"));
  EXPECT_FALSE(glob_match("star\\*", "starx"));
}

TEST(DockerIgnoreClean, DropsDotsAndSlashes) {
  EXPECT_EQ(clean_path("/a//b/./c/"), "a/b/c");
  EXPECT_EQ(clean_path("./x"), "x");
  EXPECT_EQ(clean_path("a/../b"), "b");
}

TEST(DockerIgnore, CommentsBlankLinesAndLeadingSlash) {
  DockerIgnore ignore = DockerIgnore::parse("# a comment\n\n/secret.txt\n  build/  \n");
  EXPECT_TRUE(ignore.excluded("secret.txt"));
  EXPECT_FALSE(ignore.excluded("# a comment"));
  EXPECT_FALSE(ignore.excluded("sub/secret.txt"));
  EXPECT_TRUE(ignore.excluded("build"));
}

TEST(DockerIgnore, FolderPatternExcludesEverythingBelow) {
  DockerIgnore ignore = DockerIgnore::parse("node_modules\n");
  EXPECT_TRUE(ignore.excluded("node_modules/a/b.js"));
  EXPECT_FALSE(ignore.excluded("src/node_modules_x"));
}

TEST(DockerIgnore, LastMatchingLineWinsWithExceptions) {
  DockerIgnore ignore = DockerIgnore::parse("*.md\n!README*.md\nREADME-secret.md\n");
  EXPECT_TRUE(ignore.excluded("CHANGES.md"));
  EXPECT_FALSE(ignore.excluded("README.md"));
  EXPECT_TRUE(ignore.excluded("README-secret.md"));
  EXPECT_TRUE(ignore.has_exceptions());
}

TEST(DockerIgnore, ExceptionInsideExcludedFolder) {
  DockerIgnore ignore = DockerIgnore::parse("docs\n!docs/keep.txt\n");
  EXPECT_TRUE(ignore.excluded("docs/other.txt"));
  EXPECT_FALSE(ignore.excluded("docs/keep.txt"));
}

TEST(DockerIgnore, EmptyFileExcludesNothing) {
  DockerIgnore ignore = DockerIgnore::parse("");
  EXPECT_TRUE(ignore.empty());
  EXPECT_FALSE(ignore.excluded("anything/at/all"));
}
