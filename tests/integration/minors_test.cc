// The protection of minors against the real binary (docs/moderation.md, "Protection of
// minors"; moderation/age_policy.h): adults-only rooms (+A, `adults_only = true`, /api/rooms),
// refused to a minor and to someone of unknown age, an INVITE included; no private messages
// between an adult and a minor either way (and the server setting that lets a minor start one);
// message requests between minors (717 / NOTE, 718, ACCEPT); a minor's town hidden from others
// (PROFILE lines of the member list and of changes, WHOIS); the rate limit and audit of a
// declared age that changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"
#include "ws_client.h"

namespace salon::testing {
namespace {

const std::string kRooms =
    "[profile]\nminimum_age = 13\n\n"
    "[[rooms]]\nname = \"#lobby\"\ncategory = \"Everyone\"\ndescription = \"Open to all\"\n\n"
    "[[rooms]]\nname = \"#over18\"\ncategory = \"Adults\"\ndescription = \"Adults only\"\n"
    "adults_only = true\n\n";

Predicate Fail(const std::string& command, const std::string& code, const std::string& target) {
  return Matches("^\\S+ FAIL " + command + " " + code + " " + target + " ");
}

Predicate PrivmsgFrom(const std::string& nick) { return Matches("^:" + nick + "!\\S+ PRIVMSG "); }

class Minors : public ::testing::Test {
 protected:
  void Start(const std::string& minors = "", const std::string& limits = "") {
    server_ = std::make_unique<TestServer>(
        TestConfig({.limits = limits,
                    // Rooms made here are listed at once: the catalogue test reads one (#late).
                    .tail = minors + kRooms + "[room_policy]\nuser_rooms = \"listed\"\n\n" +
                            "[debug]\nclock_control = true\n"}));
    server_->Start();
  }

  // A registered client with a declared profile (age 0: none declared, as a plain IRC client).
  std::unique_ptr<TestClient> User(const std::string& nick, int age, const std::string& caps = "",
                                   const std::string& town = "") {
    auto c = RegisteredClient(*server_, nick, caps);
    if (age > 0) {
      c->Send("PROFILE SET " + std::to_string(age) + " f :" + town);
      c->Expect(CommandParam("PROFILE", 0, nick));
      c->Drain();
    }
    return c;
  }

  std::unique_ptr<TestServer> server_;
};

// --- Adults-only rooms --------------------------------------------------------------------

TEST_F(Minors, AdultsOnlyRoomRefusesMinorsAndUnknownAgesAndAdmitsAdults) {
  Start();
  auto minor = User("lea", 15, "standard-replies");
  minor->Send("JOIN #over18");
  Message fail = minor->Expect(Fail("JOIN", "ADULTS_ONLY", "#over18"));
  Message refused = minor->ExpectNumeric("474");
  EXPECT_EQ(refused.Param(1), "#over18");
  EXPECT_NE(refused.Last().find("(+A)"), std::string::npos) << refused.raw;
  EXPECT_EQ(fail.Last(), refused.Last());
  minor->ExpectNone(CommandParam("JOIN", 0, "#over18"), "a minor in #over18");

  // Someone who declared no age (a plain client): the numeric only, no FAIL.
  auto unknown = User("plain", 0);
  unknown->Send("JOIN #over18");
  EXPECT_EQ(unknown->ExpectNumeric("474").Param(1), "#over18");
  unknown->ExpectNone(AnyOf({Command("FAIL"), CommandParam("JOIN", 0, "#over18")}),
                      "a FAIL or a JOIN for a plain client of unknown age");

  auto adult = User("max", 34);
  adult->Join("#over18");
  adult->Send("MODE #over18");
  EXPECT_NE(adult->ExpectNumeric("324").Param(2).find('A'), std::string::npos);
}

TEST_F(Minors, OperatorSetsPlusAAndAnInviteDoesNotLetAMinorIn) {
  Start();
  auto op = User("max", 34);
  auto other = User("tom", 40);
  auto minor = User("lea", 15);
  op->Join("#side");
  other->Join("#side");
  minor->Join("#side");  // already inside when it becomes +A: stays
  op->Drain();
  // Not an operator: refused.
  other->Send("MODE #side +A");
  other->ExpectNumeric("482");
  op->Send("MODE #side +A");
  Message mode = op->Expect(Command("MODE"));
  EXPECT_EQ(mode.Param(1), "+A") << mode.raw;
  minor->Expect(Command("MODE"));
  minor->Send("NAMES #side");
  Message names = minor->ExpectNumeric("353");
  EXPECT_NE(names.Last().find("lea"), std::string::npos) << names.raw;

  auto late = User("noa", 16);
  late->Send("JOIN #side");
  EXPECT_EQ(late->ExpectNumeric("474").Param(1), "#side");
  // An invitation from the operator does not open an adults-only room to a minor.
  op->Send("INVITE noa #side");
  op->ExpectNumeric("341");
  late->Expect(Command("INVITE"));
  late->Send("JOIN #side");
  EXPECT_EQ(late->ExpectNumeric("474").Param(1), "#side");
  late->ExpectNone(CommandParam("JOIN", 0, "#side"), "an invited minor in a +A room");

  // -A opens it again.
  op->Send("MODE #side -A");
  op->Expect(Command("MODE"));
  late->Join("#side");
}

TEST_F(Minors, ApiRoomsMarksAdultsOnlyRooms) {
  Start();
  HttpResponse r = HttpGet(server_->http_port(), "/api/rooms");
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::array rooms = boost::json::parse(r.body).as_array();
  int seen = 0;
  for (const auto& value : rooms) {
    const auto& room = value.as_object();
    const std::string name(room.at("name").as_string());
    ASSERT_TRUE(room.contains("adults_only")) << r.body;
    if (name == "#over18") {
      ++seen;
      EXPECT_TRUE(room.at("adults_only").as_bool());
    }
    if (name == "#lobby") {
      ++seen;
      EXPECT_FALSE(room.at("adults_only").as_bool());
    }
  }
  EXPECT_EQ(seen, 2) << r.body;
  // A room made +A at run time is marked too.
  auto op = User("max", 34);
  op->Join("#late");
  op->Send("MODE #late +A");
  op->Expect(Command("MODE"));
  r = HttpGet(server_->http_port(), "/api/rooms");
  EXPECT_NE(r.body.find("\"name\":\"#late\""), std::string::npos) << r.body;
  const boost::json::value late = boost::json::parse(r.body);
  for (const auto& value : late.as_array()) {
    if (value.as_object().at("name").as_string() == "#late") {
      EXPECT_TRUE(value.as_object().at("adults_only").as_bool());
    }
  }
}

// --- Private messages between adults and minors -------------------------------------------

TEST_F(Minors, NoPrivateMessagesBetweenAnAdultAndAMinorEitherWay) {
  Start();
  auto adult = User("max", 34, "standard-replies");
  auto minor = User("lea", 15, "standard-replies");
  adult->Send("PRIVMSG lea :hi lea, want to chat?");
  Message fail = adult->Expect(Fail("PRIVMSG", "CANNOT_MESSAGE", "lea"));
  EXPECT_EQ(fail.Last(), "You can't message this person");
  Message numeric = adult->ExpectNumeric("531");
  EXPECT_EQ(numeric.Param(1), "lea");
  EXPECT_EQ(numeric.Last(), "You can't message this person");
  adult->Send("NOTICE lea :notice");
  adult->Send("@+typing=active TAGMSG lea");
  minor->ExpectNone(AnyOf({PrivmsgFrom("max"), Command("NOTICE"), Command("TAGMSG")}),
                    "a message from the adult");

  minor->Send("PRIVMSG max :hello");
  minor->Expect(Fail("PRIVMSG", "CANNOT_MESSAGE", "max"));
  EXPECT_EQ(minor->ExpectNumeric("531").Param(1), "max");
  adult->ExpectNone(PrivmsgFrom("lea"), "a message from the minor");

  // Someone of unknown age counts as an adult here, and a plain client gets 531 alone.
  auto unknown = User("plain", 0);
  unknown->Send("PRIVMSG lea :hi");
  EXPECT_EQ(unknown->ExpectNumeric("531").Param(1), "lea");
  unknown->ExpectNone(Command("FAIL"), "a FAIL for a plain client");
  minor->ExpectNone(PrivmsgFrom("plain"), "a message from someone of unknown age");
  minor->Send("PRIVMSG plain :hi");
  minor->Expect(Fail("PRIVMSG", "CANNOT_MESSAGE", "plain"));
  unknown->ExpectNone(PrivmsgFrom("lea"), "a message from the minor");

  // Adults among themselves are not concerned.
  adult->Send("PRIVMSG plain :hello");
  unknown->Expect(PrivmsgFrom("max"));
}

TEST_F(Minors, TheServerSettingLetsAMinorStartAConversation) {
  Start("[minors]\nminors_may_start_private = true\n\n");
  auto adult = User("max", 34, "standard-replies");
  auto minor = User("lea", 15);
  auto other = User("noa", 16);
  // The adult still cannot start one.
  adult->Send("PRIVMSG lea :hi");
  adult->Expect(Fail("PRIVMSG", "CANNOT_MESSAGE", "lea"));
  minor->ExpectNone(PrivmsgFrom("max"), "a message from the adult");
  // The minor can; then the adult answers in that conversation.
  minor->Send("PRIVMSG max :hello, a question about the room");
  EXPECT_EQ(adult->Expect(PrivmsgFrom("lea")).Last(), "hello, a question about the room");
  adult->Send("PRIVMSG lea :sure, ask");
  EXPECT_EQ(minor->Expect(PrivmsgFrom("max")).Last(), "sure, ask");
  // Only with that minor.
  adult->Send("PRIVMSG noa :hi");
  adult->Expect(Fail("PRIVMSG", "CANNOT_MESSAGE", "noa"));
  other->ExpectNone(PrivmsgFrom("max"), "a message from the adult");
}

// --- Message requests ---------------------------------------------------------------------

TEST_F(Minors, AMessageRequestIsDeliveredWhenAccepted) {
  Start();
  auto lea = User("lea", 15);
  auto noa = User("noa", 16, "standard-replies");
  noa->Send("PRIVMSG lea :salut lea, on se connait ?");
  Message note = noa->Expect(Matches("^\\S+ NOTE PRIVMSG MESSAGE_REQUEST lea "));
  Message informed = noa->ExpectNumeric("717");
  EXPECT_EQ(informed.Param(1), "lea");
  EXPECT_NE(informed.Last().find("informed"), std::string::npos) << informed.raw;
  Message request = lea->ExpectNumeric("718");
  EXPECT_EQ(request.Param(1), "noa");
  EXPECT_NE(request.Param(2).find('@'), std::string::npos) << request.raw;
  EXPECT_NE(request.Last().find("requested permission to message you"), std::string::npos);
  noa->Send("PRIVMSG lea :second line");
  noa->ExpectNumeric("717");
  lea->ExpectNone(AnyOf({PrivmsgFrom("noa"), Command("718")}),
                  "the request delivered, or a second 718");

  lea->Send("ACCEPT +noa");
  EXPECT_EQ(lea->Expect(PrivmsgFrom("noa")).Last(), "salut lea, on se connait ?");
  EXPECT_EQ(lea->Expect(PrivmsgFrom("noa")).Last(), "second line");
  lea->Send("ACCEPT *");
  EXPECT_EQ(lea->ExpectNumeric("281").Param(1), "noa");
  lea->ExpectNumeric("282");
  // Now they talk both ways, and what noa writes arrives at once.
  lea->Send("PRIVMSG noa :oui, salut !");
  EXPECT_EQ(noa->Expect(PrivmsgFrom("lea")).Last(), "oui, salut !");
  noa->Send("PRIVMSG lea :cool");
  EXPECT_EQ(lea->Expect(PrivmsgFrom("noa")).Last(), "cool");
  noa->ExpectNone(Command("717"), "a request once accepted");

  // ACCEPT -noa closes it: the next message is a request again.
  lea->Send("ACCEPT -noa");
  lea->Send("ACCEPT *");
  lea->ExpectNumeric("282");
  noa->Send("PRIVMSG lea :still there?");
  noa->ExpectNumeric("717");
  lea->ExpectNumeric("718");
  lea->ExpectNone(PrivmsgFrom("noa"), "a message after ACCEPT -noa");
  lea->Send("ACCEPT -nobody");
  EXPECT_EQ(lea->ExpectNumeric("401").Param(1), "nobody");
}

TEST_F(Minors, RequestsAreBoundedAndDroppedWhenTheSenderLeaves) {
  Start("[minors]\npending_requests_max = 2\n\n");
  auto lea = User("lea", 15);
  auto noa = User("noa", 16, "standard-replies");
  noa->Send("PRIVMSG lea :one");
  noa->ExpectNumeric("717");
  noa->Send("PRIVMSG lea :two");
  noa->ExpectNumeric("717");
  noa->Send("PRIVMSG lea :three");
  noa->Expect(Fail("PRIVMSG", "REQUEST_LIMIT", "lea"));
  EXPECT_EQ(noa->ExpectNumeric("531").Param(1), "lea");
  lea->ExpectNumeric("718");

  // Writing back is accepting: lea gets what waited, noa gets lea's message.
  lea->Send("PRIVMSG noa :hi noa");
  EXPECT_EQ(lea->Expect(PrivmsgFrom("noa")).Last(), "one");
  EXPECT_EQ(lea->Expect(PrivmsgFrom("noa")).Last(), "two");
  lea->ExpectNone(PrivmsgFrom("noa"), "the refused third message");
  EXPECT_EQ(noa->Expect(PrivmsgFrom("lea")).Last(), "hi noa");

  // A request whose sender left is gone.
  auto zoe = User("zoe", 14);
  zoe->Send("PRIVMSG lea :hello from zoe");
  zoe->ExpectNumeric("717");
  lea->ExpectNumeric("718");
  zoe->Send("QUIT");
  zoe->ExpectClosed();
  auto zoe2 = User("zoe", 14);
  lea->Send("ACCEPT +zoe");
  lea->ExpectNone(PrivmsgFrom("zoe"), "a request of a connection that left");
}

// --- Towns --------------------------------------------------------------------------------

TEST_F(Minors, AMinorsTownIsShownToNobodyElse) {
  Start();
  auto lea = User("lea", 15, "salon.chat/profile", "Lyon");
  auto noa = User("noa", 16, "salon.chat/profile", "Nantes");
  lea->Join("#lobby");
  noa->Join("#lobby");
  lea->Drain();
  // noa's member list, when she joined: lea's line without her town.
  Message leas = noa->Expect(CommandParam("PROFILE", 0, "lea"));
  EXPECT_EQ(leas.Param(1), "15");
  EXPECT_EQ(leas.Param(3), "") << leas.raw;
  auto max = User("max", 34, "salon.chat/profile", "Paris");
  max->Join("#lobby");
  // The member list's profile lines: no town for the minors, the adult's own is there.
  int minors_seen = 0;
  bool saw_self = false;
  for (const Message& m : max->Sync()) {
    if (m.command != "PROFILE") continue;
    if (m.Param(0) == "lea" || m.Param(0) == "noa") {
      ++minors_seen;
      EXPECT_EQ(m.Param(3), "") << m.raw;
    }
    if (m.Param(0) == "max") {
      saw_self = true;
      EXPECT_EQ(m.Param(3), "Paris") << m.raw;
    }
  }
  EXPECT_EQ(minors_seen, 2);
  EXPECT_TRUE(saw_self);
  // The others see the adult's town (the joiner's profile line).
  EXPECT_EQ(lea->Expect(CommandParam("PROFILE", 0, "max")).Last(), "Paris");
  // A minor's own line is hers in full.
  noa->Drain();
  noa->Send("PROFILE SET 16 f :Rennes");
  Message own = noa->Expect(CommandParam("PROFILE", 0, "noa"));
  EXPECT_EQ(own.Param(3), "Rennes");
  EXPECT_EQ(max->Expect(CommandParam("PROFILE", 0, "noa")).Param(3), "") << "the change, to max";
  EXPECT_EQ(lea->Expect(CommandParam("PROFILE", 0, "noa")).Param(3), "") << "to another minor";

  // WHOIS: by someone else, no town; by herself, hers.
  max->Send("WHOIS lea");
  Message whois = max->ExpectNumeric("320");
  EXPECT_EQ(whois.Last(), "is 15 years old, female") << whois.raw;
  max->ExpectNumeric("318");
  lea->Send("WHOIS lea");
  EXPECT_EQ(lea->ExpectNumeric("320").Last(), "is 15 years old, female, from Lyon");
  lea->ExpectNumeric("318");
  max->Send("WHOIS max");
  EXPECT_EQ(max->ExpectNumeric("320").Last(), "is 34 years old, female, from Paris");
}

// --- Declared age -------------------------------------------------------------------------

TEST_F(Minors, ADeclaredAgeChangesAtMostOncePerIntervalAndIsAudited) {
  // Ten minutes here (an hour by default), within the registration timeout.
  Start("[minors]\nage_change_interval_minutes = 10\n\n", "registration_timeout_s = 3600\n");
  TestClient c(*server_);
  c.Send("CAP LS 302");
  c.Send("CAP REQ :standard-replies");
  c.ExpectCommand("CAP");
  c.Expect(Matches(" ACK "));
  c.Send("NICK kid");
  c.Send("PROFILE SET 20 f :Lyon");
  EXPECT_EQ(c.ExpectCommand("PROFILE").Param(1), "20");
  c.Send("PROFILE SET 16 f :Lyon");  // the first change goes
  EXPECT_EQ(c.ExpectCommand("PROFILE").Param(1), "16");
  c.Send("PROFILE SET 19 f :Lyon");  // the second within the interval does not
  Message fail = c.Expect(Matches("^\\S+ FAIL PROFILE AGE_CHANGE_TOO_SOON "));
  EXPECT_NE(fail.Last().find("10 minutes"), std::string::npos) << fail.raw;
  Message again = c.ExpectNumeric("263");
  EXPECT_EQ(again.Param(1), "PROFILE");
  c.Send("PROFILE SET 16 nb :Lyon");  // the same age: not a change
  EXPECT_EQ(c.ExpectCommand("PROFILE").Param(2), "nb");

  auto clock = User("clock", 30);
  AdvanceClock(*clock, 599);
  c.Send("PROFILE SET 19 f :Lyon");
  c.Expect(Matches("^\\S+ FAIL PROFILE AGE_CHANGE_TOO_SOON "));
  AdvanceClock(*clock, 2);
  c.Send("PROFILE SET 19 f :Lyon");
  EXPECT_EQ(c.ExpectCommand("PROFILE").Param(1), "19");
  c.Send("USER kid 0 * :Kid");
  c.Send("CAP END");
  c.ExpectNumeric("001");

  server_->Stop();
  auto rows = AuditRows(*server_);
  auto has = [&](const std::string& prefix) {
    return std::any_of(rows.begin(), rows.end(),
                       [&](const std::string& row) { return row.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("profile.age_change|kid|kid|age 20 -> 16")) << ::testing::PrintToString(rows);
  EXPECT_TRUE(has("profile.age_change_refused|kid|kid|age 16 -> 19"));
  EXPECT_TRUE(has("profile.age_change|kid|kid|age 16 -> 19"));
}

}  // namespace
}  // namespace salon::testing
