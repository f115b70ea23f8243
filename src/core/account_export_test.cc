// The export document leaves the secrets out and keeps everything else; SplitUtf8 cuts between
// characters and loses nothing.
#include "core/account_export.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace salon::core {
namespace {

storage::AccountData Sample() {
  storage::AccountData data;
  data.account.name = "Alice";
  data.account.password_hash = "$argon2id$v=19$secret-hash";
  data.account.scram_salt = "salt-bytes";
  data.account.scram_iterations = 4096;
  data.account.scram_stored_key = "stored-key-bytes";
  data.account.scram_server_key = "server-key-bytes";
  data.account.verify_code_hash = "code-hash";
  data.account.email = "alice@example.org";
  data.account.created_at = 1000;
  data.account.last_seen_at = 2000;
  data.account.age = 30;
  data.account.gender = "f";
  data.account.town = "Zürich";
  data.account.history_opt_in = true;
  storage::StoredRoom room;
  room.name = "#Alices";
  room.founder = "Alice";
  room.registered_at = 1500;
  room.description = "ours";
  room.history_retention_s = 7 * 86400;
  room.access.push_back({"bob", "voice", "Alice", 1600});
  data.founded_rooms.push_back(room);
  data.access.push_back({"#elsewhere", {"alice", "moderator", "carol", 1700}});
  data.audit.push_back({1000000, "alice", "192.0.2.1", "login", "alice", "SASL PLAIN", "", 0, ""});
  data.audit.push_back(
      {1100000, "mallory", "198.51.100.7", "login.failed", "alice", "IDENTIFY", "", 0, ""});
  data.read_markers.push_back({"#Elsewhere", 1546612406123});
  return data;
}

TEST(AccountExport, KeepsTheDataAndLeavesOutSecretsAndOthersAddresses) {
  std::string text = AccountExportJson(Sample(), 3000);
  for (const char* secret : {"argon2id", "secret-hash", "salt-bytes", "stored-key", "server-key",
                             "code-hash", "198.51.100.7"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
  boost::json::value doc = boost::json::parse(text);
  EXPECT_EQ(doc.at("exported_at").as_int64(), 3000);
  const auto& account = doc.at("account");
  EXPECT_EQ(account.at("name").as_string(), "Alice");
  EXPECT_EQ(account.at("email").as_string(), "alice@example.org");
  EXPECT_EQ(account.at("created_at").as_int64(), 1000);
  EXPECT_EQ(account.at("last_seen_at").as_int64(), 2000);
  EXPECT_EQ(account.at("profile").at("town").as_string(), "Zürich");
  EXPECT_TRUE(account.at("history_opt_in").as_bool());
  EXPECT_EQ(doc.at("founded_rooms").at(0).at("history_retention_s").as_int64(), 7 * 86400);
  EXPECT_EQ(doc.at("founded_rooms").at(0).at("access").at(0).at("account").as_string(), "bob");
  EXPECT_EQ(doc.at("access").at(0).at("room").as_string(), "#elsewhere");
  EXPECT_EQ(doc.at("access").at(0).at("level").as_string(), "moderator");
  const auto& audit = doc.at("audit").as_array();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].at("actor_ip").as_string(), "192.0.2.1");  // the account's own address
  EXPECT_FALSE(audit[1].as_object().contains("actor_ip"));      // someone else's
  EXPECT_EQ(audit[1].at("actor").as_string(), "mallory");
  const auto& markers = doc.at("read_markers").as_array();
  ASSERT_EQ(markers.size(), 1u);
  EXPECT_EQ(markers[0].at("target").as_string(), "#Elsewhere");
  EXPECT_EQ(markers[0].at("time_ms").as_int64(), 1546612406123);
}

TEST(AccountExport, NoEmailNoProfileAreNull) {
  storage::AccountData data;
  data.account.name = "bob";
  boost::json::value doc = boost::json::parse(AccountExportJson(data, 0));
  EXPECT_TRUE(doc.at("account").at("email").is_null());
  EXPECT_TRUE(doc.at("account").at("profile").is_null());
  EXPECT_TRUE(doc.at("audit").as_array().empty());
  EXPECT_TRUE(doc.at("read_markers").as_array().empty());
}

TEST(SplitUtf8, CutsBetweenCharactersAndLosesNothing) {
  std::string text = "a";
  for (int i = 0; i < 50; ++i) text += "é€😀";  // 2, 3 and 4 bytes
  for (std::size_t max : {4u, 5u, 7u, 400u}) {
    std::string joined;
    for (std::string_view piece : SplitUtf8(text, max)) {
      EXPECT_LE(piece.size(), max);
      EXPECT_FALSE(piece.empty());
      EXPECT_NE(static_cast<unsigned char>(piece[0]) & 0xC0, 0x80) << "cut inside a character";
      joined += piece;
    }
    EXPECT_EQ(joined, text) << max;
  }
  EXPECT_TRUE(SplitUtf8("", 400).empty());
  EXPECT_EQ(SplitUtf8("abc", 400).size(), 1u);
}

}  // namespace
}  // namespace salon::core
