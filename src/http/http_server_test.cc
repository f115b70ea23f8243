// Unit tests for the HTTP header decisions: subprotocol, origin, ETag, gzip.
#include "http/http_server.h"

#include <gtest/gtest.h>

namespace salon::http {
namespace {

TEST(ChooseSubprotocol, HonoursTheClientsOrder) {
  EXPECT_EQ(ChooseSubprotocol("binary.ircv3.net, text.ircv3.net"), "binary.ircv3.net");
  EXPECT_EQ(ChooseSubprotocol("text.ircv3.net,binary.ircv3.net"), "text.ircv3.net");
  EXPECT_EQ(ChooseSubprotocol("chat, text.ircv3.net"), "text.ircv3.net");
  EXPECT_EQ(ChooseSubprotocol("chat"), "");
  EXPECT_EQ(ChooseSubprotocol(""), "");
}

TEST(OriginAllowed, SameOriginByDefault) {
  EXPECT_TRUE(OriginAllowed("", "127.0.0.1:8080", {}));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
  EXPECT_FALSE(OriginAllowed("http://evil.example", "127.0.0.1:8080", {}));
  EXPECT_FALSE(OriginAllowed("garbage", "127.0.0.1:8080", {}));
}

TEST(OriginAllowed, ConfiguredListReplacesSameOrigin) {
  std::vector<std::string> allowed{"https://chat.example.org"};
  EXPECT_TRUE(OriginAllowed("https://chat.example.org", "127.0.0.1:8080", allowed));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:8080", "127.0.0.1:8080", allowed));
}

TEST(EtagMatches, ListsWeakTagsAndStar) {
  EXPECT_TRUE(EtagMatches("\"12-34\"", "\"12-34\""));
  EXPECT_TRUE(EtagMatches("\"old\", \"12-34\"", "\"12-34\""));
  EXPECT_TRUE(EtagMatches("W/\"12-34\"", "\"12-34\""));
  EXPECT_TRUE(EtagMatches("*", "\"12-34\""));
  EXPECT_FALSE(EtagMatches("\"old\"", "\"12-34\""));
  EXPECT_FALSE(EtagMatches("", "\"12-34\""));
}

TEST(AcceptsGzip, QualityZeroRefuses) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.5"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(""));
}

}  // namespace
}  // namespace salon::http
