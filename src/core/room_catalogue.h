// The public room catalogue (GET /api/rooms): the listed rooms (Channel::listed: declared ones,
// and others as [room_policy] user_rooms and LISTROOM decide) that are not secret, with
// category, description, topic and member count, as JSON.
#pragma once

#include <string>

namespace salon::core {

class Server;

// [{"name":"#paris","category":"Regions","description":"...","topic":"...","members":12}, ...]
// sorted by category (declared rooms first), then name.
std::string RoomCatalogueJson(const Server& server);

}  // namespace salon::core
