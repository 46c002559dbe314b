// Debian's libsqlite3 (libsqlite3-dev), found with pkg-config "sqlite3".
// Only WaiaasLedger imports this module; no sqlite3 pointer leaves it.
#include <sqlite3.h>
