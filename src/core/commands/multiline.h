// draft/multiline, the server side (docs/ircv3.md): a client sends one message of several
// lines as
//   BATCH +<ref> draft/multiline <target>        (client tags and label= on this line)
//   @batch=<ref>[;draft/multiline-concat] PRIVMSG <target> :<line>    (or NOTICE; all the same)
//   BATCH -<ref>
// The lines are collected on the Client (one open batch at a time) and, when the batch closes,
// checked and delivered as one message with one msgid: as one draft/multiline batch to
// recipients with the capability, as separate lines (blank ones left out, the msgid on the
// first) to the others. The BATCH command itself is in multiline.cc.
//
// Limits: limits.multiline_max_bytes (the text, one byte per line break) and
// limits.multiline_max_lines, advertised in the capability's value; a batch left open for
// kTimeoutMs is dropped. After an error the batch is failed: its remaining lines and its
// BATCH - are ignored silently (client-batch: "all past and future messages in this batch will
// be ignored").
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/housekeeping.h"
#include "protocol/irc/message.h"

namespace salon::core {

class Client;
class Server;

struct MultilineBatch {
  static constexpr int64_t kTimeoutMs = 30'000;

  struct Line {
    std::string text;
    bool concat = false;  // draft/multiline-concat: joined to the previous line without '\n'
  };

  std::string ref;          // the client's reference tag
  std::string target;       // as given on BATCH +
  std::string client_tags;  // the '+' tags of the BATCH + line, escaped
  std::string label;        // its label= (labeled-response), answered when the batch closes
  std::string command;      // "PRIVMSG" or "NOTICE", from the first line
  std::vector<Line> lines;
  std::size_t bytes = 0;    // the text so far, '\n' between lines included
  bool failed = false;      // an error was reported: lines ignored until BATCH -ref
  DeadlineId deadline = 0;  // the timeout, cancelled when the batch closes or fails
};

// True when `msg` is a line of `client`'s open batch (its batch= tag names it) that has not
// failed: such a line is part of one message, and flood control charges the whole message when
// the batch closes rather than each line.
bool IsLineOfOpenBatch(const Client& client, const irc::Message& msg);

// While `client` has a batch (open or failed): takes a line that carries a batch= tag
// (collects it, or fails the batch with FAIL BATCH ...) and returns true. Returns false for a
// line without a batch tag, or when there is no batch: it is dispatched as usual.
bool TakeBatchLine(Server& server, Client& client, const irc::Message& msg);

}  // namespace salon::core
