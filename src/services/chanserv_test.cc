// ForgetAccount against the real store: after Store::DeleteAccount and ForgetAccount, the rooms
// in memory and the rows on disk say the same thing. (The commands themselves are tested on the
// real binary, tests/integration/chanserv_test.cc.)
#include "services/chanserv.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "config/config.h"
#include "core/channel.h"
#include "core/server.h"
#include "storage/store.h"

namespace salon::services {
namespace {

class ForgetAccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "salon_cs_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_.rooms.push_back({"#lobby", "General", "Say hello", "", "+nt"});
    store_ = storage::OpenSqliteStore(
        dir_, [this](std::function<void()> task) { boost::asio::post(io_, std::move(task)); });
    server_ = std::make_unique<core::Server>(io_, config_, *store_);
  }
  void TearDown() override {
    server_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A kept room in memory and on disk.
  core::Channel& Room(const std::string& name, const std::string& founder,
                      std::vector<storage::AccessEntry> access, bool declared) {
    core::Channel& room = server_->channels_registry().Create(name);
    room.declared = declared;
    room.founder = founder;
    room.registered_at = 1700000000;
    room.description = "Set by " + founder;
    room.access = std::move(access);
    store_->SaveRoom(room.ToStored());
    return room;
  }

  void Await(const std::function<void(storage::WriteDone)>& call) {
    std::optional<storage::WriteResult> result;
    call([&](storage::WriteResult r) { result = std::move(r); });
    // A lost completion fails the test after 20 s instead of hanging it (a guard, not timing).
    while (!result.has_value() && io_.run_one_for(std::chrono::seconds(20)) > 0) {
    }
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(result->ok()) << result->error;
  }

  std::string dir_;
  boost::asio::io_context io_;
  // Keeps run_one_for waiting for store completions while nothing else is queued.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  config::Config config_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<core::Server> server_;
};

TEST_F(ForgetAccountTest, MemoryMatchesTheStoreAfterDeleteAccount) {
  Room("#club", "Alice", {{"bob", "voice", "Alice", 1}}, false);
  Room("#lobby", "alice", {{"bob", "moderator", "alice", 1}}, true);
  Room("#den", "bob", {{"ALICE", "moderator", "bob", 1}, {"carol", "voice", "bob", 2}}, false);
  storage::StoredAccount alice;
  alice.name = "alice";
  alice.password_hash = "$argon2id$unused";
  Await([&](storage::WriteDone done) { store_->CreateAccount(alice, done); });
  Await([&](storage::WriteDone done) { store_->DeleteAccount("alice", {"#lobby"}, done); });

  ForgetAccount(*server_, "alice");

  auto& rooms = server_->channels_registry();
  EXPECT_EQ(rooms.Find("#club"), nullptr) << "an empty room that is no longer kept is dropped";
  core::Channel* lobby = rooms.Find("#lobby");
  ASSERT_NE(lobby, nullptr);
  EXPECT_TRUE(lobby->declared);
  EXPECT_FALSE(lobby->registered());
  EXPECT_TRUE(lobby->access.empty());
  EXPECT_EQ(lobby->description, "Say hello") << "the configured description is back";
  core::Channel* den = rooms.Find("#den");
  ASSERT_NE(den, nullptr);
  EXPECT_EQ(den->founder, "bob");
  ASSERT_EQ(den->access.size(), 1u);
  EXPECT_EQ(den->access[0].account, "carol");

  store_->Flush();
  std::map<std::string, storage::StoredRoom> stored;
  for (auto& room : store_->LoadRooms()) stored[room.name] = room;
  EXPECT_EQ(stored.count("#club"), 0u);
  ASSERT_EQ(stored.count("#lobby"), 1u);
  ASSERT_EQ(stored.count("#den"), 1u);
  for (core::Channel* room : {lobby, den}) {
    storage::StoredRoom memory = room->ToStored();
    const storage::StoredRoom& disk = stored[room->name()];
    EXPECT_EQ(memory.founder, disk.founder) << room->name();
    EXPECT_EQ(memory.registered_at, disk.registered_at) << room->name();
    EXPECT_EQ(memory.description, disk.description) << room->name();
    ASSERT_EQ(memory.access.size(), disk.access.size()) << room->name();
    for (std::size_t i = 0; i < memory.access.size(); ++i) {
      EXPECT_EQ(memory.access[i].account, disk.access[i].account) << room->name();
      EXPECT_EQ(memory.access[i].level, disk.access[i].level) << room->name();
    }
  }
}

}  // namespace
}  // namespace salon::services
