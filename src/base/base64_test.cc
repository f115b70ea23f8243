// Unit tests for strict base64: RFC 4648 vectors, round trips of every byte, and rejections.
#include "base/base64.h"

#include <gtest/gtest.h>

namespace salon {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.error();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, RoundTripsEveryByteAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= bytes.size(); ++len) {
    std::string part = bytes.substr(bytes.size() - len);  // includes NUL and high bytes
    auto decoded = Base64Decode(Base64Encode(part));
    ASSERT_TRUE(decoded.ok()) << len;
    EXPECT_EQ(*decoded, part) << len;
  }
}

TEST(Base64, SaslPlainPayload) {
  auto decoded = Base64Decode("AGFsaWNlAHNlY3JldA==");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, std::string("\0alice\0secret", 13));
}

TEST(Base64, RejectsMalformed) {
  const char* bad[] = {
      "Zg",        // missing padding
      "Zg=",       // short padding
      "Zm9",       // length not a multiple of 4
      "Zm9v\n",    // trailing newline
      " Zm9v",     // leading space
      "Zm 9v",     // inner space
      "Zm9v!A==",  // character outside the alphabet
      "Zg==Zg==",  // padding in the middle
      "Z===",      // three padding characters
      "====",      // only padding
      "Zh==",      // unused bits set (canonical is Zg==)
      "Zm9=",      // unused bits set (canonical is Zm8=)
      "Zm-v",      // URL-safe alphabet is not standard base64
  };
  for (const char* text : bad) {
    auto decoded = Base64Decode(text);
    EXPECT_FALSE(decoded.ok()) << '"' << text << "\" decoded to \"" << decoded.value() << '"';
  }
}

TEST(Base64, ErrorsAreSpecific) {
  EXPECT_EQ(Base64Decode("Zm9").error(), "base64 length is not a multiple of 4");
  EXPECT_EQ(Base64Decode("Zg==Zg==").error(), "base64 padding before the end");
  EXPECT_EQ(Base64Decode("Zm9v!A==").error(), "invalid base64 character");
  EXPECT_EQ(Base64Decode("Zh==").error(), "non-canonical base64 (unused bits set)");
}

}  // namespace
}  // namespace salon
