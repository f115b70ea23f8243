// ParseInteger and QueryParam on good and hostile input.
#include "base/parse.h"

#include <gtest/gtest.h>

namespace salon::base {
namespace {

TEST(ParseIntegerTest, WholeTextWithinBounds) {
  EXPECT_EQ(ParseInteger("20", 1, 500), 20);
  EXPECT_EQ(ParseInteger("1", 1, 500), 1);
  EXPECT_EQ(ParseInteger("500", 1, 500), 500);
  EXPECT_EQ(ParseInteger("501", 1, 500), std::nullopt);
  EXPECT_EQ(ParseInteger("0", 1, 500), std::nullopt);
  EXPECT_EQ(ParseInteger("-3", 1, 500), std::nullopt);
  EXPECT_EQ(ParseInteger("", 0, 5), std::nullopt);
  EXPECT_EQ(ParseInteger("5x", 0, 9), std::nullopt);
  EXPECT_EQ(ParseInteger(" 5", 0, 9), std::nullopt);
  EXPECT_EQ(ParseInteger("+5", 0, 9), std::nullopt);
  EXPECT_EQ(ParseInteger("99999999999999999999", 0, INT64_MAX), std::nullopt);
  EXPECT_EQ(ParseInteger("9007199254740993", 1, INT64_MAX), 9007199254740993);
}

TEST(QueryParamTest, DecodesTheNamedParameter) {
  std::string v = "untouched";
  EXPECT_FALSE(QueryParam("a=1&b=2", "c", &v));
  EXPECT_EQ(v, "untouched");
  EXPECT_TRUE(QueryParam("q=a%2Fb&limit=5", "q", &v));
  EXPECT_EQ(v, "a/b");
  EXPECT_TRUE(QueryParam("q=a%2Fb&limit=5", "limit", &v));
  EXPECT_EQ(v, "5");
  EXPECT_TRUE(QueryParam("q=two+words", "q", &v));
  EXPECT_EQ(v, "two words");
  EXPECT_TRUE(QueryParam("q", "q", &v));
  EXPECT_EQ(v, "");
  EXPECT_TRUE(QueryParam("q=%zz%4", "q", &v));  // broken escapes are kept as they are
  EXPECT_EQ(v, "%zz%4");
  EXPECT_TRUE(QueryParam("qq=1&q=2", "q", &v));
  EXPECT_EQ(v, "2");
  EXPECT_FALSE(QueryParam("", "q", &v));
}

}  // namespace
}  // namespace salon::base
