// ResponseBuffer: see response_buffer.h.
#include "core/response_buffer.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/capabilities.h"
#include "core/client.h"
#include "core/server.h"
#include "net/lines.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/message.h"

namespace salon::core {

namespace {

// The label= value of a command line's tags, still escaped (it is sent back as it came).
std::string_view LabelOf(std::string_view tags) {
  std::string_view label;
  irc::ForEachTag(tags, [&](std::string_view key, std::string_view value) {
    if (key == "label") label = value;
  });
  return label;
}

bool HasBatchTag(std::string_view line) {
  if (line.empty() || line[0] != '@') return false;
  bool found = false;
  irc::ForEachTag(line.substr(1, line.find(' ') - 1),
                  [&](std::string_view key, std::string_view) { found |= key == "batch"; });
  return found;
}

// Appends `line` (without CRLF) with `tag` ("key=value") added to its tags, then CRLF.
void AppendTagged(std::string* out, std::string_view line, std::string_view tag) {
  *out += '@';
  *out += tag;
  if (!line.empty() && line[0] == '@') {
    *out += ';';
    out->append(line.substr(1));
  } else {
    *out += ' ';
    out->append(line);
  }
  *out += "\r\n";
}

}  // namespace

ResponseBuffer::ResponseBuffer(Server& server, uint64_t client_id)
    : server_(server), client_id_(client_id) {}

ResponseBuffer::ResponseBuffer(Server& server, Client& client, std::string_view tags)
    : server_(server), client_id_(client.id()) {
  if (!tags.empty() && client.HasCap(kCapLabeledResponse)) label_ = LabelOf(tags);
  Attach(client);
}

ResponseBuffer::~ResponseBuffer() {
  // A continuation made during this command was attached on top of it: it must not outlive
  // the command as the client's output (it would catch what others send meanwhile).
  if (!continuation_ && attached_ != nullptr) {
    while (attached_->response() != nullptr && attached_->response() != this) {
      attached_->response()->Detach();
    }
  }
  Complete();
  Detach();
}

std::shared_ptr<ResponseBuffer> ResponseBuffer::Continue(Server& server, Client& client) {
  if (client.held_response_) return client.held_response_;
  ResponseBuffer* running = client.response();
  if (running != nullptr && running->continuation_) return running->shared_from_this();
  auto continuation = std::make_shared<ResponseBuffer>(server, client.id());
  continuation->continuation_ = true;
  if (running != nullptr && running->labelled()) {
    continuation->label_ = std::move(running->label_);
    running->label_.clear();
    continuation->text_ = std::move(running->text_);
    running->text_.clear();
    continuation->Attach(client);
  }
  return continuation;
}

Client* ResponseBuffer::client() const {
  return attached_ != nullptr ? attached_ : server_.FindClient(client_id_);
}

void ResponseBuffer::Attach(Client& client) {
  if (attached_ != nullptr) return;
  below_ = client.response();
  client.AttachResponse(this);
  attached_ = &client;
}

void ResponseBuffer::Detach() {
  if (attached_ == nullptr) return;
  if (attached_->response() == this) {
    attached_->AttachResponse(below_);
  } else {
    // Not on top (should not happen: attachments nest): unlink it from under the top.
    for (ResponseBuffer* r = attached_->response(); r != nullptr; r = r->below_) {
      if (r->below_ == this) {
        r->below_ = below_;
        break;
      }
    }
  }
  attached_ = nullptr;
  below_ = nullptr;
}

void ResponseBuffer::Send(std::string_view line) { text_.append(line); }

void ResponseBuffer::Send(const net::SharedBytes& line) {
  if (!label_.empty()) {
    text_.append(*line);  // a labelled response is sent whole, with its label
    return;
  }
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
  if (continuation_) {
    Client* target = client();
    if (target != nullptr && target->held_response_.get() == this) {
      Detach();  // the held command's last ReleaseInput sends it
      return;
    }
    Complete();
    Detach();
    return;
  }
  Complete();
}

void ResponseBuffer::Finish() {
  Complete();
  Detach();
}

void ResponseBuffer::Complete() {
  if (label_.empty()) {
    if (text_.empty()) return;
    if (Client* target = client()) target->connection().Send(text_);
    text_.clear();
    return;
  }
  if (Client* target = client()) SendLabelled(*target);
  label_.clear();
  text_.clear();
}

void ResponseBuffer::SendLabelled(Client& target) {
  std::string batch_id;
  if (target.HasCap(kCapBatch) && std::count(text_.begin(), text_.end(), '\n') > 1) {
    batch_id = server_.NewBatchId();
  }
  target.connection().Send(FormatLabelled(text_, label_, server_.name(), batch_id));
}

std::string ResponseBuffer::FormatLabelled(std::string_view text, std::string_view label,
                                           std::string_view server_name,
                                           std::string_view batch_id) {
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::string out;
  const std::string label_tag = fmt::format("label={}", label);
  if (lines == 0) {
    irc::LineBuilder(&out).Begin(label_tag, server_name, "ACK").End();
    return out;
  }
  if (lines == 1) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    AppendTagged(&out, text, label_tag);
    return out;
  }
  if (batch_id.empty()) return std::string(text);  // no way to group them: plain lines
  const std::string batch_tag = fmt::format("batch={}", batch_id);
  out.reserve(text.size() + lines * (batch_tag.size() + 2) + 2 * server_name.size() + 64);
  irc::LineBuilder(&out)
      .Begin(label_tag, server_name, "BATCH")
      .Param(fmt::format("+{}", batch_id))
      .Param("labeled-response")
      .End();
  net::ForEachLine(text, [&](std::string_view line) {
    if (HasBatchTag(line)) {  // inside a nested batch: it keeps its own
      out.append(line);
      out += "\r\n";
    } else {
      AppendTagged(&out, line, batch_tag);
    }
  });
  irc::LineBuilder(&out).Begin({}, server_name, "BATCH").Param(fmt::format("-{}", batch_id)).End();
  return out;
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

ResumeResponse::ResumeResponse(Server& server, uint64_t client_id)
    : client_(server.FindClient(client_id)) {
  if (client_ == nullptr || !client_->held_response_) return;
  if (client_->held_response_->attached_ != nullptr) return;  // already (inside its command)
  buffer_ = client_->held_response_;
  buffer_->Attach(*client_);
}

ResumeResponse::~ResumeResponse() {
  if (buffer_) buffer_->Detach();
}

}  // namespace salon::core
