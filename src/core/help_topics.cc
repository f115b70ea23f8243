// The help text of every command and subject (see help_topics.h). Keep it sorted by name; each
// line of text must fit an IRC line once "705 <nick> <subject> :" is added (under 400 bytes).
#include "core/help_topics.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace salon::core {
namespace {

constexpr HelpTopic kTopics[] = {
    {"ACCEPT", true,
     "ACCEPT [+|-]<nick>[,[+|-]<nick>...] | ACCEPT *\n"
     "Answers message requests (718: someone you have no conversation with wrote to you).\n"
     "ACCEPT +nick (or nick) delivers what they sent and opens the conversation; ACCEPT -nick\n"
     "forgets their requests and closes it. ACCEPT * lists whom you accepted (281, 282)."},
    {"ACCOUNT", true,
     "ACCOUNT PASSWORD <old> <new> | EXPORT | DELETE <password> | SETAGE <account> <age>\n"
     "Manages the account you are logged in to: PASSWORD changes its password, EXPORT sends\n"
     "everything stored about it as one JSON document, DELETE removes it and logs you out.\n"
     "SETAGE (operators only) corrects the age of an account's profile.\n"
     "Replies are standard replies (NOTE/FAIL ACCOUNT ...); see docs/account-protocol.md."},
    {"ADMIN", true,
     "ADMIN [<server>]\n"
     "Shows who runs this server: its location, the person or organisation, and a contact."},
    {"AUDIT", true,
     "AUDIT VERIFY | AUDIT LOG [n]\n"
     "The audit log (server administrators, docs/moderation.md \"Records\"). VERIFY checks its\n"
     "hash chain and names the first entry changed or deleted; LOG shows the last n entries\n"
     "(default 20). Every use is itself audited."},
    {"AUTHENTICATE", true,
     "AUTHENTICATE <mechanism> | <base64 data> | *\n"
     "SASL login (capability sasl): mechanisms PLAIN and SCRAM-SHA-256, before or after\n"
     "connection registration. '*' aborts the exchange."},
    {"AUTOMOD", true,
     "AUTOMOD RELOAD | TEST [#room] <text> | STATUS\n"
     "Automatic moderation (docs/moderation.md). RELOAD (server administrators) reads the\n"
     "rules file again; a file with an error is refused and the rules in force stay. TEST\n"
     "(server moderators) shows which rule a message would trip in #room (or in private).\n"
     "STATUS (server moderators) shows the rules loaded, the messages held and the last error."},
    {"AWAY", true,
     "AWAY [:<message>]\n"
     "With a message, marks you away: people who message you get it back (301), WHO shows G.\n"
     "Without one, marks you back. Channel members with away-notify are told either way."},
    {"BAN", true,
     "BAN [#room] <nick|account:NAME|nick!user@host|IP|CIDR> [<duration>] :<reason>\n"
     "Bans from the server (server moderators) or from one room (its operators, founder or\n"
     "ChanServ moderators): a connected user is disconnected or removed from the room, with a\n"
     "statement of reasons. Durations: 30m, 2h, 7d, 1w, 0 or perm (default). See BANS, UNBAN."},
    {"BANS", true,
     "BANS [#room|*]\n"
     "Lists the bans and mutes in force (all of them, the server's with *, or one room's):\n"
     "reference, kind, target, expiry, reason. Server moderators; room operators for their room."},
    {"BATCH", true,
     "BATCH +<id> <type> [<params>] | BATCH -<id>\n"
     "Groups the lines between the two BATCH commands (IRCv3 batch), e.g. a draft/multiline\n"
     "message sent as several PRIVMSG lines tagged batch=<id>."},
    {"CAP", true,
     "CAP LS [302] | LIST | REQ :<capabilities> | END\n"
     "Negotiates IRCv3 capabilities. LS lists what the server offers (302 adds values), REQ\n"
     "asks for some (all or none are granted: ACK or NAK, '-cap' turns one off), LIST shows\n"
     "yours. During registration the welcome waits for CAP END."},
    {"CHANMODES", false,
     "Channel modes (MODE #room <modes> [<parameters>])\n"
     "+b <mask> ban, +e <mask> ban exception, +I <mask> invite exception: lists, shown by\n"
     "MODE #room +b (or +e, +I). Masks are nick!user@host with * and ?, or extbans:\n"
     "  a:<account> matches a logged-in account, m:<mask> mutes (join and read, not speak),\n"
     "  m:a:<account> mutes an account.\n"
     "+k <key> key, +l <count> user limit, +i invite only, +m moderated (only +v and +o speak),\n"
     "+n no messages from outside, +s secret, +t only operators set the topic,\n"
     "+C no CTCP except ACTION, +R only logged-in users join, +M only logged-in, voiced or\n"
     "operators speak, +A adults only (18 and over; see docs/moderation.md).\n"
     "+o <nick> and +v <nick> give operator status and voice.\n"
     "+W <seconds> slow mode: one message per member every <seconds> (operators exempt).\n"
     "+N <minutes> new here: connections younger than that post no links in the room."},
    {"CHANSERV", false,
     "CHANSERV <command> (also CS, or /msg ChanServ <command>)\n"
     "ChanServ registers rooms and keeps their founder, access list, topic and modes.\n"
     "/msg ChanServ HELP lists its commands."},
    {"CHATHISTORY", true,
     "CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN|TARGETS <target> <references> <limit>\n"
     "Replays recent messages of a room or a private conversation (draft/chathistory),\n"
     "in a batch. References are timestamp=<time> or msgid=<id>, or * for the latest."},
    {"CHGHOST", true,
     "CHGHOST <nick> <user> <host>\n"
     "Changes the user and host others see for a user (IRC operators only, audited). Clients\n"
     "with the chghost capability are told; the others see the new prefix from then on."},
    {"CONNLOG", true,
     "CONNLOG <nick|account|ip|cidr> [limit]\n"
     "The connection log (server administrators): address, source port, transport, connect\n"
     "and disconnect times of the newest matching connections (default 20). Every read is\n"
     "audited. Kept [records] connection_log_days (docs/privacy.md)."},
    {"DEBUG", true,
     "DEBUG CLOCK ADVANCE <seconds>\n"
     "For tests only, on servers started with debug.clock_control: moves the server's clock."},
    {"HELD", true,
     "HELD [LIST] [#room] | HELD RELEASE <id> | HELD DROP <id>\n"
     "Messages held for review by automod reach no one until a moderator decides. HELD lists\n"
     "them with their ids; RELEASE delivers one as its sender sent it, DROP discards it (the\n"
     "sender is told). Server moderators decide every held message, a room's operators those\n"
     "of their room (HELD #room). Held messages are kept in memory only, for a limited time."},
    {"HELP", true,
     "HELP [<subject>]\n"
     "Without a subject, lists the commands and subjects. HELP <command> explains one;\n"
     "HELP CHANMODES and HELP UMODES explain the modes. HELPOP is the same command."},
    {"HELPOP", true,
     "HELPOP [<subject>]\n"
     "The same as HELP."},
    {"INFO", true,
     "INFO [<server>]\n"
     "Shows what this server is: software, version, network and when it started."},
    {"INVITE", true,
     "INVITE <nick> <#room> | INVITE\n"
     "Invites someone into a room you are on (on a +i room you must be an operator). An\n"
     "invitation lets them past +i, +l, +R and bans once. Without parameters, lists the rooms\n"
     "you are invited to (336, 337)."},
    {"ISON", true,
     "ISON <nick> [<nick>...]\n"
     "Answers which of the given nicks are online (303)."},
    {"JOIN", true,
     "JOIN <#room>[,<#room>...] [<key>[,<key>...]] | JOIN 0\n"
     "Joins rooms (a new room is created with you as its operator). JOIN 0 leaves them all.\n"
     "Refusals: 471 full (+l), 473 invite only (+i), 474 banned (+b), 475 bad key (+k),\n"
     "477 logged-in users only (+R), 474 adults only (+A)."},
    {"KICK", true,
     "KICK <#room> <nick>[,<nick>...] [:<reason>]\n"
     "Removes people from a room (operators only)."},
    {"KILL", true,
     "KILL <nick> [:<reason>]\n"
     "Disconnects a user (IRC operators only)."},
    {"KNOCK", true,
     "KNOCK <#room> [:<message>]\n"
     "Asks the operators of a room you cannot join (+i, +k or full +l) to invite you. One\n"
     "knock per minute; 711 confirms it was delivered."},
    {"LINKS", true,
     "LINKS [[<server>] <mask>]\n"
     "Lists the servers of the network: this one (its services are built in)."},
    {"LIST", true,
     "LIST [<filter>[,<filter>...]]\n"
     "Lists the visible rooms with their user counts and topics. Filters: a name mask, !mask\n"
     "(not matching), <n or >n users, C<n or C>n (created n minutes ago), T<n or T>n (topic\n"
     "set n minutes ago). Secret (+s) rooms and rooms not in the public catalogue (see\n"
     "LISTROOM) show only to their members; server moderators see every room but +s ones."},
    {"LISTROOM", true,
     "LISTROOM <#room>\n"
     "Puts a room in the public catalogue (LIST for everyone, the web catalogue). Server\n"
     "moderators only; audited. Rooms created by JOIN stay out of it unless the server says\n"
     "otherwise ([room_policy] user_rooms). UNLISTROOM takes it out again."},
    {"LUSERS", true,
     "LUSERS\n"
     "Counts users (visible and invisible), operators, unregistered connections and rooms."},
    {"MARKREAD", true,
     "MARKREAD <target> [timestamp=<time>]\n"
     "Sets or asks where you have read a room or conversation up to (draft/read-marker)."},
    {"MODE", true,
     "MODE <#room> [<modes> [<parameters>]] | MODE <your nick> [<modes>]\n"
     "Shows or changes the modes of a room (see HELP CHANMODES) or your own user modes (see\n"
     "HELP UMODES)."},
    {"MONITOR", true,
     "MONITOR + <nick>[,<nick>...] | - <nick>[,...] | C | L | S\n"
     "Watches nicks: you are told when they connect (730) or leave (731). + adds, - removes,\n"
     "C clears the list, L lists it, S shows who is online now."},
    {"MOTD", true,
     "MOTD [<server>]\n"
     "Shows the message of the day."},
    {"MUTE", true,
     "MUTE [#room] <nick|account:NAME|nick!user@host|IP|CIDR> <duration|0> :<reason>\n"
     "Mutes a user (timeout): they can read but not speak in rooms nor send private messages\n"
     "(in one room only with #room), until the duration ends (0: until UNMUTE). The user gets\n"
     "a statement of reasons. Server moderators; room operators for their room."},
    {"NAMES", true,
     "NAMES <#room>[,<#room>...]\n"
     "Lists the members of rooms, with @ for operators and + for voiced members."},
    {"NICK", true,
     "NICK <nick>\n"
     "Sets or changes your nick. A registered nick must be identified to (SASL or NickServ)\n"
     "within a grace period, or you are renamed."},
    {"NICKSERV", false,
     "NICKSERV <command> (also NS, or /msg NickServ <command>)\n"
     "NickServ registers accounts, logs you in (IDENTIFY) and manages them (GHOST, RECOVER,\n"
     "SET PASSWORD, DROP...). /msg NickServ HELP lists its commands."},
    {"NOTICE", true,
     "NOTICE <target>[,<target>...] :<text>\n"
     "Like PRIVMSG, but never answered automatically and never answered with errors."},
    {"OPER", true,
     "OPER <name> <password>\n"
     "Makes you an IRC operator (user mode +o) with an operator block of the configuration."},
    {"PART", true,
     "PART <#room>[,<#room>...] [:<reason>]\n"
     "Leaves rooms."},
    {"PASS", true,
     "PASS <password>\n"
     "Accepted before registration for compatibility; this server has no connection password."},
    {"PING", true,
     "PING <token>\n"
     "The server answers PONG with the same token."},
    {"PONG", true,
     "PONG <token>\n"
     "The answer to the server's PING: connections that never answer are closed."},
    {"PRIVMSG", true,
     "PRIVMSG <target>[,<target>...] :<text>\n"
     "Sends a message to nicks or rooms; @#room reaches only its operators, +#room its voiced\n"
     "members and operators. A room may refuse it (404): +n, +m, +M, +C, bans and mutes."},
    {"PROFILE", true,
     "PROFILE SET <age> <gender> :<town>\n"
     "Sets the join profile shown to the web client (salon.chat/profile): gender f, m, nb or\n"
     "-. See docs/profile-protocol.md."},
    {"QUIT", true,
     "QUIT [:<reason>]\n"
     "Disconnects; the rooms you were on see the reason."},
    {"REDACT", true,
     "REDACT <target> <msgid> [:<reason>]\n"
     "Deletes one of your messages, or (as a room operator) one in your room, for clients\n"
     "that support draft/message-redaction."},
    {"REGISTER", true,
     "REGISTER <account|*> <email|*> <password>\n"
     "Registers an account named after your current nick ('*' means your nick) and logs you\n"
     "in. With e-mail verification on, VERIFY completes it."},
    {"REPORT", true,
     "REPORT <nick|#room> <category> [<msgid>] :<text>\n"
     "Reports a user, a room, or one message (its msgid) to the server's moderators, with\n"
     "the recent messages around it as evidence. The text is required (it may be empty).\n"
     "Categories: child_abuse grooming non_consensual threat hate harassment illegal_goods\n"
     "spam other. You get NOTE REPORT RECEIVED <R-id>; see docs/report-protocol.md."},
    {"REPORTS", true,
     "REPORTS [open|all] [n] | REPORTS SHOW <R-id>\n"
     "Server moderators: the report queue (child safety first, then threats, then the rest;\n"
     "default the first 20 open reports), or one report with its evidence. Audited."},
    {"ROLE", true,
     "ROLE GRANT <account> <admin|moderator> | REVOKE <account> | LIST\n"
     "Server roles (administrators only, audited): administrators grant and revoke roles,\n"
     "moderators use the moderation commands server-wide. Accounts named in the configuration\n"
     "([moderation] admins, moderators) keep their role. Replies: NOTE/FAIL ROLE ..."},
    {"SETNAME", true,
     "SETNAME :<realname>\n"
     "Changes your real name; clients with the setname capability are told."},
    {"STRIKE", true,
     "STRIKE <nick|account:NAME> :<reason>\n"
     "Records a strike and applies the next rung of the server's strike ladder ([moderation]\n"
     "strike_ladder, e.g. warn, timeout:1h, suspend:7d) for the strikes of the last\n"
     "strike_window_days. Suspension bans the account (or a guest's host). Server moderators."},
    {"TAGMSG", true,
     "TAGMSG <target>\n"
     "Sends only client tags (typing notifications, reactions) to clients with message-tags."},
    {"TIME", true,
     "TIME [<server>]\n"
     "Shows the server's time (UTC)."},
    {"TOPIC", true,
     "TOPIC <#room> [:<topic>]\n"
     "Shows or sets a room's topic (operators only on a +t room). An empty topic clears it."},
    {"UMODES", false,
     "User modes (MODE <your nick> <modes>)\n"
     "+i invisible: masks in WHO do not show you to strangers. +w receives WALLOPS.\n"
     "+o IRC operator (given by OPER, removed with MODE <nick> -o). +B marks you as a bot\n"
     "(335 in WHOIS, B in WHO, the bot tag on your messages)."},
    {"UNBAN", true,
     "UNBAN [#room] <reference|target>\n"
     "Lifts a ban by its reference (D-...) or by its target as given to BAN. The user is told."},
    {"UNLISTROOM", true,
     "UNLISTROOM <#room>\n"
     "Takes a room out of the public catalogue: it stays open to anyone who knows its name.\n"
     "Server moderators only; audited. Declared rooms are always listed."},
    {"UNMUTE", true,
     "UNMUTE [#room] <reference|nick|account:NAME|mask>\n"
     "Lifts a mute before it ends; the user gets a statement (action unmute)."},
    {"USER", true,
     "USER <username> 0 * :<realname>\n"
     "Part of connection registration, with NICK. Neither may be empty."},
    {"USERHOST", true,
     "USERHOST <nick> [<nick>...]\n"
     "Shows nick, operator flag, away flag and user@host of up to five users (302)."},
    {"USERS", true,
     "USERS\n"
     "Refused (446): this server does not tell who is logged in to its host."},
    {"VERIFY", true,
     "VERIFY <account> <code>\n"
     "Completes a registration with the code mailed to the account's e-mail address."},
    {"VERSION", true,
     "VERSION [<server>]\n"
     "Shows the server's software and version, then its ISUPPORT tokens (005)."},
    {"WALLOPS", true,
     "WALLOPS :<text>\n"
     "Sends a message to every user with user mode +w (IRC operators only)."},
    {"WARN", true,
     "WARN [#room] <nick> :<reason>\n"
     "Warns a user: a statement of reasons with a reference, nothing else changes (it counts\n"
     "as a strike only through STRIKE). Server moderators; room operators for their room."},
    {"WHO", true,
     "WHO <#room|mask|nick> [%<fields>[,<token>]]\n"
     "Lists users of a room or matching a mask (352), or with WHOX the fields asked for\n"
     "(354): t c u i h s n f d l a o r. Invisible users are hidden from masks unless you\n"
     "share a room with them."},
    {"WHOIS", true,
     "WHOIS [<server>] <nick>\n"
     "Shows who someone is: user and host, rooms, account, away message, idle time."},
    {"WHOWAS", true,
     "WHOWAS <nick> [<count>]\n"
     "Shows who used a nick recently, newest first; <count> limits the entries (0 or less:\n"
     "all of them)."},
};

constexpr bool Sorted() {
  for (std::size_t i = 1; i < std::size(kTopics); ++i) {
    if (!(kTopics[i - 1].name < kTopics[i].name)) return false;
  }
  return true;
}
static_assert(Sorted(), "kTopics must be sorted by name, without duplicates");

}  // namespace

std::span<const HelpTopic> HelpTopics() { return kTopics; }

const HelpTopic* FindHelpTopic(std::string_view subject) {
  std::array<char, 32> upper{};
  if (subject.empty() || subject.size() > upper.size()) return nullptr;
  for (std::size_t i = 0; i < subject.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[i])));
  }
  std::string_view key(upper.data(), subject.size());
  auto it = std::lower_bound(std::begin(kTopics), std::end(kTopics), key,
                             [](const HelpTopic& t, std::string_view k) { return t.name < k; });
  return it != std::end(kTopics) && it->name == key ? &*it : nullptr;
}

}  // namespace salon::core
