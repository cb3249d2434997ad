#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/command_spec.hpp"
#include "cli/grammar.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::cli;

namespace {

std::vector<Invocation> parse(std::vector<std::string> words) {
  return parse_command_line(words, command_table());
}

std::string usage_error(std::vector<std::string> words) {
  try {
    for (const auto& invocation : parse(words))
      Arguments::bind(invocation, *find_command(invocation.command));
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::usage);
    return error.what();
  }
  return "(no error)";
}

} // namespace

TEST(Grammar, ColonFormWithKeys) {
  auto line = parse({"run:demo,instance=one,instance_type=published"});
  ASSERT_EQ(line.size(), 1u);
  EXPECT_EQ(line[0].command, "run");
  EXPECT_EQ(line[0].positional, (std::vector<std::string>{"demo"}));
  ASSERT_EQ(line[0].keys.size(), 2u);
  EXPECT_EQ(line[0].keys[0], (std::pair<std::string, std::string>{"instance", "one"}));
  EXPECT_EQ(line[0].keys[1], (std::pair<std::string, std::string>{"instance_type", "published"}));
}

TEST(Grammar, FlagFormIsTheSame) {
  auto colon = Arguments::bind(parse({"run:demo,instance=one"})[0], *find_command("run"));
  auto flags = Arguments::bind(parse({"run", "demo", "--instance", "one"})[0], *find_command("run"));
  EXPECT_EQ(colon.all(), flags.all());
  auto equals = Arguments::bind(parse({"run", "demo", "--instance=one"})[0], *find_command("run"));
  EXPECT_EQ(colon.all(), equals.all());
}

TEST(Grammar, PositionalArgumentsAsInTheOriginal) {
  auto args = Arguments::bind(parse({"ssh:demo,two"})[0], *find_command("ssh"));
  EXPECT_EQ(args.get("service"), "demo");
  EXPECT_EQ(args.get("instance"), "two");
}

TEST(Grammar, SeveralCommandsRunInOrder) {
  auto line = parse({"build:all", "run:all"});
  ASSERT_EQ(line.size(), 2u);
  EXPECT_EQ(line[0].command, "build");
  EXPECT_EQ(line[1].command, "run");
  auto words = parse({"build", "all", "run", "all"});
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[1].positional, (std::vector<std::string>{"all"}));
}

TEST(Grammar, BareCommandNameFillsAFreeSlot) {
  // "run" is a valid service name: with a slot free it is an argument.
  auto line = parse({"build", "run"});
  ASSERT_EQ(line.size(), 1u);
  EXPECT_EQ(line[0].positional, (std::vector<std::string>{"run"}));
}

TEST(Grammar, EscapedCommaStaysInTheValue) {
  auto args = Arguments::bind(parse({"ssh:demo,command=echo a\\,b"})[0], *find_command("ssh"));
  EXPECT_EQ(args.get("command"), "echo a,b");
  EXPECT_EQ(split_arguments("a\\,b,c"), (std::vector<std::string>{"a,b", "c"}));
}

TEST(Grammar, ValueMayContainEqualsAndSpaces) {
  auto args = Arguments::bind(parse({"ssh:demo,two,command=ping -c1 demo-one"})[0], *find_command("ssh"));
  EXPECT_EQ(args.get("command"), "ping -c1 demo-one");
  auto env = Arguments::bind(parse({"ssh:demo,command=env A=b"})[0], *find_command("ssh"));
  EXPECT_EQ(env.get("command"), "env A=b");
}

TEST(Grammar, BooleanFlagsAndShortFlags) {
  auto args = Arguments::bind(parse({"logs", "demo", "-f"})[0], *find_command("logs"));
  EXPECT_TRUE(args.flag("follow"));
  auto nocache = Arguments::bind(parse({"build:all,nocache=False"})[0], *find_command("build"));
  EXPECT_EQ(nocache.get_bool("nocache"), false); // the original's bug: "False" was true
  auto dashed = Arguments::bind(parse({"run", "demo", "--instance-type", "debug"})[0], *find_command("run"));
  EXPECT_EQ(dashed.get("instance_type"), "debug");
}

TEST(Grammar, PassthroughAfterDoubleDash) {
  auto line = parse({"shell", "demo", "one", "--", "ls", "-l", "/"});
  EXPECT_EQ(line[0].passthrough, (std::vector<std::string>{"ls", "-l", "/"}));
}

TEST(Grammar, ErrorsSayDidYouMean) {
  EXPECT_EQ(usage_error({"rnu:all"}),
            "unknown command \"rnu\"; did you mean \"run\"? (see \"dockerops help\")");
  EXPECT_EQ(usage_error({"run:demo,isntance=one"}),
            "run: unknown key \"isntance\"; did you mean \"instance\"?");
  EXPECT_EQ(usage_error({"build:all,nocache=maybe"}),
            "build: nocache=maybe: not a boolean (use true/false, yes/no or 1/0)");
  EXPECT_EQ(usage_error({"ssh:a,b,c"}), "ssh: too many arguments (takes service, instance)");
  EXPECT_EQ(usage_error({"run:demo,instance=a,instance=b"}), "run: key \"instance\" given twice");
  EXPECT_EQ(usage_error({"stop:demo,timeout=soon"}), "stop: timeout=soon: not a whole number");
  EXPECT_EQ(usage_error({"ps", "--bogus"}), "ps: unknown key \"bogus\"");
  EXPECT_EQ(usage_error({"version", "--", "x"}), "version: does not take arguments after \"--\"");
}

TEST(CommandTable, EveryCommandHasAHandlerAndHelp) {
  for (const auto& spec : command_table()) {
    EXPECT_NE(spec.handler, nullptr) << spec.name;
    EXPECT_FALSE(spec.summary.empty()) << spec.name;
    for (const auto& key : spec.keys)
      EXPECT_FALSE(key.help.empty()) << spec.name << "." << key.name;
    for (const auto& positional : spec.positional) {
      bool declared = false;
      for (const auto& key : spec.keys)
        declared = declared || key.name == positional;
      EXPECT_TRUE(declared) << spec.name << " positional " << positional;
    }
  }
}

TEST(Grammar, CommandWordAsInstanceAsksForTwoCommands) {
  EXPECT_EQ(
      usage_error({"run:demo", "ps"}),
      "run: \"ps\" is a command; did you mean two commands (\"run:demo\", then \"ps\")? For an instance "
      "named ps, write instance=ps or --instance ps");
  EXPECT_EQ(usage_error({"run", "demo", "logs"}).substr(0, 38), "run: \"logs\" is a command; did you mean");
  // Named explicitly, an instance may be called like a command.
  auto keyed = Arguments::bind(parse({"run:demo,instance=ps"})[0], *find_command("run"));
  EXPECT_EQ(keyed.get("instance"), "ps");
  auto positional = Arguments::bind(parse({"run:demo,ps"})[0], *find_command("run"));
  EXPECT_EQ(positional.get("instance"), "ps");
  auto flag = Arguments::bind(parse({"run", "demo", "--instance", "ps"})[0], *find_command("run"));
  EXPECT_EQ(flag.get("instance"), "ps");
}

TEST(Grammar, ScaleTakesServiceEqualsCount) {
  for (std::vector<std::string> words : std::vector<std::vector<std::string>>{{"scale:web=5"},
                                                                              {"scale", "web", "5"},
                                                                              {"scale", "web=5"},
                                                                              {"scale:web,instances=5"},
                                                                              {"scale:web=5,instance=w"}}) {
    auto args = Arguments::bind(parse(words)[0], *find_command("scale"));
    EXPECT_EQ(args.get("service"), "web") << words[0];
    EXPECT_EQ(args.get_int("instances"), 5) << words[0];
  }
  auto keyed = Arguments::bind(parse({"scale:web=5,instance=w,wait=false"})[0], *find_command("scale"));
  EXPECT_EQ(keyed.get("instance"), "w");
  EXPECT_EQ(keyed.get_bool("wait"), false);
  EXPECT_EQ(usage_error({"scale:web=many"}), "scale: instances=many: not a whole number");
  // A known key is never taken for a service.
  EXPECT_EQ(usage_error({"scale:wait=5"}), "scale: wait=5: not a boolean (use true/false, yes/no or 1/0)");
}
