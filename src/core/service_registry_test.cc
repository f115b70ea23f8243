// ServiceRegistry: lookup by nick (rfc1459 casemapping) and by command alias.
#include "core/service_registry.h"

#include <gtest/gtest.h>

namespace salon::core {
namespace {

class EchoService final : public Service {
 public:
  std::string_view nick() const override { return "NickServ"; }
  std::vector<std::string> aliases() const override { return {"NS", "NickServ"}; }
  void OnMessage(Server&, Client&, std::string_view) override {}
};

TEST(ServiceRegistry, FindsByNickAndAliasCaseInsensitively) {
  ServiceRegistry registry;
  EXPECT_EQ(registry.Find("NickServ"), nullptr);
  registry.Add(std::make_unique<EchoService>());
  Service* service = registry.all().front().get();
  EXPECT_EQ(registry.Find("nickserv"), service);
  EXPECT_EQ(registry.Find("NICKSERV"), service);
  EXPECT_EQ(registry.Find("ChanServ"), nullptr);
  EXPECT_EQ(registry.FindByAlias("ns"), service);
  EXPECT_EQ(registry.FindByAlias("nickserv"), service);
  EXPECT_EQ(registry.FindByAlias("CS"), nullptr);
}

}  // namespace
}  // namespace salon::core
