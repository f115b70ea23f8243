// Link detection: see links.h. Written by hand: what counts as a link here is a moderation
// choice (no false positives on ordinary French or English text), not URL parsing, and it
// runs on every message of a new user.
#include "moderation/links.h"

#include <algorithm>
#include <array>
#include <string>

namespace salon::moderation {
namespace {

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Top-level domains common enough in spam and links that a bare "name.tld" is taken for a
// link. Sorted for binary search.
constexpr std::array<std::string_view, 48> kCommonTlds = {
    "app",  "be",   "biz", "ca", "cc",  "ch",   "click", "club",   "co",  "com",
    "de",   "dev",  "es",  "eu", "fr",  "gg",   "gl",    "info",   "io",  "it",
    "link", "live", "ly",  "me", "net", "nl",   "onion", "online", "org", "pl",
    "pro",  "pt",   "re",  "ru", "sh",  "shop", "site",  "store",  "su",  "to",
    "top",  "tv",   "uk",  "us", "vip", "ws",   "xyz",   "zip"};

bool IsCommonTld(std::string_view tld) {
  return std::binary_search(kCommonTlds.begin(), kCommonTlds.end(), tld);
}

}  // namespace

std::vector<std::string_view> LinkHosts(std::string_view text) {
  thread_local std::string lowered;
  lowered.clear();
  std::vector<std::string_view> hosts;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t i = 0;
  while (i < text.size()) {
    // Start of a word only: "abc.def" inside "xabc.def" is found from 'x'.
    if (i > 0 && IsHostChar(text[i - 1]) && text[i - 1] != '.') {
      ++i;
      continue;
    }
    std::size_t start = i;
    bool explicit_link = false;
    if (StartsWithNoCase(text.substr(i), "https://")) {
      start = i + 8;
      explicit_link = true;
    } else if (StartsWithNoCase(text.substr(i), "http://")) {
      start = i + 7;
      explicit_link = true;
    }
    std::size_t end = start;
    while (end < text.size() && IsHostChar(text[end])) ++end;
    std::string_view host = text.substr(start, end - start);
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);  // "see example.com."
    std::size_t dot = host.rfind('.');
    bool is_link = false;
    if (!host.empty() && dot != std::string_view::npos && dot > 0 && dot + 1 < host.size()) {
      std::string tld;
      for (char c : host.substr(dot + 1)) tld += Lower(c);
      if (explicit_link || StartsWithNoCase(host, "www.")) {
        is_link = true;
      } else {
        is_link = IsCommonTld(tld);
      }
    }
    if (is_link) {
      spans.emplace_back(lowered.size(), host.size());
      for (char c : host) lowered += Lower(c);
    }
    i = std::max(end, i + 1);
  }
  hosts.reserve(spans.size());
  for (auto [offset, size] : spans) hosts.push_back(std::string_view(lowered).substr(offset, size));
  return hosts;
}

bool ContainsLink(std::string_view text) {
  // Cheap filter first: every link has a dot.
  if (text.find('.') == std::string_view::npos) return false;
  return !LinkHosts(text).empty();
}

bool HostWithin(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.';
}

}  // namespace salon::moderation
