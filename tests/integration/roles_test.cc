// Server roles against the real binary: ROLE GRANT / REVOKE / LIST by an administrator of the
// configuration, refusals (481 for a non-administrator, FAIL ROLE for a bad request, both
// audited), a configured role that cannot be lowered, and grants that survive a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "account_helpers.h"
#include "harness.h"

namespace salon::testing {
namespace {

const std::string kPassword = "roles-passphrase";

class Roles : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ =
        std::make_unique<TestServer>(TestConfig({.tail = "[moderation]\nadmins = [\"boss\"]\n"}));
    server_->Start();
    for (const char* name : {"boss", "bob", "eve"}) RegisterAccount(*server_, name, kPassword);
  }

  // The NOTE ROLE ENTRY lines of ROLE LIST as "account role source".
  std::vector<std::string> List(TestClient& c) {
    c.Send("ROLE LIST");
    std::vector<std::string> entries;
    for (const Message& m : c.CollectUntil(Matches("^\\S+ NOTE ROLE END "))) {
      if (m.command == "NOTE" && m.Param(1) == "ENTRY") {
        entries.push_back(m.Param(2) + " " + m.Param(3) + " " + m.Param(4));
      }
    }
    return entries;
  }

  bool Audited(const std::string& prefix) {
    auto rows = AuditRows(*server_);
    return std::any_of(rows.begin(), rows.end(),
                       [&](const std::string& row) { return row.rfind(prefix, 0) == 0; });
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(Roles, NonAdministratorIsRefusedAndAudited) {
  auto eve = LoggedIn(*server_, "eve", "eve", kPassword);
  eve->Send("ROLE GRANT eve admin");
  eve->ExpectNumeric("481");
  eve->Send("ROLE LIST");
  eve->ExpectNumeric("481");
  auto guest = RegisteredClient(*server_, "guest");
  guest->Send("ROLE REVOKE boss");
  guest->ExpectNumeric("481");
  server_->Stop();
  EXPECT_TRUE(Audited("role.refused|eve|eve|GRANT"));
  EXPECT_TRUE(Audited("role.refused|guest|boss|REVOKE"));
}

TEST_F(Roles, GrantRevokeListAndRestart) {
  auto boss = LoggedIn(*server_, "boss", "boss", kPassword);
  auto bob = LoggedIn(*server_, "bob", "bob", kPassword);
  EXPECT_EQ(List(*boss), std::vector<std::string>{"boss admin config"});

  boss->Send("ROLE GRANT bob moderator");
  Message granted = boss->Expect(Matches(" NOTE ROLE GRANTED bob moderator "));
  bob->Expect(Matches("NOTICE bob :You are now a server moderator"));
  EXPECT_EQ(List(*boss), (std::vector<std::string>{"bob moderator granted", "boss admin config"}));

  // A moderator is not an administrator.
  bob->Send("ROLE GRANT eve moderator");
  bob->ExpectNumeric("481");

  boss->Send("ROLE GRANT nobody moderator");
  boss->Expect(Matches(" FAIL ROLE ACCOUNT_NOT_FOUND nobody "));
  boss->Send("ROLE GRANT bob emperor");
  boss->Expect(Matches(" FAIL ROLE INVALID_ROLE emperor "));
  boss->Send("ROLE REVOKE boss");
  boss->Expect(Matches(" FAIL ROLE CONFIGURED boss "));
  boss->Send("ROLE GRANT boss moderator");
  boss->Expect(Matches(" FAIL ROLE CONFIGURED boss "));

  boss.reset();
  bob.reset();
  server_->Restart();
  boss = LoggedIn(*server_, "boss", "boss", kPassword);
  EXPECT_EQ(List(*boss), (std::vector<std::string>{"bob moderator granted", "boss admin config"}));
  boss->Send("ROLE REVOKE bob");
  boss->Expect(Matches(" NOTE ROLE REVOKED bob "));
  boss->Send("ROLE REVOKE bob");
  boss->Expect(Matches(" FAIL ROLE NO_ROLE bob "));

  boss.reset();
  server_->Restart();
  boss = LoggedIn(*server_, "boss", "boss", kPassword);
  EXPECT_EQ(List(*boss), std::vector<std::string>{"boss admin config"});
  boss.reset();
  server_->Stop();
  EXPECT_TRUE(Audited("role.grant|boss|bob|moderator"));
  EXPECT_TRUE(Audited("role.revoke|boss|bob|"));
  EXPECT_TRUE(Audited("role.refused|boss|boss|REVOKE boss"));
}

}  // namespace
}  // namespace salon::testing
