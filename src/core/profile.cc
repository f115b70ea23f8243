// Profile helpers: see profile.h.
#include "core/profile.h"

#include "protocol/irc/line_builder.h"

namespace salon::core {

std::string ProfileLine(std::string_view server, std::string_view nick, const Profile& profile) {
  std::string line;
  irc::LineBuilder(&line)
      .Begin({}, server, "PROFILE")
      .Param(nick)
      .Param(static_cast<long long>(profile.age))
      .Param(profile.gender)
      .Trailing(profile.town)
      .End();
  return line;
}

std::string DescribeProfile(const Profile& profile) {
  std::string text = "is " + std::to_string(profile.age) + " years old";
  if (profile.gender == "f") text += ", female";
  if (profile.gender == "m") text += ", male";
  if (profile.gender == "nb") text += ", non-binary";
  if (!profile.town.empty()) text += ", from " + profile.town;
  return text;
}

bool IsValidGender(std::string_view gender) {
  return gender == "f" || gender == "m" || gender == "nb" || gender == "-";
}

AgeBand AgeBandOf(const Profile* profile) {
  if (profile == nullptr || profile->age == 0) return AgeBand::kUnknown;
  return profile->age < kAdultAge ? AgeBand::kMinor : AgeBand::kAdult;
}

Profile SharedProfile(const Profile& profile) {
  Profile shared = profile;
  if (AgeBandOf(&profile) == AgeBand::kMinor) shared.town.clear();
  return shared;
}

}  // namespace salon::core
