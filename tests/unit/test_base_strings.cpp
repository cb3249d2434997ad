#include "base/strings.hpp"

#include <gtest/gtest.h>

using namespace dockerops;

TEST(Strings, BooleansAreUniform) {
  for (const char* yes : {"true", "True", "TRUE", "yes", "Y", "1", "on"})
    EXPECT_EQ(strings::parse_bool(yes), true) << yes;
  for (const char* no : {"false", "False", "no", "N", "0", "off"})
    EXPECT_EQ(strings::parse_bool(no), false) << no;
  // The original treated nocache=False as true; anything unknown is not a boolean.
  EXPECT_EQ(strings::parse_bool("Flase"), std::nullopt);
  EXPECT_EQ(strings::parse_bool(""), std::nullopt);
}

TEST(Strings, DidYouMeanFindsNearKeys) {
  std::vector<std::string> keys{"instance", "instance_type", "service", "group"};
  EXPECT_EQ(strings::did_you_mean("isntance", keys), "; did you mean \"instance\"?");
  EXPECT_EQ(strings::did_you_mean("servce", keys), "; did you mean \"service\"?");
  EXPECT_EQ(strings::did_you_mean("zzzzzz", keys), "");
}

TEST(Strings, EditDistance) {
  EXPECT_EQ(strings::edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(strings::edit_distance("", "abc"), 3u);
  EXPECT_EQ(strings::edit_distance("same", "same"), 0u);
  EXPECT_EQ(strings::edit_distance("isntance", "instance"), 1u); // a transposition is one edit
  EXPECT_EQ(strings::edit_distance("abcdef", "uvwxyz", 2), 3u);  // bounded
}

TEST(Strings, ShellQuote) {
  EXPECT_EQ(strings::shell_quote("plain"), "'plain'");
  EXPECT_EQ(strings::shell_quote("it's $HOME"), "'it'\\''s $HOME'");
}

TEST(Strings, SplitJoinTrim) {
  EXPECT_EQ(strings::split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(strings::join({"a", "b", "c"}, "-"), "a-b-c");
  EXPECT_EQ(strings::trim("  x y \n"), "x y");
  EXPECT_EQ(strings::replace_all("a.b.c", ".", "::"), "a::b::c");
}
