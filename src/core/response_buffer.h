// ResponseBuffer: the replies of one command to the client that sent it (numerics, FAIL/NOTE,
// direct lines, its own echoes), held while the command runs and sent to its connection in one
// go when the handler returns. It is also the one place that applies IRCv3 labeled-response:
// when the command line carried `label=` and the client has the labeled-response capability,
// the response goes out as
//   0 lines   "@label=X :server ACK"
//   1 line    that line with the label tag added
//   more      "@label=X :server BATCH +id labeled-response", every line tagged batch=id (a line
//             that already has a batch= tag belongs to a nested batch and keeps it; the nested
//             batch's own BATCH lines get batch=id), then ":server BATCH -id"
// (more lines without the batch capability: the lines as they are, unlabelled).
//
// Synchronous use (every command): Server::Dispatch makes one on the stack and attaches it to
// the client; Client::Send/Numeric/Fail/Note then append to it, and it flushes when Dispatch
// ends. A shared broadcast line (e.g. echo-message) first flushes the text before it, then
// queues the shared buffer itself: the order of lines is kept and no broadcast is copied. Only
// a labelled response copies shared lines (it must see every line before it can decide).
//
// Asynchronous use (a command that finishes later: a password hash on a worker thread, a
// storage read). Two ways, both keeping the label of the command that started it:
//  - the handler keeps `auto response = ResponseBuffer::Continue(server, client);` and, from
//    the completion posted back to the event loop, calls response->Numeric(...) etc. and
//    response->Flush() (or lets it go: the destructor flushes).
//  - a command that holds its client's input (Client::HoldInput) gets its continuation made by
//    HoldInput itself; its completions open a ResumeResponse scope so that everything written
//    to the client meanwhile (by any code: Login's 900, a service's NOTICE) joins the
//    response, which is completed when the last hold is released (Client::ReleaseInput).
// A continuation names its client by id, never by pointer: if the client has quit meanwhile,
// client() is nullptr and everything is dropped.
//
// Cost: appending formats straight into one string per command (no per-reply allocation);
// a command with no reply and no label allocates nothing. Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "net/bytes.h"

namespace salon::core {

class Client;
class Server;

class ResponseBuffer : public std::enable_shared_from_this<ResponseBuffer> {
 public:
  // Detached: for a reply sent later (asynchronous completion), without a label. Prefer
  // Continue(), which keeps the label of the running command.
  ResponseBuffer(Server& server, uint64_t client_id);
  // Attached: Client output goes here until destruction (Server::Dispatch). `tags` are the
  // command line's raw tags: their label= applies when the client has labeled-response.
  ResponseBuffer(Server& server, Client& client, std::string_view tags = {});
  ~ResponseBuffer();  // Flush(), and detaches
  ResponseBuffer(const ResponseBuffer&) = delete;
  ResponseBuffer& operator=(const ResponseBuffer&) = delete;

  // The buffer that takes over the response of `client`'s running command, to be completed
  // later. When that command is labelled, the label (and what was buffered so far) moves to
  // the continuation, which also receives the handler's further output: the running buffer
  // then sends nothing of its own for the label. Calling it again during the same command (or
  // while a hold's continuation is pending) returns the same buffer. Outside a command: a
  // plain detached buffer.
  static std::shared_ptr<ResponseBuffer> Continue(Server& server, Client& client);

  uint64_t client_id() const { return client_id_; }
  // The client, or nullptr once it has gone.
  Client* client() const;
  // True while a label is waiting to be sent with this response.
  bool labelled() const { return !label_.empty(); }
  // Hands the label over to the caller (still escaped; empty when none), which sends it on a
  // line of its own later: a client's draft/multiline batch is answered when it closes, with
  // the label on the opening BATCH line of the echo. This response then sends no ACK for it.
  std::string TakeLabel() { return std::exchange(label_, {}); }

  // A complete line (or lines), CRLF-terminated.
  void Send(std::string_view line);
  // A shared line: what is buffered goes out first, then the shared buffer (not copied).
  void Send(const net::SharedBytes& line);
  // ":server <code> <nick> <args...>" with the client's current nick ("*" before registration).
  void Numeric(std::string_view code, std::initializer_list<std::string_view> args);
  // Standard replies (IRCv3): "FAIL|NOTE <command> <code> :<description>" (no context; use
  // Standard() for context parameters). An empty command is written "*".
  void Fail(std::string_view command, std::string_view code, std::string_view description);
  void Note(std::string_view command, std::string_view code, std::string_view description);
  // "<verb> <command> <code> <context...> :<description>", verb FAIL, WARN or NOTE.
  void Standard(std::string_view verb, std::string_view command, std::string_view code,
                std::initializer_list<std::string_view> context, std::string_view description);

  // Sends what is buffered to the client's connection (dropped if the client has gone). A
  // labelled response is sent whole, with its label, once: the first Flush completes it. The
  // continuation of a held command only detaches here: ReleaseInput completes it.
  void Flush();
  bool empty() const { return text_.empty(); }

  // Formatting shared with Client's unbuffered output: appends one line to `out`.
  static void AppendNumeric(std::string* out, std::string_view server_name, std::string_view nick,
                            std::string_view code, std::initializer_list<std::string_view> args);
  static void AppendStandard(std::string* out, std::string_view server_name, std::string_view verb,
                             std::string_view command, std::string_view code,
                             std::initializer_list<std::string_view> context,
                             std::string_view description);
  // The labelled form of a response `text` (CRLF-terminated lines): ACK, the one line with the
  // label, or the labeled-response batch `batch_id` (empty: the client has no batch
  // capability, several lines then go out as they are).
  static std::string FormatLabelled(std::string_view text, std::string_view label,
                                    std::string_view server_name, std::string_view batch_id);

 private:
  friend class Client;
  friend class ResumeResponse;

  // Client output goes here (on top of whatever was attached) until Detach().
  void Attach(Client& client);
  void Detach();
  // Sends what is buffered (with the label when there is one: the label is then used up).
  void Complete();
  // Complete(), then Detach(). Idempotent.
  void Finish();
  void SendLabelled(Client& target);

  Server& server_;
  uint64_t client_id_;
  Client* attached_ = nullptr;       // set only while attached
  ResponseBuffer* below_ = nullptr;  // what was attached before this one
  std::string text_;
  std::string label_;  // the label, still escaped as the client sent it
  bool continuation_ = false;
};

// In an asynchronous completion: while it lives, output to the client goes into the pending
// response of the command its input is held for (when there is one; else straight out as
// usual). Open it before anything is written, keep it until after ReleaseInput().
class ResumeResponse {
 public:
  ResumeResponse(Server& server, uint64_t client_id);
  ~ResumeResponse();
  ResumeResponse(const ResumeResponse&) = delete;
  ResumeResponse& operator=(const ResumeResponse&) = delete;

  // The client, or nullptr once it has gone.
  Client* client() const { return client_; }

 private:
  Client* client_;
  std::shared_ptr<ResponseBuffer> buffer_;  // set when this scope attached it
};

}  // namespace salon::core
