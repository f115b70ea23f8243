// Broadcast: one relayed message (PRIVMSG, JOIN, QUIT, MODE...) serialized once per capability
// variant and shared by every recipient with that variant. The variant key is the recipient's
// tag-affecting capabilities (server-time, message-tags, account-tag), so a room of 5,000 costs
// at most eight serializations however many members it has.
//
// Every broadcast carries a server time and a msgid from the start, as the roadmap requires
// (history, labeled-response and reactions build on them). Both are kept as numbers and only
// formatted when a recipient's variant shows them: most relays to plain clients never pay it.
// The sender's account (account-tag) and bot flag (the `bot` tag, message-tags recipients) are
// known when the broadcast is made (Server::MakeBroadcast) and likewise shown only to those
// variants.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/bytes.h"

namespace salon::core {

struct MessageStamp {
  int64_t time_ms = 0;  // wall clock, milliseconds since the epoch
  uint64_t seq = 0;     // msgid = node prefix + seq in hex
};

// Who sent a broadcast, as its tags show it. Empty account: a guest or the server.
struct BroadcastSender {
  std::string account;
  bool bot = false;
};

class Broadcast {
 public:
  // body: a complete line without tags, CRLF-terminated. msgid_prefix must outlive the
  // Broadcast. client_tags: the sender's '+' tags, escaped, joined with ';' (may be empty);
  // only message-tags recipients receive them.
  Broadcast(std::string body, MessageStamp stamp, const std::string& msgid_prefix,
            std::string client_tags = {}, BroadcastSender sender = {});

  const net::SharedBytes& For(uint32_t caps);
  // The same event worded differently for another capability (e.g. extended-join): same
  // time, msgid and sender, another body, no client tags.
  Broadcast Sibling(std::string body) const {
    return Broadcast(std::move(body), stamp_, *msgid_prefix_, {}, sender_);
  }
  // Another line of the same message (the lines of a draft/multiline message for clients
  // without that capability): same time, sender and client tags. with_msgid false leaves the
  // msgid out: it names the message once, on its first line.
  Broadcast Part(std::string body, bool with_msgid) const;

  MessageStamp stamp() const { return stamp_; }
  std::string msgid() const;
  // The line without tags, CRLF-terminated.
  const std::string& body() const { return *variants_[0]; }
  // The sender's client-only tags, escaped, ';'-joined (empty when none).
  const std::string& client_tags() const { return client_tags_; }
  // The sender's account, empty for a guest or the server.
  const std::string& account() const { return sender_.account; }
  bool bot() const { return sender_.bot; }

  // "2026-11-29T05:31:57.123Z"
  static std::string FormatTime(int64_t time_ms);

 private:
  // [0] is the plain body; index bits: 1 server-time, 2 message-tags, 4 account-tag.
  std::array<net::SharedBytes, 8> variants_;
  MessageStamp stamp_;
  const std::string* msgid_prefix_;
  std::string client_tags_;
  BroadcastSender sender_;
  bool with_msgid_ = true;
};

}  // namespace salon::core
