// The join profile (age, gender, town) a user declares when joining from the web client, kept
// on the Client from the start because the minors' rules build on the age.
// Protocol: docs/profile-protocol.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salon::core {

struct Profile {
  uint32_t age = 0;
  std::string gender;  // "f", "m", "nb" or "-"
  std::string town;    // may be empty
};

// ":server PROFILE <nick> <age> <gender> :<town>\r\n"
std::string ProfileLine(std::string_view server, std::string_view nick, const Profile& profile);

// WHOIS text: "is 25 years old, female, from Paris" (only the parts given).
std::string DescribeProfile(const Profile& profile);

bool IsValidGender(std::string_view gender);

}  // namespace salon::core
