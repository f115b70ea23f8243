#include "moderation/links.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace salon::moderation {
namespace {

std::vector<std::string> Hosts(std::string_view text) {
  std::vector<std::string> out;
  for (auto h : LinkHosts(text)) out.emplace_back(h);
  return out;
}

TEST(Links, FindsSchemesWwwAndCommonBareDomains) {
  EXPECT_EQ(Hosts("see https://Example.COM/path?x=1"), std::vector<std::string>{"example.com"});
  EXPECT_EQ(Hosts("http://10.0.0.1:8080/"), std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(Hosts("go to www.site.example now"), std::vector<std::string>{"www.site.example"});
  EXPECT_EQ(Hosts("bit.ly/abc and shop.fr."), (std::vector<std::string>{"bit.ly", "shop.fr"}));
}

TEST(Links, OrdinaryTextIsNotALink) {
  for (const char* text :
       {"e.g. this", "pi is 3.14", "ok...ok", "fin.", "bonjour à tous", "version 1.2.3", "a.b"}) {
    EXPECT_FALSE(ContainsLink(text)) << text;
  }
}

TEST(Links, HostWithinADomain) {
  EXPECT_TRUE(HostWithin("example.com", "example.com"));
  EXPECT_TRUE(HostWithin("a.b.example.com", "example.com"));
  EXPECT_FALSE(HostWithin("badexample.com", "example.com"));
  EXPECT_FALSE(HostWithin("com", "example.com"));
}

}  // namespace
}  // namespace salon::moderation
