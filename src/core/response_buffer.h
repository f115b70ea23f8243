// ResponseBuffer: the replies of one command to the client that sent it (numerics, FAIL/NOTE,
// direct lines), held while the command runs and sent to its connection in one go when the
// handler returns. labeled-response and batches wrap this one place later.
//
// Synchronous use (every command): Server::Dispatch makes one on the stack and attaches it to
// the client; Client::Send/Numeric/Fail/Note then append to it, and it flushes when Dispatch
// ends. A shared broadcast line (e.g. echo-message) first flushes the text before it, then
// queues the shared buffer itself: the order of lines is kept and no broadcast is copied.
//
// Asynchronous use (a command that finishes later, e.g. after a password hash on a worker
// thread or a storage lookup): the handler keeps
//   auto response = std::make_shared<ResponseBuffer>(server, client.id());
// and, from the completion posted back to the event loop, calls response->Numeric(...) etc. and
// response->Flush() (or lets it go: the destructor flushes). It names its client by id, never
// by pointer: if the client has quit meanwhile, client() is nullptr and everything is dropped.
//
// Cost: appending formats straight into one string per command (no per-reply allocation);
// a command with no reply allocates nothing. Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "net/bytes.h"

namespace salon::core {

class Client;
class Server;

class ResponseBuffer {
 public:
  // Detached: for a reply sent later (asynchronous completion).
  ResponseBuffer(Server& server, uint64_t client_id);
  // Attached: Client output goes here until destruction (Server::Dispatch).
  ResponseBuffer(Server& server, Client& client);
  ~ResponseBuffer();  // Flush(), and detaches
  ResponseBuffer(const ResponseBuffer&) = delete;
  ResponseBuffer& operator=(const ResponseBuffer&) = delete;

  uint64_t client_id() const { return client_id_; }
  // The client, or nullptr once it has gone.
  Client* client() const;

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

  // Sends what is buffered to the client's connection (dropped if the client has gone).
  void Flush();
  bool empty() const { return text_.empty(); }

  // Formatting shared with Client's unbuffered output: appends one line to `out`.
  static void AppendNumeric(std::string* out, std::string_view server_name, std::string_view nick,
                            std::string_view code, std::initializer_list<std::string_view> args);
  static void AppendStandard(std::string* out, std::string_view server_name, std::string_view verb,
                             std::string_view command, std::string_view code,
                             std::initializer_list<std::string_view> context,
                             std::string_view description);

 private:
  Server& server_;
  uint64_t client_id_;
  Client* attached_ = nullptr;  // set only while attached (valid for the whole command)
  std::string text_;
};

}  // namespace salon::core
