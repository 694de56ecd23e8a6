// Table: the one generic engine under every repository (EntityStore, OfficerStore, ...). A table is
// described by a TableSpec (all columns TEXT, key columns first); the repositories only map their
// domain type to and from a Row.
//
// Upsert contract (a batch of rows, inside the caller's Transaction):
//  - every value must be valid UTF-8 and a key may appear only once per batch, else nothing is
//    written and the error names the row index, column and reason;
//  - a row whose key is new is inserted, one whose values differ is updated, an identical one is
//    left alone; counts of each are returned;
//  - audit events, none for unchanged rows (re-importing the same data writes nothing):
//      "<noun>.insert_batch" - ONE per call that inserts rows, first; subject = the table name,
//        payload {"count":N,"digest":"<hex>","first":[key...],"last":[key...]}. The batch's new rows
//        are written in byte order of their key (column by column); `digest` is the SHA-256 of the
//        concatenation, in that order, of one line per row:
//            canonical JSON array of the key values, "\t", row sha256 (64 lowercase hex), "\n"
//        e.g.  ["91510100MA61234567"]\t3f0c...e1\n . The row sha256 is the SHA-256 of the row's
//        canonical JSON object (column -> value, JSON columns embedded as JSON, the stamp and
//        provenance columns left out): the rows are in the table, so the chain commits to them
//        without writing every value twice. first/last are the first and last keys in that order.
//      "<noun>.update" - one per changed row, in batch order, after the insert_batch event; payload
//        {"changed":[...],"new":{...},"old":{...}}: full old and new values, which would otherwise
//        be lost.
//  - provenance (TableSpec::provenance, migration 0005): each written row also gets audit_seq = the
//    seq of the event that inserted or updated it, and row_sha256 = its row sha256. So "which event
//    brought this row in" is a lookup, and VerifyProvenance() recomputes every insert_batch digest
//    from the rows that still carry its seq.
// Bulk path: existing rows are fetched with Dialect::SelectByKeys (one statement with text[] key
// parameters on PostgreSQL). When the table was empty at the start of the transaction (a first
// load), the probe is skipped for every key this Table has certainly not inserted earlier in the
// same transaction: a Bloom filter of the inserted keys' hashes (core/bloom.h, ~1.3-2.5 bytes a
// key, so memory stays flat-ish over a 10^7-row load); a "maybe" is probed for real.
// Prepare/Upsert split: Prepare(rows) does every check and all the per-row work (key hashes, row
// sha256s, digest lines, PostgreSQL COPY text, key order) without touching the database, and is
// const, so a reader thread can prepare batch k+1 while the connection writes batch k;
// Upsert(tx, rows) is Upsert(tx, Prepare(rows)). A reader can also feed a batch in chunks as it
// parses them (PrepareChunk ... FinishPrepare), so each row's bytes are hashed and formatted while
// they are still in the CPU cache rather than a whole batch later.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bloom.h"
#include "core/result.h"
#include "data/store/database.h"
#include "data/store/dialect.h"

namespace suiji::store {

struct TableSpec {
  std::string table;                 // e.g. "entities"
  std::vector<std::string> columns;  // key columns first; excludes the stamp column
  size_t key_columns = 1;
  std::vector<std::string> json_columns;  // values that are JSON text (embedded as JSON in payloads)
  std::string stamp_column;          // "" or a column set to the clock on every insert/update
  std::string audit_noun;            // "entity" -> actions "entity.insert_batch" / "entity.update"
  bool provenance = false;           // the table has audit_seq / row_sha256 columns (migration 0005)
  // Columns added after the table's rows were first hashed (e.g. entities' regno, migration 0007):
  // left out of a row's canonical object while empty ('' or '[]'), so a row hashed before they
  // existed keeps its hash and `audit verify --rows` still passes on it.
  std::vector<std::string> late_columns = {};
};

// Column names of the provenance pair (see the contract above).
inline constexpr const char* kAuditSeqColumn = "audit_seq";
inline constexpr const char* kRowShaColumn = "row_sha256";

// One line of an insert_batch digest for a row whose first `nkey` values are its key.
void AppendDigestLine(std::string& out, const Row& row, size_t nkey, std::string_view row_sha256);

// What VerifyProvenance found in one table.
struct ProvenanceReport {
  std::string table;
  std::int64_t rows = 0;             // rows read
  std::int64_t legacy_rows = 0;      // audit_seq 0: written before migration 0005, nothing to check
  std::int64_t batches = 0;          // insert_batch digests recomputed and matching
  std::int64_t batches_partial = 0;  // some rows changed since (their update events hold the old values)
  std::int64_t updates = 0;          // rows whose last update event's new values match the row
  std::int64_t problem_count = 0;
  std::vector<std::string> problems;  // the first few, one line each
  bool ok() const { return problem_count == 0; }
};

// A batch that passed Table::Prepare (or PrepareChunk... then FinishPrepare). Opaque to callers;
// pass it to the same table's Upsert.
struct PreparedRows {
  std::string table;                  // the table that prepared it
  std::vector<Row> rows;              // as given
  std::vector<std::uint64_t> hashes;  // key hash per row
  std::vector<std::string> shas;      // row sha256 (hex) per row
  std::vector<std::array<std::uint64_t, 2>> prefixes;  // first 16 key bytes, big-endian, per row
  std::string lines;                  // digest line per row, in row order ...
  std::vector<size_t> line_ends;      // ... and where each ends
  std::string copy_text;              // PostgreSQL only: COPY text of each row's values and sha ...
  std::vector<size_t> copy_ends;      // ... and where each ends (no newline)
  std::optional<Error> error;         // the first failed check (PrepareChunk goes on no further)
  bool finished = false;
  // Set by FinishPrepare:
  std::vector<size_t> key_order;      // row indices in byte order of their key
  std::string digest_lines;           // the digest lines in key order ...
  std::vector<size_t> digest_ends;    // ... and where each ends
  std::string all_digest;             // Sha256Hex(digest_lines): the digest when every row is new
};

struct UpsertCounts {
  std::int64_t inserted = 0, updated = 0, unchanged = 0;
  UpsertCounts& operator+=(const UpsertCounts& o) {
    inserted += o.inserted;
    updated += o.updated;
    unchanged += o.unchanged;
    return *this;
  }
  bool operator==(const UpsertCounts&) const = default;
};

class Table {
 public:
  Table(Database& db, TableSpec spec);

  const TableSpec& spec() const { return spec_; }
  Database& db() { return db_; }
  Result<std::optional<Row>> Get(const Row& key);
  Result<std::int64_t> Count();
  // Refreshes the planner's statistics for this table from a small sample (Dialect::QuickAnalyze).
  // Worth it after a bulk load, before autovacuum comes round. Run it outside any open transaction.
  Status Analyze();
  // Rows ordered by key; offset/limit paging.
  Result<std::vector<Row>> List(std::int64_t offset, std::int64_t limit);
  // Every row in key order, `batch` rows in memory at a time. fn returns false to stop early.
  Status ForEach(const std::function<bool(const Row&)>& fn, std::int64_t batch = 10000);
  // Rows matching `where` (a fixed SQL condition over this table's columns with :p0.. placeholders
  // bound to params in order), ordered by key. For repositories' own queries; never user SQL.
  Result<std::vector<Row>> Select(const std::string& where, std::vector<std::string> params);
  // One keyset page: rows matching `where` ("" = all; placeholders :p0.. as Select) whose first key
  // column sorts after `after` ("" = from the start), ordered by key, at most `limit`. For APIs that
  // page without OFFSET, so a page costs the same wherever it starts. Only for tables keyed by one
  // column (entities, officers): with a composite key, rows sharing a first column would be skipped.
  Result<std::vector<Row>> SelectPage(const std::string& where, std::vector<std::string> params,
                                      const std::string& after, std::int64_t limit);
  Result<UpsertCounts> Upsert(Transaction& tx, std::vector<Row> rows, std::string_view actor);
  // The database-free half of Upsert (see the contract above); safe to call from another thread
  // while this Table's Upsert runs. Errors: store.row, store.utf8, store.key, store.duplicate.
  Result<PreparedRows> Prepare(std::vector<Row> rows) const;
  // Prepare in pieces: PrepareChunk appends rows (row numbers in errors count from the batch's
  // start) and stops at the first bad row (into.error); FinishPrepare checks keys across the whole
  // batch and orders it. Prepare(rows) is PrepareChunk(rows) + FinishPrepare.
  void PrepareChunk(std::vector<Row>&& rows, PreparedRows& into) const;
  Status FinishPrepare(PreparedRows& batch) const;
  // Consumes `rows` (left in an unspecified state) but does not free it: a batch is hundreds of
  // thousands of allocations, so the caller destroys it off the connection's critical path (e.g.
  // hands it back to the reader thread: Prefetcher::Recycle).
  Result<UpsertCounts> Upsert(Transaction& tx, PreparedRows& rows, std::string_view actor);

  // Gives the row keyed `old_key` the key `new_key`, its other values unchanged, inside the caller's
  // transaction: one "<noun>.update" event (subject the new key, payload as an update's plus
  // "rekey": {"from": old key, "to": new key, "reason": reason}) whose seq and row sha256 the row then
  // carries, so VerifyProvenance checks it like any update. False when no row has old_key; errors:
  // store.rekey_conflict when a row already has new_key (nothing is changed).
  Result<bool> Rekey(Transaction& tx, const Row& old_key, const Row& new_key, std::string_view actor,
                     std::string_view reason);

  // Checks a provenance table against the audit log (read-only): every row's content still hashes to
  // its row_sha256; every insert_batch event whose rows all still carry its seq has the digest those
  // rows give; an updated row matches its update event's new values; no row points at an event that
  // did not write it. Streams the table and the log; holds one batch's keys at a time.
  Result<ProvenanceReport> VerifyProvenance(size_t max_problems = 20);

 private:
  // Keys inserted by this Table during a first load (table empty when the transaction began).
  struct FirstLoad {
    std::uint64_t tx_serial = 0;  // the transaction it belongs to; 0 = none yet
    bool active = false;
    ScalableBloom inserted{1 << 18};  // hashes of the keys inserted so far
  };
  std::string RowSha(const Row& r, std::string& scratch) const;
  void Scan(const std::string& columns, size_t ncols, const std::function<bool(const Row&)>& fn, std::int64_t batch);
  std::string ColumnList(const std::string& prefix = "") const;
  std::string KeyOrder() const;
  std::string SubjectOf(const Row& r) const;
  void AppendObject(std::string& out, const Row& r) const;
  // `fetch`: rows per round trip; a LIMIT query passes its limit, so a page of 50 does not allocate
  // buffers for thousands.
  std::vector<Row> Query(const std::string& sql, std::vector<std::string>& sparams, std::vector<long long>& iparams,
                         size_t ncols = 0, size_t fetch = 0);

  Database& db_;
  TableSpec spec_;
  std::vector<size_t> sorted_;   // column indices in byte order of their names (canonical JSON)
  std::vector<bool> is_json_;
  std::vector<bool> is_late_;
  std::vector<std::string> json_keys_;  // "column": as JSON, per column
  FirstLoad first_load_;
};

}  // namespace suiji::store
