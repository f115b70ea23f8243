// Client: one connected user (registered or not) as the chat core sees it — identity, modes,
// capabilities, channels, flood bucket — plus its Connection for output.
//
// Owned by the Server (unique_ptr in its client list); destroyed after the event that removed
// it has finished running (the Server keeps a graveyard emptied by a posted task), so a raw
// Client* is valid for the whole of a command handler.
// Thread: the event-loop thread only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/profile.h"
#include "moderation/flood_control.h"
#include "net/transport.h"

namespace salon::core {

class Channel;
struct MultilineBatch;
class ResponseBuffer;
struct SaslSession;
class Server;

enum UserMode : uint32_t {
  kUserInvisible = 1u << 0,  // +i
  kUserWallops = 1u << 1,    // +w
  kUserOper = 1u << 2,       // +o
  kUserBot = 1u << 3,        // +B: marked as a bot (the `bot` tag, 335 in WHOIS)
};

class Client final : public net::ConnectionHandler {
 public:
  Client(Server& server, std::shared_ptr<net::Transport> conn, uint64_t id);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // net::ConnectionHandler
  bool OnLine(std::string_view line) override;
  void OnDisconnect(std::string_view reason) override;

  // Output. Everything goes through the connection's queue; nothing writes to the socket here.
  // While this client's own command runs, output goes to that command's ResponseBuffer instead
  // (core/response_buffer.h), which keeps the order and sends it when the handler returns.
  void Send(std::string_view bytes);
  void Send(const net::SharedBytes& bytes);
  // ":server <code> <nick> <args...>"; the last argument gets ':' when it needs one.
  void Numeric(std::string_view code, std::initializer_list<std::string_view> args);
  // Standard replies (IRCv3): "FAIL|NOTE <command> <code> :<description>".
  void Fail(std::string_view command, std::string_view code, std::string_view description);
  void Note(std::string_view command, std::string_view code, std::string_view description);
  // "<verb> <command> <code> <context...> :<description>", verb FAIL, WARN or NOTE.
  void Standard(std::string_view verb, std::string_view command, std::string_view code,
                std::initializer_list<std::string_view> context, std::string_view description);
  // ":server NOTICE <nick> :<text>" (a notice from the server itself, e.g. a statement of
  // reasons to a client without standard-replies).
  void ServerNotice(std::string_view text);
  // The response of the command being run for this client, or nullptr between commands.
  ResponseBuffer* response() const { return response_; }
  // Set by ResponseBuffer's Attach/Detach only.
  void AttachResponse(ResponseBuffer* response) { response_ = response; }
  // Before the connection closes (Quit): sends the pending responses, with their labels.
  void FlushResponses();

  // nick!user@host as others see it (cloaked host).
  const std::string& Prefix() const { return prefix_; }
  void UpdatePrefix();
  // The nick for numerics: "*" until registered (a nick given before registration may still
  // be refused).
  std::string_view NickOrStar() const {
    return registered_ ? std::string_view(nick) : std::string_view("*");
  }

  bool registered() const { return registered_; }
  void set_registered() { registered_ = true; }
  bool HasCap(uint32_t cap) const { return (caps & cap) != 0; }
  bool IsOper() const { return (modes & kUserOper) != 0; }
  bool IsBot() const { return (modes & kUserBot) != 0; }
  bool IsOn(const Channel* channel) const;
  net::Transport& connection() { return *conn_; }
  // The real address: shown only to operators and to the user itself.
  const std::string& ip() const { return conn_->remote_ip(); }
  uint64_t id() const { return id_; }
  // An asynchronous command (a password check on a worker, a store commit) holds the client's
  // input until its completion has replied, so that later lines are handled after that reply,
  // in the order they were sent. Lines keep arriving and are buffered (bounded by recvq).
  // Holds nest (a count): input resumes when every HoldInput has had its ReleaseInput.
  // ReleaseInput may run the buffered lines at once (so the client may have quit when it
  // returns): call it last in a completion.
  // A labelled command that holds its input keeps its label in a continuation (see
  // core/response_buffer.h: ResponseBuffer::Continue, ResumeResponse), completed by the last
  // ReleaseInput, before the next lines run.
  void HoldInput();
  void ReleaseInput();
  bool input_held() const { return input_holds_ > 0; }
  // SASL exchange in progress (core/commands/sasl.cc), null when none.
  std::unique_ptr<SaslSession> sasl;
  // The draft/multiline batch being sent (core/commands/multiline.h), null when none.
  std::unique_ptr<MultilineBatch> multiline;

  // The account this client is logged in to; empty for a guest (not logged in).
  const std::string& account() const { return account_; }
  void set_account(std::string account) { account_ = std::move(account); }

  // Identity and state, maintained by the command handlers.
  std::string nick;
  std::string user;
  std::string realname;
  std::string host;  // cloaked host shown to others
  std::string away;  // empty when present
  // The last nick refused with 433 before registration (cleared by an accepted NICK), so that
  // REGISTER * can answer that the name is taken instead of asking for a nick.
  std::string refused_nick;
  uint32_t modes = 0;
  uint32_t caps = 0;
  bool cap_negotiating = false;
  bool quitting = false;
  int64_t connected_at = 0;      // unix seconds
  int64_t last_message_at = 0;   // unix seconds, for WHOIS idle
  int64_t last_activity_ms = 0;  // steady ms, for ping timeout
  int64_t ping_sent_ms = 0;      // steady ms of our PING awaiting PONG, 0 when none
  int64_t last_knock_ms = 0;     // steady ms of the last KNOCK delivered, 0 when none
  std::vector<Channel*> channels;
  std::vector<std::string> monitoring;  // folded nicks this client MONITORs
  moderation::FloodControl flood;
  std::unique_ptr<Profile> profile;  // set by PROFILE SET (web client); null for most IRC users

  // Private conversations: the ids of the clients this one has exchanged a delivered private
  // message with (or accepted, moderation's message requests). The policy asks
  // CheckPrivateOpen before the first message of a conversation. Bounded: the oldest go first.
  bool HasConversationWith(uint64_t other_id) const;
  void AddConversation(uint64_t other_id);
  void RemoveConversation(uint64_t other_id);

 private:
  Server& server_;
  std::shared_ptr<net::Transport> conn_;
  std::string prefix_;
  std::string account_;  // empty = guest
  friend class ResponseBuffer;
  friend class ResumeResponse;

  ResponseBuffer* response_ = nullptr;
  std::shared_ptr<ResponseBuffer> held_response_;  // the held command's labelled response
  uint64_t id_;
  std::vector<uint64_t> conversations_;  // oldest first
  bool registered_ = false;
  int input_holds_ = 0;
};

}  // namespace salon::core
