// The daily bulk files of the public record (一公开), for whoever wants all of it at once (researchers,
// other platforms, an auditor's archive) — the same records the public API shows, in DIR:
//   results-DATE.csv.gz     UTF-8 CSV with a BOM (Excel opens it), one row per published record
//   results-DATE.jsonl.gz   one public record per line, exactly as GET /api/v1/public/results/{id}
//   manifest-DATE.json      each file's name, bytes, rows and SHA-256; the change feed's last sequence
//                           number; and the audit chain's head (seq, hash) — published daily, it
//                           anchors the chain: rewriting history would change a head already out;
//                           and every draw's head over its own audit events (draw_heads: draw_id,
//                           head, events, seq, hash), what `suiji verify --head` checks a bundle against.
// Files are written under temporary names and renamed, so a reader never sees half a file. Writing the
// same DATE again replaces that day's files.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/region.h"
#include "core/result.h"
#include "data/store/database.h"

namespace suiji::app {

struct BulkFile {
  std::string name, sha256;
  std::int64_t bytes = 0, rows = 0;
};
struct BulkManifest {
  std::string date, generated_at;
  std::vector<BulkFile> files;
  std::int64_t changes_seq = 0;  // the last publication sequence number included
  std::int64_t audit_seq = 0;
  std::string audit_head;
  std::string manifest_name;
};

Result<BulkManifest> WriteBulk(store::Database& db, const RegionTable& regions, const std::string& dir,
                               const std::string& date);

// Where the bulk files go unless configured: beside a SQLite database file (DIR/bulk), else ./bulk.
std::string DefaultBulkDir(const std::string& db_url);

// A bulk file name this module writes (results-YYYY-MM-DD.csv.gz, .jsonl.gz, manifest-YYYY-MM-DD.json).
bool IsBulkFileName(const std::string& name);

}  // namespace suiji::app
