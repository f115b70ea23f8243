// Room catalogue: see room_catalogue.h.
#include "core/room_catalogue.h"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "core/channel.h"
#include "core/server.h"

namespace salon::core {

std::string RoomCatalogueJson(const Server& server) {
  std::vector<const Channel*> rooms;
  for (const auto& [folded, channel] : server.channels_registry().all()) {
    if ((channel->modes & kChanSecret) || !channel->listed) continue;
    rooms.push_back(channel.get());
  }
  std::sort(rooms.begin(), rooms.end(), [](const Channel* a, const Channel* b) {
    if (a->declared != b->declared) return a->declared;
    if (a->category != b->category) return a->category < b->category;
    return a->folded() < b->folded();
  });
  boost::json::array out;
  out.reserve(rooms.size());
  for (const Channel* room : rooms) {
    out.push_back(boost::json::object{
        {"name", room->name()},
        {"category", room->category},
        {"description", room->description},
        {"topic", room->topic},
        {"members", room->size()},
        {"declared", room->declared},
        {"adults_only", (room->modes & kChanAdultsOnly) != 0},
    });
  }
  return boost::json::serialize(out);
}

}  // namespace salon::core
