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

// Age bands (docs/moderation.md, "Protection of minors"). Unknown: no profile (or age 0, an
// account without one); minor: under 18 ([profile] minimum_age refuses younger ones at
// PROFILE SET); adult: 18 and over. What an unknown age may do is the age policy's business
// (moderation/age_policy.h); here only the band.
enum class AgeBand : uint8_t { kUnknown, kMinor, kAdult };
inline constexpr uint32_t kAdultAge = 18;
AgeBand AgeBandOf(const Profile* profile);

// What others see of a profile: a minor's town is shown to nobody but the minor (PROFILE lines
// sent to others, WHOIS by others); the owner's own copy uses ProfileLine / DescribeProfile.
Profile SharedProfile(const Profile& profile);

}  // namespace salon::core
