#pragma once
// Opening a database file: connection settings and forward migrations (private
// to store/).

#include <sqlite3.h>

#include <string>

namespace vigil::store {

// Refuses files that are not vigil's or whose schema is newer than this binary,
// switches to WAL, sets the connection's pragmas and migrates to the current
// schema in one transaction. Returns the schema version. Throws vigil::Error
// naming `path`.
int prepare_schema(sqlite3* db, const std::string& path);

}  // namespace vigil::store
