// IRC line parser and IRCv3 tag helpers. Parse() works on views only: it runs on every line
// from every client, so it never allocates, never throws and never reads past the line.
#include "protocol/irc/message.h"

#include <cstring>

#include "protocol/irc/utf8.h"

namespace salon::irc {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Index of the first non-space byte at or after pos (line.size() when none).
std::size_t SkipSpaces(std::string_view line, std::size_t pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  return pos;
}

// Index of the first space at or after pos (line.size() when none).
std::size_t FindSpace(std::string_view line, std::size_t pos) {
  std::size_t space = line.find(' ', pos);
  return space == std::string_view::npos ? line.size() : space;
}

bool IsValidCommand(std::string_view command) {
  if (command.size() == 3 && IsAsciiDigit(command[0]) && IsAsciiDigit(command[1]) &&
      IsAsciiDigit(command[2])) {
    return true;
  }
  for (char c : command) {
    if (!IsAsciiLetter(c)) return false;
  }
  return !command.empty();
}

}  // namespace

ParseError Parse(std::string_view line, Message* out) {
  *out = Message{};
  // A NUL would truncate the line for anything downstream that treats it as a C string.
  if (!line.empty() && std::memchr(line.data(), '\0', line.size()) != nullptr) {
    return ParseError::kNulByte;
  }

  std::size_t pos = 0;
  if (!line.empty() && line[0] == '@') {
    std::size_t end = FindSpace(line, 1);
    // IRCv3 counts the section from the '@' through its terminating space (8191), and a
    // client's share as the bytes between them (4094). A client line is held to both.
    if (end + 1 > kMaxTagsLength || end - 1 > kMaxClientTagData) return ParseError::kTagsTooLong;
    out->tags = line.substr(1, end - 1);
    pos = end;
  }

  // Spaces between the sections are tolerated; the body limit applies from the first byte
  // that is not a separator, so padding after the tags is not charged to the body.
  pos = SkipSpaces(line, pos);
  if (line.size() - pos > kMaxLineBody - 2) {
    line = line.substr(0, pos + TruncateUtf8(line.substr(pos), kMaxLineBody - 2).size());
    out->truncated = true;
  }

  if (pos < line.size() && line[pos] == ':') {
    std::size_t end = FindSpace(line, pos + 1);
    out->source = line.substr(pos + 1, end - pos - 1);
    pos = SkipSpaces(line, end);
  }
  if (pos >= line.size()) return ParseError::kEmpty;

  std::size_t command_end = FindSpace(line, pos);
  out->command = line.substr(pos, command_end - pos);
  if (!IsValidCommand(out->command)) return ParseError::kBadCommand;
  pos = command_end;

  while (true) {
    pos = SkipSpaces(line, pos);
    if (pos >= line.size()) break;
    if (out->param_count == kMaxParams - 1) {
      // RFC 2812: after 14 middle parameters the rest of the line is the last one, with the
      // ':' optional.
      if (line[pos] == ':') ++pos;
      out->params[out->param_count++] = line.substr(pos);
      break;
    }
    if (line[pos] == ':') {
      out->params[out->param_count++] = line.substr(pos + 1);
      break;
    }
    std::size_t end = FindSpace(line, pos);
    out->params[out->param_count++] = line.substr(pos, end - pos);
    pos = end;
  }
  return ParseError::kNone;
}

bool FindTag(std::string_view tags, std::string_view key, std::string* value) {
  // IRCv3: when a key repeats, the last occurrence wins, so keep scanning after a match.
  bool found = false;
  std::string_view raw;
  ForEachTag(tags, [&](std::string_view k, std::string_view v) {
    if (k == key) {
      found = true;
      raw = v;
    }
  });
  if (found && value != nullptr) *value = UnescapeTagValue(raw);
  return found;
}

std::string EscapeTagValue(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    switch (c) {
      case ';':
        out += "\\:";
        break;
      case ' ':
        out += "\\s";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

std::string UnescapeTagValue(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    char c = escaped[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    // IRCv3: a lone trailing backslash is dropped; an unknown escape yields the char itself.
    if (++i == escaped.size()) break;
    switch (escaped[i]) {
      case ':':
        out += ';';
        break;
      case 's':
        out += ' ';
        break;
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        out += escaped[i];
        break;
    }
  }
  return out;
}

bool CommandIs(std::string_view command, std::string_view upper_name) {
  if (command.size() != upper_name.size()) return false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    if (ToUpperAscii(command[i]) != upper_name[i]) return false;
  }
  return true;
}

}  // namespace salon::irc
