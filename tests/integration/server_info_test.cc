// Questions about the server: LUSERS (every numeric, with counts of invisible, unknown and
// operator connections and the peak), INFO, VERSION, TIME, ADMIN (from [admin]), LINKS and
// USERS, and the <target> parameter that must name this server.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace salon::testing {
namespace {

// LUSERS replies by numeric; fails on a duplicate.
std::map<std::string, Message> Lusers(TestClient& c) {
  c.Send("LUSERS");
  std::map<std::string, Message> out;
  for (const Message& m : c.CollectUntil(Command("266"))) {
    if (m.command.size() != 3 || m.command[0] != '2') continue;
    EXPECT_EQ(out.count(m.command), 0u) << "duplicate " << m.raw;
    out[m.command] = m;
  }
  return out;
}

class ServerInfo : public ::testing::Test {
 protected:
  void StartWith(const std::string& tail) {
    server_.SetConfig(TestConfig({.tail = tail}));
    server_.Start();
  }
  TestClient& User(const std::string& nick) {
    clients_.push_back(std::make_unique<TestClient>(server_));
    clients_.back()->Register(nick);
    return *clients_.back();
  }
  TestServer server_;
  std::vector<std::unique_ptr<TestClient>> clients_;
};

TEST_F(ServerInfo, LusersSendsEveryNumericWithExactCounts) {
  StartWith("[[opers]]\nname = \"admin\"\npassword_hash = \"" + TestServer::HashPassword("s3cret") +
            "\"\n");
  auto& alice = User("alice");
  auto lusers = Lusers(alice);
  for (const char* code : {"251", "252", "253", "254", "255", "265", "266"}) {
    EXPECT_EQ(lusers.count(code), 1u) << "LUSERS lacks " << code;
  }
  EXPECT_EQ(lusers["251"].Last(), "There are 1 users and 0 invisible on 1 servers");
  EXPECT_EQ(lusers["252"].Param(1), "0");
  EXPECT_EQ(lusers["253"].Param(1), "0");
  EXPECT_EQ(lusers["254"].Param(1), "0");
  EXPECT_EQ(lusers["255"].Last(), "I have 1 clients and 0 servers");
  EXPECT_EQ(lusers["265"].Param(1), "1");
  EXPECT_EQ(lusers["265"].Param(2), "1");
  EXPECT_EQ(lusers["266"].Param(1), "1");

  // A connection that has sent NICK but not USER is unknown, not a user.
  TestClient pending(server_);
  pending.Send("NICK pending");
  pending.Sync();
  lusers = Lusers(alice);
  EXPECT_EQ(lusers["253"].Param(1), "1");
  EXPECT_EQ(lusers["251"].Last(), "There are 1 users and 0 invisible on 1 servers");
  EXPECT_EQ(lusers["255"].Last(), "I have 1 clients and 0 servers");

  // An invisible user, an operator and a channel.
  auto& bob = User("bob");
  bob.Send("MODE bob +i");
  bob.ExpectCommand("MODE");
  alice.Send("OPER admin s3cret");
  alice.ExpectNumeric("381");
  alice.Join("#room");
  lusers = Lusers(alice);
  EXPECT_EQ(lusers["251"].Last(), "There are 1 users and 1 invisible on 1 servers");
  EXPECT_EQ(lusers["252"].Param(1), "1");
  EXPECT_EQ(lusers["254"].Param(1), "1");
  EXPECT_EQ(lusers["255"].Last(), "I have 2 clients and 0 servers");
  EXPECT_EQ(lusers["265"].Param(1), "2");
  EXPECT_EQ(lusers["265"].Param(2), "2");

  // The peak stays when users leave; the unknown connection leaves the count when it quits.
  bob.Send("QUIT");
  bob.ExpectClosed();
  pending.Send("QUIT");
  pending.ExpectClosed();
  lusers = Lusers(alice);
  EXPECT_EQ(lusers["251"].Last(), "There are 1 users and 0 invisible on 1 servers");
  EXPECT_EQ(lusers["253"].Param(1), "0");
  EXPECT_EQ(lusers["265"].Param(1), "1");
  EXPECT_EQ(lusers["265"].Param(2), "2");
  EXPECT_EQ(lusers["266"].Param(2), "2");
}

TEST_F(ServerInfo, InfoVersionAndTimeAnswerForThisServerOnly) {
  StartWith("");
  auto& alice = User("alice");
  alice.Send("INFO");
  auto info = alice.CollectUntil(Command("374"));
  ASSERT_GE(info.size(), 2u);
  for (std::size_t i = 0; i + 1 < info.size(); ++i)
    EXPECT_EQ(info[i].command, "371") << info[i].raw;

  // A target is this server by name, by mask or by the nick of one of its users.
  for (const char* target : {"salon.local", "*.local", "alice"}) {
    alice.Send(std::string("INFO ") + target);
    EXPECT_EQ(alice.CollectUntil(Command("374")).front().command, "371") << target;
  }
  alice.Send("INFO elsewhere.example");
  Message none = alice.ExpectNumeric("402");
  EXPECT_EQ(none.Param(1), "elsewhere.example");
  alice.ExpectNone(Command("371"), "INFO for another server");

  alice.Send("VERSION");
  Message version = alice.ExpectNumeric("351");
  EXPECT_EQ(version.Param(2), "salon.local") << version.raw;
  // VERSION is followed by the ISUPPORT tokens.
  Message isupport = alice.ExpectNext(Command("005"));
  EXPECT_NE(isupport.raw.find("CASEMAPPING=rfc1459"), std::string::npos) << isupport.raw;
  alice.Send("VERSION nowhere.example");
  alice.ExpectNumeric("402");

  alice.Send("TIME");
  Message time = alice.ExpectNumeric("391");
  EXPECT_EQ(time.Param(1), "salon.local") << time.raw;
  EXPECT_FALSE(time.Last().empty());
}

TEST_F(ServerInfo, AdminShowsTheConfiguredContacts) {
  StartWith(
      "[admin]\nlocation = \"Lyon, France\"\nname = \"Salon Team\"\n"
      "email = \"admin@example.org\"\n");
  auto& alice = User("alice");
  alice.Send("ADMIN");
  EXPECT_EQ(alice.ExpectNext(Command("256")).Param(1), "salon.local");
  EXPECT_EQ(alice.ExpectNext(Command("257")).Last(), "Location: Lyon, France");
  EXPECT_EQ(alice.ExpectNext(Command("258")).Last(), "Run by: Salon Team");
  EXPECT_EQ(alice.ExpectNext(Command("259")).Last(), "Contact: admin@example.org");
  alice.Send("ADMIN another.example");
  alice.ExpectNumeric("402");
}

TEST_F(ServerInfo, AdminWithoutConfigSaysNotSet) {
  StartWith("");
  auto& alice = User("alice");
  alice.Send("ADMIN");
  alice.ExpectNumeric("256");
  EXPECT_EQ(alice.ExpectNumeric("257").Last(), "Location: not set");
  EXPECT_EQ(alice.ExpectNumeric("258").Last(), "Run by: not set");
  EXPECT_EQ(alice.ExpectNumeric("259").Last(), "Contact: not set");
}

TEST_F(ServerInfo, LinksShowsOnlyThisServerAndUsersIsRefused) {
  StartWith("");
  auto& alice = User("alice");
  alice.Send("LINKS");
  Message link = alice.ExpectNext(Command("364"));
  EXPECT_EQ(link.Param(1), "salon.local");
  EXPECT_EQ(link.Param(2), "salon.local");
  EXPECT_EQ(link.Last(), "0 Salon chat server");
  EXPECT_EQ(alice.ExpectNext(Command("365")).Param(1), "*");
  alice.Send("LINKS *.example");
  EXPECT_EQ(alice.ExpectNext(Command("365")).Param(1), "*.example");

  alice.Send("USERS");
  alice.ExpectNumeric("446");
}

// Every command of the server has a help topic: HELP's index lists the command table, and no
// command in it answers 524 (a command added without its text in core/help_topics.cc fails).
TEST_F(ServerInfo, HelpHasATopicForEveryCommand) {
  StartWith("");
  auto& alice = User("alice");
  alice.Send("HELP");
  auto index = alice.CollectUntil(Command("706"));
  ASSERT_GE(index.size(), 3u);
  EXPECT_EQ(index.front().command, "704");
  std::vector<std::string> commands;
  for (const Message& m : index) {
    EXPECT_EQ(m.Param(1), "*") << m.raw;
    if (m.command != "705" || m.Last().rfind("Commands:", 0) != 0) continue;
    std::istringstream words(m.Last().substr(9));
    for (std::string w; words >> w;) commands.push_back(w);
  }
  ASSERT_GE(commands.size(), 40u);
  for (const std::string& command : commands) {
    alice.Send("HELP " + command);
    auto topic = alice.CollectUntil(AnyOf({Command("706"), Command("524")}));
    ASSERT_EQ(topic.back().command, "706") << "no help for " << command;
    EXPECT_EQ(topic.front().command, "704") << command;
    for (const Message& m : topic) EXPECT_EQ(m.Param(1), command) << m.raw;
  }
}

// irctest help.py: 704, 705..., 706 naming the subject; 524 for an unknown one; HELPOP alike.
TEST_F(ServerInfo, HelpAndHelpopExplainOneSubject) {
  StartWith("");
  auto& alice = User("alice");
  for (const char* command : {"HELP", "HELPOP"}) {
    alice.Send(std::string(command) + " privmsg");
    auto lines = alice.CollectUntil(Command("706"));
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines[0].command, "704");
    EXPECT_EQ(lines[0].Param(1), "PRIVMSG");
    EXPECT_EQ(lines[0].Last().rfind("PRIVMSG <target>", 0), 0u) << lines[0].raw;
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i].command, "705");
    alice.Send(std::string(command) + " THISISNOTACOMMAND");
    Message none = alice.ExpectNext(Command("524"));
    EXPECT_EQ(none.Param(1), "THISISNOTACOMMAND");
  }
  alice.Send("HELP chanmodes");  // a subject that is not a command
  auto modes = alice.CollectUntil(Command("706"));
  EXPECT_EQ(modes[0].Param(1), "CHANMODES");
  // DEBUG exists only with debug.clock_control: without it there is no help for it either.
  alice.Send("HELP DEBUG");
  alice.ExpectNext(Command("524"));
}

}  // namespace
}  // namespace salon::testing
