// Tests of SqliteStore's roles and sanctions (schema v5) against a real SQLite file: what is
// saved is loaded back after reopening, a revoked role and a deleted sanction are gone, and the
// table constraints refuse what the store must never hold.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/sqlite/sqlite_store.h"

namespace salon::storage {
namespace {

class SqliteModerationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "salon_mod_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Completions run inline: these tests only wait with Flush().
  std::unique_ptr<Store> Open() {
    return OpenSqliteStore(dir_, [](std::function<void()> task) { task(); });
  }

  std::string dir_;
};

StoredSanction Ban(const std::string& ref, const std::string& target) {
  StoredSanction s;
  s.ref = ref;
  s.kind = "ban";
  s.scope = "*";
  s.target_kind = "cidr";
  s.target = target;
  s.reason = "spam waves";
  s.set_by = "Mod";
  s.set_at_ms = 1700000000000;
  s.expires_at_ms = 1700000360000;
  return s;
}

TEST_F(SqliteModerationTest, RolesSurviveReopenAndRevokeDeletes) {
  {
    auto store = Open();
    store->SaveRole({"Alice", "admin", "config", 17}, nullptr);
    store->SaveRole({"Bob", "moderator", "Alice", 18}, nullptr);
    store->SaveRole({"carol", "moderator", "Alice", 19}, nullptr);
    store->SaveRole({"CAROL", "none", "Alice", 20}, nullptr);  // any case revokes
    store->Flush();
  }
  auto store = Open();
  auto roles = store->LoadRoles();
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].account, "Alice");
  EXPECT_EQ(roles[0].role, "admin");
  EXPECT_EQ(roles[1].account, "Bob");
  EXPECT_EQ(roles[1].role, "moderator");
  EXPECT_EQ(roles[1].granted_by, "Alice");
  EXPECT_EQ(roles[1].granted_at, 18);
}

TEST_F(SqliteModerationTest, UnknownRoleIsRefused) {
  auto store = Open();
  std::optional<WriteResult> result;
  store->SaveRole({"Eve", "god", "Eve", 1}, [&](WriteResult r) { result = r; });
  store->Flush();
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, WriteStatus::kFailed);
  EXPECT_TRUE(store->LoadRoles().empty());
}

TEST_F(SqliteModerationTest, SanctionsSurviveReopenAndDeleteByRef) {
  {
    auto store = Open();
    store->SaveSanction(Ban("D-000001", "192.0.2.0/24"));
    StoredSanction mute = Ban("D-000002", "Bob");
    mute.kind = "mute";
    mute.scope = "#Lobby";
    mute.target_kind = "account";
    mute.expires_at_ms = 0;
    store->SaveSanction(mute);
    store->SaveSanction(Ban("D-000003", "2001:db8::/32"));
    store->DeleteSanction("D-000003");
    store->Flush();
  }
  auto store = Open();
  auto sanctions = store->LoadSanctions();
  ASSERT_EQ(sanctions.size(), 2u);
  EXPECT_EQ(sanctions[0].ref, "D-000001");
  EXPECT_EQ(sanctions[0].target, "192.0.2.0/24");
  EXPECT_EQ(sanctions[0].reason, "spam waves");
  EXPECT_EQ(sanctions[0].expires_at_ms, 1700000360000);
  EXPECT_EQ(sanctions[1].kind, "mute");
  EXPECT_EQ(sanctions[1].scope, "#Lobby");
  EXPECT_EQ(sanctions[1].target_kind, "account");
  EXPECT_EQ(sanctions[1].expires_at_ms, 0);
}

TEST_F(SqliteModerationTest, SanctionWithUnknownKindIsNotStored) {
  auto store = Open();
  StoredSanction bad = Ban("D-00000a", "x");
  bad.kind = "exile";
  store->SaveSanction(bad);  // logged, not stored
  store->Flush();
  EXPECT_TRUE(store->LoadSanctions().empty());
}

}  // namespace
}  // namespace salon::storage
