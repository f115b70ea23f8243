// SASL helpers shared with the registration commands (CAP END aborts an exchange).
#pragma once

namespace salon::core {

class Client;

// Ends the client's SASL exchange, if one is in progress, with 906 ERR_SASLABORTED.
void AbortSasl(Client& client);

}  // namespace salon::core
