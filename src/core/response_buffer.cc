// ResponseBuffer: see response_buffer.h.
#include "core/response_buffer.h"

#include "core/client.h"
#include "core/server.h"
#include "protocol/irc/line_builder.h"

namespace salon::core {

ResponseBuffer::ResponseBuffer(Server& server, uint64_t client_id)
    : server_(server), client_id_(client_id) {}

ResponseBuffer::ResponseBuffer(Server& server, Client& client)
    : server_(server), client_id_(client.id()), attached_(&client) {
  client.AttachResponse(this);
}

ResponseBuffer::~ResponseBuffer() {
  Flush();
  if (attached_ != nullptr) attached_->AttachResponse(nullptr);
}

Client* ResponseBuffer::client() const {
  return attached_ != nullptr ? attached_ : server_.FindClient(client_id_);
}

void ResponseBuffer::Send(std::string_view line) { text_.append(line); }

void ResponseBuffer::Send(const net::SharedBytes& line) {
  Client* target = client();
  if (target == nullptr) return;
  if (!text_.empty()) {
    target->connection().Send(text_);
    text_.clear();
  }
  target->connection().Send(line);
}

void ResponseBuffer::Numeric(std::string_view code, std::initializer_list<std::string_view> args) {
  Client* target = client();
  if (target == nullptr) return;
  AppendNumeric(&text_, server_.name(), target->NickOrStar(), code, args);
}

void ResponseBuffer::Fail(std::string_view command, std::string_view code,
                          std::string_view description) {
  Standard("FAIL", command, code, {}, description);
}

void ResponseBuffer::Note(std::string_view command, std::string_view code,
                          std::string_view description) {
  Standard("NOTE", command, code, {}, description);
}

void ResponseBuffer::Standard(std::string_view verb, std::string_view command,
                              std::string_view code,
                              std::initializer_list<std::string_view> context,
                              std::string_view description) {
  AppendStandard(&text_, server_.name(), verb, command, code, context, description);
}

void ResponseBuffer::Flush() {
  if (text_.empty()) return;
  if (Client* target = client()) target->connection().Send(text_);
  text_.clear();
}

void ResponseBuffer::AppendNumeric(std::string* out, std::string_view server_name,
                                   std::string_view nick, std::string_view code,
                                   std::initializer_list<std::string_view> args) {
  irc::LineBuilder builder(out);
  builder.Begin({}, server_name, code).Param(nick);
  std::size_t i = 0;
  for (std::string_view arg : args) {
    if (++i == args.size()) {
      builder.Last(arg);
    } else {
      builder.Param(arg);
    }
  }
  builder.End();
}

void ResponseBuffer::AppendStandard(std::string* out, std::string_view server_name,
                                    std::string_view verb, std::string_view command,
                                    std::string_view code,
                                    std::initializer_list<std::string_view> context,
                                    std::string_view description) {
  irc::LineBuilder builder(out);
  builder.Begin({}, server_name, verb)
      .Param(command.empty() ? std::string_view("*") : command)
      .Param(code);
  for (std::string_view param : context) builder.Param(param);
  builder.Trailing(description).End();
}

}  // namespace salon::core
