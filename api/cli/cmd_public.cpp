// suiji public bulk [--out DIR] [--date D]: the day's bulk files of the public record (api/app/bulk.h),
// e.g. from cron once a day; `suiji serve --bulk-dir DIR` serves them at /api/v1/public/bulk/.
#include <iostream>
#include <memory>

#include "api/app/bulk.h"
#include "api/cli/support.h"

SUIJI_COMMAND(64) {
  auto* pub = app.add_subcommand("public", "the public record's bulk files (一公开)");
  pub->require_subcommand(1);
  struct Args {
    std::string out, date;
  };
  auto a = std::make_shared<Args>();
  auto* bulk = pub->add_subcommand("bulk", "write the day's CSV (BOM) and JSON Lines files, gzip, with a SHA-256 manifest");
  bulk->add_option("--out", a->out, "directory (default: beside a SQLite file, else ./bulk)");
  bulk->add_option("--date", a->date, "the day the files are named by (default today)");
  bulk->callback([&globals, a] {
    using namespace suiji;
    const std::string cmd = "public bulk";
    auto db = cli::OpenDb(globals, cmd);
    auto regions = cli::Must(cmd, RegionTable::LoadDefault());
    const std::string dir = a->out.empty() ? app::DefaultBulkDir(globals.db_url) : a->out;
    auto m = cli::Must(cmd, app::WriteBulk(*db, regions, dir, a->date.empty() ? db->Now().substr(0, 10) : a->date));
    for (const auto& f : m.files)
      std::cout << dir << "/" << f.name << "  " << f.rows << " records  " << f.bytes << " bytes  sha256 " << f.sha256 << "\n";
    std::cout << dir << "/" << m.manifest_name << "  changes up to " << m.changes_seq << ", audit chain head " << m.audit_seq
              << " " << m.audit_head << "\n";
  });
}
