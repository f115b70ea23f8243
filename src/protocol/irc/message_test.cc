// Unit tests for the IRC parser and tag helpers, including Parse/LineBuilder round trips.
#include "protocol/irc/message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/irc/line_builder.h"

namespace salon::irc {
namespace {

std::vector<std::string> Params(const Message& m) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m.param_count; ++i) out.emplace_back(m.params[i]);
  return out;
}

TEST(ParseTest, SimpleCommand) {
  Message m;
  ASSERT_EQ(Parse("PING", &m), ParseError::kNone);
  EXPECT_EQ(m.command, "PING");
  EXPECT_EQ(m.param_count, 0u);
  EXPECT_TRUE(m.tags.empty());
  EXPECT_TRUE(m.source.empty());
}

TEST(ParseTest, SourceAndParams) {
  Message m;
  ASSERT_EQ(Parse(":nick!user@host PRIVMSG #chan :hello there", &m), ParseError::kNone);
  EXPECT_EQ(m.source, "nick!user@host");
  EXPECT_EQ(m.command, "PRIVMSG");
  EXPECT_EQ(Params(m), (std::vector<std::string>{"#chan", "hello there"}));
}

TEST(ParseTest, Numeric) {
  Message m;
  ASSERT_EQ(Parse(":irc.example 001 alice :Welcome", &m), ParseError::kNone);
  EXPECT_EQ(m.command, "001");
  EXPECT_EQ(Params(m), (std::vector<std::string>{"alice", "Welcome"}));
}

TEST(ParseTest, TagsSourceCommand) {
  Message m;
  ASSERT_EQ(Parse("@time=2024-01-01T00:00:00Z;+draft/typing=active :a!b@c TAGMSG #x", &m),
            ParseError::kNone);
  EXPECT_EQ(m.tags, "time=2024-01-01T00:00:00Z;+draft/typing=active");
  EXPECT_EQ(m.source, "a!b@c");
  EXPECT_EQ(m.command, "TAGMSG");
  EXPECT_EQ(Params(m), (std::vector<std::string>{"#x"}));
}

TEST(ParseTest, TrailingWithColonsAndSpaces) {
  Message m;
  ASSERT_EQ(Parse("PRIVMSG #c ::-) a: b :c  ", &m), ParseError::kNone);
  EXPECT_EQ(Params(m), (std::vector<std::string>{"#c", ":-) a: b :c  "}));
}

TEST(ParseTest, EmptyTrailing) {
  Message m;
  ASSERT_EQ(Parse("TOPIC #c :", &m), ParseError::kNone);
  EXPECT_EQ(Params(m), (std::vector<std::string>{"#c", ""}));
}

TEST(ParseTest, MiddleParamMayContainColon) {
  Message m;
  ASSERT_EQ(Parse("MODE #c +k a:b", &m), ParseError::kNone);
  EXPECT_EQ(Params(m), (std::vector<std::string>{"#c", "+k", "a:b"}));
}

TEST(ParseTest, MultipleSpacesAndLeadingSpaces) {
  Message m;
  ASSERT_EQ(Parse("   USER   a  0   *    :Real Name", &m), ParseError::kNone);
  EXPECT_EQ(m.command, "USER");
  EXPECT_EQ(Params(m), (std::vector<std::string>{"a", "0", "*", "Real Name"}));
  ASSERT_EQ(Parse("@a=b   :src    NICK   x   ", &m), ParseError::kNone);
  EXPECT_EQ(m.tags, "a=b");
  EXPECT_EQ(m.source, "src");
  EXPECT_EQ(Params(m), (std::vector<std::string>{"x"}));
}

TEST(ParseTest, FifteenParamRule) {
  Message m;
  // 14 middles, then the rest of the line is the 15th even without ':'.
  ASSERT_EQ(Parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", &m), ParseError::kNone);
  ASSERT_EQ(m.param_count, 15u);
  EXPECT_EQ(m.params[13], "14");
  EXPECT_EQ(m.params[14], "15 16 17");
  // An optional ':' on the 15th is stripped once.
  ASSERT_EQ(Parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :15 16", &m), ParseError::kNone);
  EXPECT_EQ(m.params[14], "15 16");
  ASSERT_EQ(Parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 ::x", &m), ParseError::kNone);
  EXPECT_EQ(m.params[14], ":x");
  // Exactly 15.
  ASSERT_EQ(Parse("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", &m), ParseError::kNone);
  EXPECT_EQ(m.param_count, 15u);
  EXPECT_EQ(m.params[14], "15");
  EXPECT_EQ(m.Param(15), "");
}

TEST(ParseTest, Empty) {
  Message m;
  EXPECT_EQ(Parse("", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse("    ", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse("@a=b", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse("@a=b ", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse(":source", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse("@a :source   ", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse("@", &m), ParseError::kEmpty);
  EXPECT_EQ(Parse(":", &m), ParseError::kEmpty);
}

TEST(ParseTest, BadCommand) {
  Message m;
  EXPECT_EQ(Parse("PRIV1MSG x", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse("01 x", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse("0001 x", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse("12a", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse(":src :cmd", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse("N\xc3\xa9", &m), ParseError::kBadCommand);
  EXPECT_EQ(Parse("privmsg #a b", &m), ParseError::kNone);
}

TEST(ParseTest, NulByte) {
  Message m;
  EXPECT_EQ(Parse(std::string_view("PRIVMSG #a :b\0c", 15), &m), ParseError::kNulByte);
  EXPECT_EQ(Parse(std::string_view("\0", 1), &m), ParseError::kNulByte);
}

TEST(ParseTest, LongBodyIsCutAt510Bytes) {
  Message m;
  std::string ok = "PRIVMSG #a :" + std::string(510 - 12, 'x');
  ASSERT_EQ(ok.size(), 510u);
  ASSERT_EQ(Parse(ok, &m), ParseError::kNone);
  EXPECT_FALSE(m.truncated);
  EXPECT_EQ(m.Param(1).size(), 498u);
  const std::string longer = ok + "yyyy";  // the Message views point into it
  ASSERT_EQ(Parse(longer, &m), ParseError::kNone);
  EXPECT_TRUE(m.truncated);
  EXPECT_EQ(m.Param(1), std::string(498, 'x'));
  // Never in the middle of a character: "é" (2 bytes) straddling byte 510 goes as a whole.
  std::string accent = "PRIVMSG #a :" + std::string(497, 'x') + "\xc3\xa9";
  ASSERT_EQ(Parse(accent, &m), ParseError::kNone);
  EXPECT_TRUE(m.truncated);
  EXPECT_EQ(m.Param(1), std::string(497, 'x'));
  // Tags do not count toward the body limit.
  std::string tagged = "@" + std::string(4000, 't') + " " + ok;
  ASSERT_EQ(Parse(tagged, &m), ParseError::kNone);
  EXPECT_FALSE(m.truncated);
}

TEST(ParseTest, TagsLengthLimit) {
  Message m;
  // A client sends at most 4094 bytes between the '@' and the space.
  std::string tags_ok = "@" + std::string(kMaxClientTagData, 'a') + " PING";
  EXPECT_EQ(Parse(tags_ok, &m), ParseError::kNone);
  EXPECT_EQ(m.tags.size(), kMaxClientTagData);
  std::string tags_long = "@" + std::string(kMaxClientTagData + 1, 'a') + " PING";
  EXPECT_EQ(Parse(tags_long, &m), ParseError::kTagsTooLong);
  // Client-only tags and others count alike (irctest message_tags.testLengthLimits).
  std::string mixed = "@foo=bar;+baz=" + std::string(4082, 'a') + " TAGMSG #test";
  EXPECT_EQ(Parse(mixed, &m), ParseError::kTagsTooLong);
  EXPECT_EQ(Parse("@" + std::string(kMaxTagsLength, 'a') + " PING", &m), ParseError::kTagsTooLong);
  EXPECT_EQ(Parse("@" + std::string(20000, 'a'), &m), ParseError::kTagsTooLong);
}

TEST(ParseTest, ResetsOutputOnError) {
  Message m;
  ASSERT_EQ(Parse("A b c", &m), ParseError::kNone);
  EXPECT_EQ(Parse("", &m), ParseError::kEmpty);
  EXPECT_EQ(m.param_count, 0u);
}

TEST(TagTest, FindTagUnescapes) {
  std::string v;
  std::string_view tags = "a=1;b=x\\:y\\sz\\\\w\\r\\n;c;d=;e=end\\";
  ASSERT_TRUE(FindTag(tags, "a", &v));
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(FindTag(tags, "b", &v));
  EXPECT_EQ(v, "x;y z\\w\r\n");
  ASSERT_TRUE(FindTag(tags, "c", &v));
  EXPECT_EQ(v, "");
  ASSERT_TRUE(FindTag(tags, "d", &v));
  EXPECT_EQ(v, "");
  ASSERT_TRUE(FindTag(tags, "e", &v));
  EXPECT_EQ(v, "end");  // trailing backslash dropped
  EXPECT_FALSE(FindTag(tags, "f", &v));
  EXPECT_FALSE(FindTag(tags, "A", &v));  // keys are case sensitive
  EXPECT_FALSE(FindTag("", "a", &v));
  EXPECT_TRUE(FindTag(tags, "a", nullptr));
}

TEST(TagTest, LastDuplicateWinsAndClientPrefix) {
  std::string v;
  ASSERT_TRUE(FindTag("k=1;;+k=client;k=2", "k", &v));
  EXPECT_EQ(v, "2");
  ASSERT_TRUE(FindTag("k=1;;+k=client;k=2", "+k", &v));
  EXPECT_EQ(v, "client");
}

TEST(TagTest, UnknownEscapeKeepsChar) { EXPECT_EQ(UnescapeTagValue("a\\bc\\"), "abc"); }

TEST(TagTest, EscapeRoundTrip) {
  for (std::string raw : {"", "plain", "semi;colon", "a b", "back\\slash", "cr\rlf\n",
                          "\\s literally", ";; \\\\ \r\n end\\"}) {
    std::string escaped = EscapeTagValue(raw);
    EXPECT_EQ(escaped.find_first_of("; \r\n"), std::string::npos) << escaped;
    EXPECT_EQ(UnescapeTagValue(escaped), raw);
  }
  EXPECT_EQ(EscapeTagValue("a;b c\\d\re\nf"), "a\\:b\\sc\\\\d\\re\\nf");
}

TEST(TagTest, ForEachTagSkipsEmptyItems) {
  std::vector<std::pair<std::string, std::string>> seen;
  ForEachTag(";a=1;;b;c=x\\s", [&](std::string_view k, std::string_view v) {
    seen.emplace_back(std::string(k), std::string(v));
  });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"a", "1"}, {"b", ""}, {"c", "x\\s"}}));
}

TEST(CommandIsTest, CaseInsensitive) {
  EXPECT_TRUE(CommandIs("privmsg", "PRIVMSG"));
  EXPECT_TRUE(CommandIs("PrivMsg", "PRIVMSG"));
  EXPECT_TRUE(CommandIs("001", "001"));
  EXPECT_FALSE(CommandIs("PRIVMSGX", "PRIVMSG"));
  EXPECT_FALSE(CommandIs("NOTICE", "PRIVMSG"));
  EXPECT_FALSE(CommandIs("", "PING"));
}

struct RoundTripCase {
  std::string tags;
  std::string source;
  std::string command;
  std::vector<std::string> params;
};

TEST(RoundTripTest, ParseOfBuildGivesBackTheMessage) {
  std::vector<std::string> fifteen;
  for (int i = 1; i <= 14; ++i) fifteen.push_back("p" + std::to_string(i));
  fifteen.push_back("last one : with spaces");
  const std::vector<RoundTripCase> cases = {
      {"", "", "PING", {}},
      {"", "", "PING", {"token"}},
      {"", "server", "PONG", {"server", "token"}},
      {"", "n!u@h", "PRIVMSG", {"#chan", "hello world"}},
      {"", "n!u@h", "PRIVMSG", {"#chan", ":starts with colon"}},
      {"", "n!u@h", "PRIVMSG", {"#chan", ""}},
      {"", "n!u@h", "PRIVMSG", {"#chan", "one"}},
      {"", "n!u@h", "PRIVMSG", {"#chan", "  padded  "}},
      {"msgid=abc;time=2024-01-01T00:00:00.000Z", "n!u@h", "PRIVMSG", {"#c", "hi"}},
      {"+typing=active", "", "TAGMSG", {"#c"}},
      {"", "irc.example", "001", {"alice", "Welcome to Salon, alice"}},
      {"", "irc.example", "353", {"alice", "=", "#c", "@alice +bob carol"}},
      {"", "", "MODE", {"#c", "+kl", "key:with:colons", "10"}},
      {"", "", "CMD", fifteen},
      {"", "", "CMD", {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", ":o"}},
  };
  for (const RoundTripCase& c : cases) {
    std::string line;
    LineBuilder b(&line);
    b.Begin(c.tags, c.source, c.command);
    for (std::size_t i = 0; i < c.params.size(); ++i) {
      if (i + 1 == c.params.size()) {
        b.Last(c.params[i]);
      } else {
        b.Param(c.params[i]);
      }
    }
    b.End();
    ASSERT_GE(line.size(), 2u);
    ASSERT_EQ(line.substr(line.size() - 2), "\r\n");
    line.resize(line.size() - 2);
    Message m;
    ASSERT_EQ(Parse(line, &m), ParseError::kNone) << line;
    EXPECT_EQ(m.tags, c.tags) << line;
    EXPECT_EQ(m.source, c.source) << line;
    EXPECT_EQ(m.command, c.command) << line;
    EXPECT_EQ(Params(m), c.params) << line;
  }
}

TEST(RoundTripTest, BuildOfParseIsStable) {
  // Parsing a normalized line and rebuilding it reproduces the line byte for byte.
  for (std::string line : {"PING", ":s 001 a :Welcome home", "@a=b;c :n!u@h PRIVMSG #x :hi there",
                           "JOIN #a,#b k1,k2", "PRIVMSG #x :", "PRIVMSG #x ::)"}) {
    Message m;
    ASSERT_EQ(Parse(line, &m), ParseError::kNone);
    std::string out;
    LineBuilder b(&out);
    b.Begin(m.tags, m.source, m.command);
    for (std::size_t i = 0; i < m.param_count; ++i) {
      if (i + 1 == m.param_count) {
        b.Last(m.params[i]);
      } else {
        b.Param(m.params[i]);
      }
    }
    EXPECT_EQ(out, line);
  }
}

}  // namespace
}  // namespace salon::irc
