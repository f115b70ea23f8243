// Capability values shown by CAP LS 302 (sasl mechanisms, account-registration flags).
#include "core/capabilities.h"

#include <gtest/gtest.h>

namespace salon::core {
namespace {

TEST(CapabilitiesTest, ValuesFollowTheConfig) {
  config::Config config;
  EXPECT_EQ(CapValue(kCapSasl, config), "PLAIN,SCRAM-SHA-256");
  EXPECT_EQ(CapValue(kCapAccountRegistration, config), "before-connect");
  config.accounts.email_verification = true;
  EXPECT_EQ(CapValue(kCapAccountRegistration, config), "before-connect,email-required");
  config.accounts.registration_before_connect = false;
  EXPECT_EQ(CapValue(kCapAccountRegistration, config), "email-required");
  config.accounts.email_verification = false;
  EXPECT_EQ(CapValue(kCapAccountRegistration, config), "");
  EXPECT_EQ(CapValue(kCapEchoMessage, config), "");
}

TEST(CapabilitiesTest, AccountCapsAreOffered) {
  EXPECT_EQ(CapByName("sasl"), kCapSasl);
  EXPECT_EQ(CapByName("draft/account-registration"), kCapAccountRegistration);
  EXPECT_EQ(CapByName("sasl=PLAIN"), 0u);  // values are not part of the name in CAP REQ
}

}  // namespace
}  // namespace salon::core
