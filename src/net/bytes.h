// Immutable byte buffers shared by every recipient of a broadcast: a message to a room of 5,000
// is serialized once and its buffer queued 5,000 times (one reference count each, no copy).
#pragma once

#include <memory>
#include <string>

namespace salon::net {

using SharedBytes = std::shared_ptr<const std::string>;

}  // namespace salon::net
