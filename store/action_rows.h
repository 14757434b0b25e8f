#pragma once
// Writing an action row, shared by the writer's commit and the responder's
// ActionLog (private to store/).

#include <cstdint>

#include "store/batch.h"
#include "store/statement.h"

namespace vigil::store {

// Inserts `action` through `insert` (prepared from sql::kInsertAction) and
// returns its id; `alert_id` 0 stores NULL.
int64_t insert_action(Statement& insert, sqlite3* db, const ActionRecord& action, int64_t alert_id);

}  // namespace vigil::store
