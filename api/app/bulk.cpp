#include "api/app/bulk.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "api/app/disclosure.h"
#include "api/app/draws.h"
#include "api/app/results.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/draw_store.h"
#include "data/store/result_store.h"

namespace suiji::app {
namespace {

namespace fs = std::filesystem;

std::string CsvCell(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + CsvCell(cells[i]);
  return line + "\r\n";
}

class GzFile {
 public:
  explicit GzFile(const fs::path& path) : path_(path), gz_(gzopen(path.c_str(), "wb6")) {}
  ~GzFile() {
    if (gz_) gzclose(gz_);
  }
  bool ok() const { return gz_ != nullptr && ok_; }
  void Write(const std::string& s) {
    if (gz_ && !s.empty() && gzwrite(gz_, s.data(), static_cast<unsigned>(s.size())) != static_cast<int>(s.size())) ok_ = false;
  }
  bool Close() {
    if (!gz_) return false;
    const int rc = gzclose(gz_);
    gz_ = nullptr;
    return ok_ && rc == Z_OK;
  }

 private:
  fs::path path_;
  gzFile gz_;
  bool ok_ = true;
};

Result<BulkFile> Finish(const fs::path& tmp, const fs::path& final_path, std::int64_t rows) {
  std::ifstream in(tmp, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) return Error{"io.bulk", "cannot write " + final_path.string() + ": " + ec.message(), "bulk_dir"};
  return BulkFile{final_path.filename().string(), Sha256Hex(bytes), static_cast<std::int64_t>(bytes.size()), rows};
}

}  // namespace

std::string DefaultBulkDir(const std::string& db_url) {
  if (db_url.rfind("sqlite:", 0) == 0) {
    auto parent = fs::path(db_url.substr(7)).parent_path();
    return (parent.empty() ? fs::path(".") : parent).append("bulk").string();
  }
  return "bulk";
}

bool IsBulkFileName(const std::string& name) {
  static const std::regex re(R"(^(results-\d{4}-\d{2}-\d{2}\.(csv|jsonl)\.gz|manifest-\d{4}-\d{2}-\d{2}\.json)$)");
  return std::regex_match(name, re);
}

Result<BulkManifest> WriteBulk(store::Database& db, const RegionTable& regions, const std::string& dir,
                               const std::string& date) {
  if (auto d = ParseDate(date); !d || FormatDate(d.value()) != date)
    return Error{"bulk.date", "'" + date + "' is not a date YYYY-MM-DD", "date"};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"io.bulk", "cannot create " + dir + ": " + ec.message(), "bulk_dir"};
  auto opened = Disclosure::Open(db, regions);
  if (!opened) return opened.error();
  Disclosure disclosure = std::move(opened).value();
  store::ResultStore rs(db);
  // The change feed up to now, read first: every record written after is at least that new.
  std::int64_t changes_seq = 0;
  for (;;) {
    auto page = rs.Changes(changes_seq, 5000);
    if (!page) return page.error();
    if (page->empty()) break;
    changes_seq = page->back().seq;
  }
  const fs::path base(dir);
  const fs::path csv_tmp = base / ("results-" + date + ".csv.gz.tmp"), jsonl_tmp = base / ("results-" + date + ".jsonl.gz.tmp");
  GzFile csv(csv_tmp), jsonl(jsonl_tmp);
  if (!csv.ok() || !jsonl.ok()) return Error{"io.bulk", "cannot write in " + dir, "bulk_dir"};
  csv.Write("\xEF\xBB\xBF" + CsvLine({"record_id", "version", "entity_id", "entity_name", "region", "region_name",
                                      "department", "plan_id", "draw_id", "result", "result_label", "items",
                                      "inspected_on", "concluded_on", "published_on", "first_published_on", "on_time",
                                      "follow_up", "follow_up_deadline", "correction_reason", "objection"}));
  std::int64_t rows = 0;
  std::string after;
  for (;;) {
    auto page = rs.PublicPage({}, after, 1000);
    if (!page) return page.error();
    if (page->empty()) break;
    // The page's records and entities in three queries, not three per record.
    auto records = GetPublicRecords(db, page->front().result_id, page->back().result_id);
    if (!records) return records.error();
    std::vector<std::string> ids;
    for (const auto& rec : records.value()) ids.push_back(rec.current().entity_id);
    if (auto st = disclosure.Prefetch(ids); !st) return st.error();
    for (const auto& rec : records.value()) {
      PublicJson j = disclosure.Record(rec);
      jsonl.Write(j.dump(-1, ' ', false, PublicJson::error_handler_t::replace) + "\n");
      std::string items;
      for (const auto& i : j["items"]) items += (items.empty() ? "" : ";") + i["item"].get<std::string>() + ":" + i["outcome"].get<std::string>();
      std::string objection;
      if (!j["objections"].empty()) objection = j["objections"].back()["state"].get<std::string>();
      const auto& e = j["entity"];
      auto text = [&](const PublicJson& v, const char* k) { return v.is_object() && v.contains(k) ? v[k].get<std::string>() : ""; };
      csv.Write(CsvLine({j["record_id"], std::to_string(j["version"].get<std::int64_t>()), text(e, "id"), text(e, "name"),
                         text(e, "region"), text(e, "region_name"), j["department"], j["plan_id"], j["draw_id"],
                         j["result"]["code"], j["result"]["label_zh"], items, j["inspected_on"], j["concluded_on"],
                         j["published_on"], j["first_published_on"], j["on_time"].get<bool>() ? "1" : "0",
                         j["follow_up"].is_object() ? text(j["follow_up"], "kind") : "",
                         j["follow_up"].is_object() ? text(j["follow_up"], "deadline") : "", j["correction_reason"],
                         objection}));
      ++rows;
    }
    disclosure.entities.clear();  // memory stays one page's worth
    after = page->back().result_id;
  }
  if (!csv.Close() || !jsonl.Close()) return Error{"io.bulk", "cannot finish the bulk files in " + dir, "bulk_dir"};
  BulkManifest m;
  m.date = date;
  m.generated_at = db.Now();
  m.changes_seq = changes_seq;
  m.manifest_name = "manifest-" + date + ".json";
  // The day's previous manifest goes before its files are replaced: killed between the renames below and
  // the new manifest's, the directory holds no manifest rather than one naming files it does not describe.
  fs::remove(base / m.manifest_name, ec);
  if (ec) return Error{"io.bulk", "cannot replace the manifest: " + ec.message(), "bulk_dir"};
  for (auto [tmp, name] : {std::pair{csv_tmp, "results-" + date + ".csv.gz"}, std::pair{jsonl_tmp, "results-" + date + ".jsonl.gz"}}) {
    auto f = Finish(tmp, base / name, rows);
    if (!f) return f.error();
    m.files.push_back(f.value());
  }
  // Each draw's head over its audit events (`suiji verify --head`), read before the chain head so that
  // the chain head is at or after every one of them.
  auto draws = store::DrawStore(db).ListDraws();
  if (!draws) return draws.error();
  PublicJson draw_heads = PublicJson::array();
  for (const auto& d : draws.value()) {
    auto h = DrawAuditHead(db, d.draw_id);
    if (!h) return h.error();
    PublicJson j = PublicJson(sampler::DrawHeadJson(h.value()));
    j["draw_id"] = d.draw_id;
    draw_heads.push_back(std::move(j));
  }
  auto head = store::TailAudit(db, 1);
  if (!head) return head.error();
  if (!head->empty()) {
    m.audit_seq = head->back().seq;
    m.audit_head = head->back().hash;
  }
  PublicJson files = PublicJson::array();
  for (const auto& f : m.files) files.push_back({{"name", f.name}, {"bytes", f.bytes}, {"rows", f.rows}, {"sha256", f.sha256}});
  PublicJson manifest{{"date", m.date},
                      {"generated_at", m.generated_at},
                      {"files", files},
                      {"changes_seq", m.changes_seq},
                      {"audit_chain_head", {{"seq", m.audit_seq}, {"hash", m.audit_head}}},
                      {"draw_heads", draw_heads}};
  const fs::path tmp = base / (m.manifest_name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << manifest.dump(2, ' ', false) << "\n";
    if (!out) return Error{"io.bulk", "cannot write " + tmp.string(), "bulk_dir"};
  }
  fs::rename(tmp, base / m.manifest_name, ec);
  if (ec) return Error{"io.bulk", "cannot write the manifest: " + ec.message(), "bulk_dir"};
  return m;
}

}  // namespace suiji::app
