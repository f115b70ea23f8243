// The automod rules file: TOML with one [[rule]] table per rule (format: docs/moderation.md,
// "Automatic moderation", and docs/automod.example.toml). Reading checks everything but the
// regular expressions themselves, which Ruleset::Build checks by compiling them; both report
// "<file>:<line>: <what>" so that an operator finds the faulty line at once.
// Thread: any (no shared state); reloads run it on a worker thread.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "moderation/automod/rule.h"

namespace salon::moderation::automod {

// Parses `text`; `origin` names the file in errors. Rules keep the file's order.
Result<std::vector<Rule>> ParseRules(const std::string& text, const std::string& origin);

// Reads and parses the file at `path`.
Result<std::vector<Rule>> LoadRuleFile(const std::string& path);

}  // namespace salon::moderation::automod
