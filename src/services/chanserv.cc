// ChanServ: see chanserv.h. One function per command: the checks first (each refusal a NOTICE
// that says why), then the change, the store write (the confirmation waits for its commit) and
// the audit entry.
#include "services/chanserv.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <functional>
#include <optional>
#include <utility>

#include "core/broadcast.h"
#include "core/channel.h"
#include "core/channel_modes.h"
#include "core/client.h"
#include "core/commands/command_util.h"
#include "core/server.h"
#include "protocol/irc/casemap.h"
#include "protocol/irc/line_builder.h"
#include "protocol/irc/names.h"
#include "storage/store.h"

namespace salon::services {
namespace {

using core::Channel;
using core::Client;
using core::Server;

constexpr std::size_t kDescriptionMax = 300;
constexpr std::string_view kSource = "ChanServ!ChanServ@services.";

enum class Level { kNone, kVoice, kModerator, kFounder };

Level LevelOf(const Channel& channel, const Client& client) {
  if (!channel.registered() || client.account().empty()) return Level::kNone;
  if (irc::EqualsFolded(channel.founder, client.account())) return Level::kFounder;
  const storage::AccessEntry* entry = channel.FindAccess(client.account());
  if (entry == nullptr) return Level::kNone;
  return entry->level == "moderator" ? Level::kModerator : Level::kVoice;
}

// Splits off the first space-separated word of *rest.
std::string_view NextWord(std::string_view* rest) {
  std::size_t start = rest->find_first_not_of(' ');
  if (start == std::string_view::npos) {
    *rest = {};
    return {};
  }
  std::string_view tail = rest->substr(start);
  std::size_t end = tail.find(' ');
  std::string_view word = tail.substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view() : tail.substr(end + 1);
  return word;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string UtcDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// What a command needs after it has returned (store completions): the requester by id (it may
// have quit by then) and who it was, for the audit log.
class Later {
 public:
  Later(const ChanServ& service, Server& server, const Client& from)
      : service_(&service),
        server_(&server),
        id_(from.id()),
        actor_(from.account().empty() ? from.nick : from.account()),
        actor_ip_(from.ip()) {}

  Server& server() const { return *server_; }
  void Tell(std::string_view text) const {
    if (Client* client = server_->FindClient(id_)) service_->Reply(*client, text);
  }
  // A store completion: `ok` once committed, else "<what> could not be saved".
  storage::WriteDone WhenStored(std::string ok, std::string what) const {
    return [later = *this, ok = std::move(ok), what = std::move(what)](storage::WriteResult r) {
      if (!r.ok()) spdlog::error("ChanServ: {} not stored: {}", what, r.error);
      later.Tell(r.ok() ? ok : what + " could not be saved; try again later.");
    };
  }
  void Audit(std::string action, const Channel& channel, std::string detail = {}) const {
    storage::AuditEntry entry;
    entry.at_ms = server_->clock().UnixMs();
    entry.actor = actor_;
    entry.actor_ip = actor_ip_;
    entry.action = std::move(action);
    entry.target = channel.name();
    entry.detail = std::move(detail);
    server_->store().AppendAudit(entry);
  }

 private:
  const ChanServ* service_;
  Server* server_;
  uint64_t id_;
  std::string actor_;
  std::string actor_ip_;
};

// One command being handled: who asked, and the words after the command name.
class Request {
 public:
  Request(const ChanServ& service, Server& server, Client& from, std::string_view args)
      : service_(service), server_(server), from_(from), args_(args) {}

  Server& server() { return server_; }
  Client& from() { return from_; }
  Later later() const { return Later(service_, server_, from_); }
  std::string_view Next() { return NextWord(&args_); }
  // The rest of the line, without leading spaces.
  std::string_view Rest() {
    std::size_t start = args_.find_first_not_of(' ');
    return start == std::string_view::npos ? std::string_view() : args_.substr(start);
  }
  void Reply(std::string_view text) { service_.Reply(from_, text); }

  // True when logged in; otherwise refuses (`what` says what needs it).
  bool RequireLogin(std::string_view what) {
    if (!from_.account().empty()) return true;
    Reply(fmt::format("You must be logged in to {} (/msg NickServ IDENTIFY <password>).", what));
    return false;
  }

  // The registered room named by the next word, or a refusal and nullptr. `syntax` is shown
  // when the word is missing.
  Channel* RegisteredRoom(std::string_view syntax) {
    std::string_view name = Next();
    if (name.empty()) {
      Reply(fmt::format("Syntax: {}", syntax));
      return nullptr;
    }
    Channel* channel = server_.channels_registry().Find(name);
    if (channel == nullptr || !channel->registered() || !Visible(*channel)) {
      Reply(fmt::format("{} is not registered.", name));
      return nullptr;
    }
    return channel;
  }

  // Refuses unless the requester founded the room.
  bool RequireFounder(const Channel& channel, std::string_view what) {
    if (LevelOf(channel, from_) == Level::kFounder) return true;
    Reply(
        fmt::format("Only the founder of {} ({}) can {}.", channel.name(), channel.founder, what));
    return false;
  }

 private:
  // A secret room is not shown to outsiders (members, access members and operators see it).
  bool Visible(const Channel& channel) const {
    return !(channel.modes & core::kChanSecret) || from_.IsOn(&channel) || from_.IsOper() ||
           LevelOf(channel, from_) != Level::kNone;
  }

  const ChanServ& service_;
  Server& server_;
  Client& from_;
  std::string_view args_;
};

// ":ChanServ!ChanServ@services. MODE <room> <modes> <params...>" to the room.
void SendMode(Server& server, Channel& channel, std::string_view modes,
              const std::vector<std::string>& params) {
  std::string body;
  irc::LineBuilder builder(&body);
  builder.Begin({}, kSource, "MODE").Param(channel.name());
  if (params.empty()) {
    builder.Last(modes);
  } else {
    builder.Param(modes);
    for (std::size_t i = 0; i + 1 < params.size(); ++i) builder.Param(params[i]);
    builder.Last(params.back());
  }
  builder.End();
  core::Broadcast out = server.MakeBroadcast(std::move(body));
  server.SendToChannel(channel, out, nullptr);
}

// Gives or takes +o / +v of a member, announced by ChanServ. False if it already was so.
bool SetStatus(Server& server, Channel& channel, Client& target, uint8_t bit, bool add) {
  core::Membership* member = channel.Find(&target);
  if (member == nullptr || ((member->status & bit) != 0) == add) return false;
  member->status = add ? member->status | bit : member->status & ~bit;
  std::string modes = fmt::format("{}{}", add ? '+' : '-', bit == core::kStatusOp ? 'o' : 'v');
  SendMode(server, channel, modes, {target.nick});
  return true;
}

// Founder, access list and description go; a declared room gets its configured description
// back. The caller stores the change (or knows the store already has it).
void Unregister(const Server& server, Channel& channel) {
  channel.founder.clear();
  channel.registered_at = 0;
  channel.access.clear();
  channel.description.clear();
  if (!channel.declared) return;
  for (const auto& decl : server.config().rooms) {
    if (irc::EqualsFolded(decl.name, channel.name())) channel.description = decl.description;
  }
}

void Register(Request& req) {
  if (!req.RequireLogin("register a room")) return;
  std::string_view name = req.Next();
  if (name.empty()) {
    req.Reply("Syntax: REGISTER <#room>");
    return;
  }
  Channel* channel = req.server().channels_registry().Find(name);
  if (channel == nullptr) {
    req.Reply(fmt::format("No such room: {}. Join it first, then register it.", name));
    return;
  }
  if (channel->declared) {
    req.Reply(fmt::format("{} is declared in the server's configuration and cannot be registered.",
                          channel->name()));
    return;
  }
  if (channel->registered()) {
    req.Reply(fmt::format("{} is already registered to {}.", channel->name(), channel->founder));
    return;
  }
  const core::Membership* member = channel->Find(&req.from());
  if (member == nullptr || !(member->status & core::kStatusOp)) {
    req.Reply(fmt::format("You must be a channel operator of {} to register it.", channel->name()));
    return;
  }
  channel->founder = req.from().account();
  channel->registered_at = req.server().clock().UnixSeconds();
  channel->access.clear();
  Later later = req.later();
  req.server().store().SaveRoom(channel->ToStored(),
                                later.WhenStored(fmt::format("{} is now registered to {}.",
                                                             channel->name(), channel->founder),
                                                 "The registration of " + channel->name()));
  later.Audit("room.register", *channel);
}

// OP, DEOP, VOICE, DEVOICE.
void Status(Request& req, std::string_view command, uint8_t bit, bool add) {
  if (!req.RequireLogin("use " + Upper(command))) return;
  Channel* channel = req.RegisteredRoom(fmt::format("{} <#room> [<nick>]", Upper(command)));
  if (channel == nullptr) return;
  std::string_view nick = req.Next();
  Client* target = nick.empty() ? &req.from() : req.server().users().Find(nick);
  if (target == nullptr) {
    req.Reply(fmt::format("No such nick: {}.", nick));
    return;
  }
  const Level level = LevelOf(*channel, req.from());
  // Voice level may voice itself only; moderators and the founder do everything.
  const bool self_voice = bit == core::kStatusVoice && add && target == &req.from();
  if (level < Level::kModerator && !(level == Level::kVoice && self_voice)) {
    req.Reply(
        level == Level::kVoice
            ? fmt::format("Your voice access to {} lets you only VOICE yourself.", channel->name())
            : fmt::format("You need moderator access to {} for {}.", channel->name(),
                          Upper(command)));
    return;
  }
  if (!target->IsOn(channel)) {
    req.Reply(fmt::format("{} is not on {}.", target->nick, channel->name()));
    return;
  }
  const char mode = bit == core::kStatusOp ? 'o' : 'v';
  if (!SetStatus(req.server(), *channel, *target, bit, add)) {
    req.Reply(fmt::format("{} {} +{} on {}.", target->nick, add ? "already has" : "does not have",
                          mode, channel->name()));
    return;
  }
  if (!req.from().IsOn(channel)) {  // otherwise the MODE line says it
    req.Reply(fmt::format("{}{} set for {} on {}.", add ? '+' : '-', mode, target->nick,
                          channel->name()));
  }
  req.later().Audit("room." + Lower(command), *channel, target->nick);
}

void AccessAdd(Request& req, Channel& channel) {
  std::string_view account = req.Next();
  std::string level = Lower(req.Next());
  if (account.empty() || level.empty()) {
    req.Reply("Syntax: ACCESS <#room> ADD <account> <moderator|voice>");
    return;
  }
  if (level != "moderator" && level != "voice") {
    req.Reply(fmt::format("Unknown access level {}: use moderator or voice.", level));
    return;
  }
  if (!irc::IsValidNick(account, req.server().config().limits.nick_length)) {
    req.Reply(fmt::format("No such account: {}.", account));
    return;
  }
  if (irc::EqualsFolded(account, channel.founder)) {
    req.Reply(fmt::format("{} is the founder of {}.", channel.founder, channel.name()));
    return;
  }
  if (channel.FindAccess(account) == nullptr &&
      channel.access.size() >= req.server().config().limits.list_entries) {
    req.Reply(fmt::format("The access list of {} is full.", channel.name()));
    return;
  }
  // Only existing accounts: the store answers, then the room is looked up again (it may have
  // been dropped or changed hands meanwhile).
  Later later = req.later();
  std::string asked(account);
  req.server().store().LoadAccount(
      asked, [later, asked, level, room = channel.name(),
              founder = channel.founder](Result<std::optional<storage::StoredAccount>> loaded) {
        if (!loaded.ok()) {
          spdlog::error("ChanServ: cannot read account {}: {}", asked, loaded.error());
          later.Tell(fmt::format("Could not check the account {}; try again later.", asked));
          return;
        }
        if (!loaded.value().has_value()) {
          later.Tell(fmt::format("No such account: {}.", asked));
          return;
        }
        Server& server = later.server();
        Channel* channel = server.channels_registry().Find(room);
        if (channel == nullptr || !irc::EqualsFolded(channel->founder, founder)) {
          later.Tell(fmt::format("{} changed meanwhile; nothing was added.", room));
          return;
        }
        const std::string& name = loaded.value()->name;
        auto it = std::find_if(channel->access.begin(), channel->access.end(),
                               [&](const auto& e) { return irc::EqualsFolded(e.account, name); });
        storage::AccessEntry entry{name, level, founder, server.clock().UnixSeconds()};
        if (it != channel->access.end()) {
          *it = std::move(entry);
        } else {
          channel->access.push_back(std::move(entry));
        }
        server.store().SaveRoom(
            channel->ToStored(),
            later.WhenStored(fmt::format("{} now has {} access to {}.", name, level, room),
                             fmt::format("The access of {} to {}", name, room)));
        later.Audit("room.access.add", *channel, fmt::format("{} {}", name, level));
      });
}

void AccessDel(Request& req, Channel& channel) {
  std::string_view account = req.Next();
  if (account.empty()) {
    req.Reply("Syntax: ACCESS <#room> DEL <account>");
    return;
  }
  auto it = std::find_if(channel.access.begin(), channel.access.end(),
                         [&](const auto& e) { return irc::EqualsFolded(e.account, account); });
  if (it == channel.access.end()) {
    req.Reply(fmt::format("{} is not on the access list of {}.", account, channel.name()));
    return;
  }
  std::string name = it->account;
  channel.access.erase(it);
  Later later = req.later();
  req.server().store().SaveRoom(
      channel.ToStored(),
      later.WhenStored(
          fmt::format("{} was removed from the access list of {}.", name, channel.name()),
          fmt::format("The removal of {} from {}", name, channel.name())));
  later.Audit("room.access.del", channel, name);
}

void AccessList(Request& req, Channel& channel) {
  if (LevelOf(channel, req.from()) == Level::kNone && !req.from().IsOper()) {
    req.Reply(fmt::format("Only members of the access list of {} can see it.", channel.name()));
    return;
  }
  req.Reply(fmt::format("Access list of {}:", channel.name()));
  req.Reply(fmt::format("  {} founder", channel.founder));
  for (const auto& entry : channel.access) {
    req.Reply(fmt::format("  {} {} (added by {} on {})", entry.account, entry.level, entry.added_by,
                          UtcDate(entry.added_at)));
  }
  req.Reply(fmt::format("End of the access list of {} ({} entries).", channel.name(),
                        channel.access.size() + 1));
}

void Access(Request& req) {
  if (!req.RequireLogin("use ACCESS")) return;
  Channel* channel = req.RegisteredRoom(
      "ACCESS <#room> ADD <account> <moderator|voice> | "
      "DEL <account> | LIST");
  if (channel == nullptr) return;
  std::string sub = Upper(req.Next());
  if (sub == "LIST") {
    AccessList(req, *channel);
    return;
  }
  if (sub != "ADD" && sub != "DEL") {
    req.Reply("Syntax: ACCESS <#room> ADD <account> <moderator|voice> | DEL <account> | LIST");
    return;
  }
  if (!req.RequireFounder(*channel, "change its access list")) return;
  if (sub == "ADD") {
    AccessAdd(req, *channel);
  } else {
    AccessDel(req, *channel);
  }
}

// SET <#room> MODES <modes>: flags, key and limit (the list modes and +o/+v are for MODE).
// Validated completely before anything changes.
bool CheckModes(Request& req, const Channel& channel, std::string_view mode_string) {
  std::vector<std::string_view> words;
  std::string_view rest = mode_string;
  for (std::string_view w = NextWord(&rest); !w.empty(); w = NextWord(&rest)) words.push_back(w);
  if (words.empty()) {
    req.Reply("Syntax: SET <#room> MODES <modes>, e.g. +nt or +k-l secret");
    return false;
  }
  core::ParsedModes parsed =
      core::ParseChannelModes(words[0], std::span<const std::string_view>(words).subspan(1));
  if (!parsed.unknown.empty()) {
    req.Reply(fmt::format("Unknown mode {}.", parsed.unknown.substr(0, 1)));
    return false;
  }
  for (const auto& change : parsed.changes) {
    char cls = core::ChannelModeClass(change.mode);
    if (cls == 'A' || cls == 'P') {
      req.Reply(fmt::format("SET MODES takes i m n s t k l only; use MODE {} for +{}.",
                            channel.name(), change.mode));
      return false;
    }
    if (change.mode == 'k' && change.add && !core::IsValidChannelKey(change.param)) {
      req.Reply("The key (+k) must be 1 to 23 characters without space, comma or colon.");
      return false;
    }
    if (change.mode == 'l' && change.add) {
      uint32_t value = 0;
      auto [p, ec] =
          std::from_chars(change.param.data(), change.param.data() + change.param.size(), value);
      if (!change.has_param || ec != std::errc() ||
          p != change.param.data() + change.param.size() || value == 0) {
        req.Reply("The limit (+l) must be a positive number.");
        return false;
      }
    }
  }
  return true;
}

// The flags, key and limit of a room (what SET MODES changes).
struct ModeState {
  uint32_t modes = 0;
  std::string key;
  uint32_t limit = 0;
};

// The MODE line that takes the room from `before` to its current modes.
void AnnounceModeChange(Server& server, Channel& channel, const ModeState& before) {
  std::string plus, minus;
  std::vector<std::string> params;
  for (char c : std::string_view("imnst")) {
    uint32_t bit = core::ChannelFlagBit(c);
    bool was = (before.modes & bit) != 0, is = (channel.modes & bit) != 0;
    if (!was && is) plus += c;
    if (was && !is) minus += c;
  }
  if (channel.key != before.key && !channel.key.empty()) {
    plus += 'k';
    params.push_back(channel.key);
  }
  if (channel.limit != before.limit && channel.limit != 0) {
    plus += 'l';
    params.push_back(std::to_string(channel.limit));
  }
  if (channel.limit != before.limit && channel.limit == 0) minus += 'l';
  if (channel.key != before.key && channel.key.empty()) {
    minus += 'k';
    params.push_back("*");
  }
  std::string modes = (plus.empty() ? "" : "+" + plus) + (minus.empty() ? "" : "-" + minus);
  if (!modes.empty()) SendMode(server, channel, modes, params);
}

void Set(Request& req) {
  if (!req.RequireLogin("use SET")) return;
  Channel* channel = req.RegisteredRoom("SET <#room> DESCRIPTION <text> | MODES <modes>");
  if (channel == nullptr) return;
  std::string what = Upper(req.Next());
  if (what != "DESCRIPTION" && what != "MODES") {
    req.Reply("Syntax: SET <#room> DESCRIPTION <text> | MODES <modes>");
    return;
  }
  if (!req.RequireFounder(*channel, "change its settings")) return;
  Later later = req.later();
  if (what == "DESCRIPTION") {
    channel->description = core::Limit(req.Rest(), kDescriptionMax);
    req.server().store().SaveRoom(
        channel->ToStored(),
        later.WhenStored(
            fmt::format("The description of {} is now: {}", channel->name(),
                        channel->description.empty() ? "(none)" : channel->description),
            "The description of " + channel->name()));
    later.Audit("room.set.description", *channel, channel->description);
    return;
  }
  std::string_view mode_string = req.Rest();
  if (!CheckModes(req, *channel, mode_string)) return;
  const ModeState before{channel->modes, channel->key, channel->limit};
  core::ApplyModeString(*channel, mode_string);  // checked above
  AnnounceModeChange(req.server(), *channel, before);
  req.server().store().SaveRoom(
      channel->ToStored(), later.WhenStored(fmt::format("The modes of {} are now {}.",
                                                        channel->name(), channel->ModeString(true)),
                                            "The modes of " + channel->name()));
  later.Audit("room.set.modes", *channel, std::string(mode_string));
}

void Info(Request& req) {
  Channel* channel = req.RegisteredRoom("INFO <#room>");
  if (channel == nullptr) return;
  req.Reply(fmt::format("Information on {}:", channel->name()));
  req.Reply(fmt::format("  Founder: {}", channel->founder));
  req.Reply(fmt::format("  Registered: {}", UtcDate(channel->registered_at)));
  if (!channel->description.empty()) {
    req.Reply(fmt::format("  Description: {}", channel->description));
  }
  req.Reply(fmt::format("  Modes: {}", channel->ModeString(false)));
  req.Reply(fmt::format("  Access entries: {}", channel->access.size()));
  req.Reply(fmt::format("End of information on {}.", channel->name()));
}

void Drop(Request& req) {
  if (req.from().account().empty() && !req.from().IsOper()) {
    req.RequireLogin("drop a room");
    return;
  }
  Channel* channel = req.RegisteredRoom("DROP <#room>");
  if (channel == nullptr) return;
  if (LevelOf(*channel, req.from()) != Level::kFounder && !req.from().IsOper()) {
    req.Reply(fmt::format("Only the founder of {} ({}) or an IRC operator can drop it.",
                          channel->name(), channel->founder));
    return;
  }
  Server& server = req.server();
  Later later = req.later();
  std::string name = channel->name();
  std::string founder = channel->founder;
  Unregister(server, *channel);
  auto done = later.WhenStored(
      fmt::format("{} has been dropped; it is no longer registered.", name), "The drop of " + name);
  later.Audit("room.drop", *channel, "founder " + founder);
  if (channel->declared) {
    // A declared room keeps its row: topic, modes and lists.
    server.store().SaveRoom(channel->ToStored(), std::move(done));
    return;
  }
  server.store().DeleteRoom(name, std::move(done));
  server.channels_registry().DropIfEmpty(*channel);  // an ordinary channel again
}

void Help(Request& req) {
  for (std::string_view line : {
           "ChanServ keeps registered rooms: founder, access list, modes, topic and bans.",
           "  REGISTER <#room>                          register a room you operate (logged in)",
           "  OP|DEOP|VOICE|DEVOICE <#room> [<nick>]    founder and moderators (voice: VOICE "
           "yourself)",
           "  ACCESS <#room> ADD <account> <moderator|voice>   founder",
           "  ACCESS <#room> DEL <account>              founder",
           "  ACCESS <#room> LIST                       members of the access list",
           "  SET <#room> DESCRIPTION <text>            founder",
           "  SET <#room> MODES <modes>                 founder (i m n s t k l)",
           "  INFO <#room>                              anyone",
           "  DROP <#room>                              founder, or an IRC operator",
           "On joining, the founder and moderators get +o, voice entries +v.",
       }) {
    req.Reply(line);
  }
}

}  // namespace

void ChanServ::OnMessage(Server& server, Client& from, std::string_view text) {
  std::string_view rest = text;
  std::string command = Upper(NextWord(&rest));
  Request req(*this, server, from, rest);
  if (command == "REGISTER") {
    Register(req);
  } else if (command == "OP") {
    Status(req, command, core::kStatusOp, true);
  } else if (command == "DEOP") {
    Status(req, command, core::kStatusOp, false);
  } else if (command == "VOICE") {
    Status(req, command, core::kStatusVoice, true);
  } else if (command == "DEVOICE") {
    Status(req, command, core::kStatusVoice, false);
  } else if (command == "ACCESS") {
    Access(req);
  } else if (command == "SET") {
    Set(req);
  } else if (command == "INFO") {
    Info(req);
  } else if (command == "DROP") {
    Drop(req);
  } else if (command == "HELP" || command.empty()) {
    Help(req);
  } else {
    req.Reply(fmt::format("Unknown command {}. /msg ChanServ HELP lists the commands.", command));
  }
}

void ChanServ::OnJoin(Server& server, Client& client, Channel& channel) {
  switch (LevelOf(channel, client)) {
    case Level::kFounder:
    case Level::kModerator:
      SetStatus(server, channel, client, core::kStatusOp, true);
      break;
    case Level::kVoice:
      SetStatus(server, channel, client, core::kStatusVoice, true);
      break;
    case Level::kNone:
      break;
  }
}

void ChanServ::OnLogin(Server& server, Client& client) {
  for (Channel* channel : std::vector<Channel*>(client.channels)) OnJoin(server, client, *channel);
}

void ForgetAccount(Server& server, const std::string& account) {
  std::vector<Channel*> emptied;
  for (const auto& [folded, channel] : server.channels_registry().all()) {
    auto& access = channel->access;
    access.erase(
        std::remove_if(access.begin(), access.end(),
                       [&](const auto& e) { return irc::EqualsFolded(e.account, account); }),
        access.end());
    if (!channel->registered() || !irc::EqualsFolded(channel->founder, account)) continue;
    Unregister(server, *channel);
    if (!channel->kept() && channel->size() == 0) emptied.push_back(channel.get());
  }
  for (Channel* channel : emptied) server.channels_registry().DropIfEmpty(*channel);
}

}  // namespace salon::services
