// Statement timeouts. The servers' connection pools (app::DbPool, `suiji serve --db-timeout-ms`) set
// PostgreSQL's statement_timeout on each connection; a statement that runs past it (a lock held
// elsewhere, an overloaded server) is cancelled by PostgreSQL with SQLSTATE 57014 and fails like any
// other statement. StoreError counts those failures per thread, so that the HTTP server can answer
// "the database did not answer in time" (503, retry) rather than an internal error (500), whichever
// route and store function met it.
#pragma once
#include <chrono>
#include <cstdint>
#include <exception>

#include "core/result.h"

namespace suiji::store {

// Statements cancelled on this thread so far (query_canceled, SQLSTATE 57014), as seen by StoreError.
std::uint64_t StatementTimeoutsOnThisThread();

class Database;

// PostgreSQL: `SET statement_timeout` on this session (0 = none). SQLite: nothing (its busy timeout of
// 10 s bounds waiting for the write lock; a read never waits).
Status SetStatementTimeout(Database& db, std::chrono::milliseconds timeout);

// Counts `e` when it is PostgreSQL's query_canceled (StoreError calls it; other catch sites may).
void NoteIfStatementTimeout(const std::exception& e);

}  // namespace suiji::store
