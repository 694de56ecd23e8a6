#include "sampler/bundle.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/sha256.h"
#include "sampler/csv.h"
#include "sampler/json_fields.h"

namespace suiji::sampler {
namespace {

namespace fs = std::filesystem;

// The commitment files' names, fixed by the format: written, named in bundle.json, and required there.
constexpr const char* kDrawCommitmentFile = "draw_commitment.json";
constexpr const char* kPairCommitmentFile = "pair_commitment.json";
using internal::CsvRow;

Status WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Error{"bundle.write", "cannot write " + path.string(), path.string()};
  return OkStatus();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"bundle.read", "cannot read " + path.string(), path.string()};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using Rows = std::vector<std::vector<std::string>>;

Rows TicketRows(const EntityDraw& d) {
  Rows rows{{"stratum", "list", "position", "entity_id", "ticket"}};
  for (const auto& s : d.strata) {
    for (std::size_t i = 0; i < s.drawn.size(); ++i)
      rows.push_back({s.name, "drawn", std::to_string(i + 1), s.drawn[i].id, s.drawn[i].ticket});
    for (std::size_t i = 0; i < s.reserve.size(); ++i)
      rows.push_back({s.name, "reserve", std::to_string(i + 1), s.reserve[i].id, s.reserve[i].ticket});
  }
  return rows;
}

Rows ExclusionRows(const rules::Population& p) {
  Rows rows{{"entity_id", "rule", "reason"}};
  for (const auto& e : p.exclusions) rows.push_back({e.entity_id, e.rule, e.reason});
  return rows;
}

Rows TeamRows(const Pairing& p) {
  Rows rows{{"entity_id", "department", "officer", "cost"}};
  for (const auto& t : p.teams)
    for (const auto& m : t.members) rows.push_back({t.entity_id, m.department, m.officer, std::to_string(m.cost)});
  return rows;
}

Rows PairExclusionRows(const Pairing& p) {
  Rows rows{{"entity_id", "officer", "rule", "reason"}};
  for (const auto& e : p.exclusions) rows.push_back({e.entity_id, e.officer, e.rule, e.reason});
  return rows;
}

std::string Csv(const Rows& rows) {
  std::string s;
  for (const auto& r : rows) s += CsvRow(r);
  return s;
}

Json DrawJson(const EntityDraw& d) {
  Json strata = Json::array(), subs = Json::array();
  for (const auto& s : d.strata) {
    strata.push_back(Json{{"name", s.name}, {"quota", s.quota}, {"drawn", s.drawn.size()}, {"reserve", s.reserve.size()}});
    for (const auto& x : s.substitutions)
      subs.push_back(Json{{"stratum", s.name}, {"out_id", x.out_id}, {"in_id", x.in_id}, {"reason", x.reason}});
  }
  return Json{{"commitment_file", kDrawCommitmentFile}, {"commitment_digest", d.commitment_digest},
              {"entropy", d.entropy}, {"seed_hash", d.seed_hash}, {"strata", strata}, {"substitutions", subs}};
}

Json PairingJson(const Pairing& p) {
  Json shortfalls = Json::array();
  for (const auto& s : p.shortfalls)
    shortfalls.push_back(Json{{"entity_id", s.entity_id}, {"department", s.department}, {"reason", s.reason}});
  return Json{{"commitment_file", kPairCommitmentFile}, {"commitment_digest", p.commitment_digest},
              {"entropy", p.entropy}, {"seed_hash", p.seed_hash}, {"status", p.status},
              {"total_cost", p.total_cost}, {"teams", p.teams.size()}, {"shortfalls", shortfalls}};
}

std::string Describe(const std::vector<std::string>& row, std::size_t id_col, std::size_t value_col, const char* what) {
  if (row.size() <= std::max(id_col, value_col)) return "(malformed row)";
  return row[id_col] + " " + what + " " + row[value_col];
}

// First difference between a published CSV and the recomputed rows, or "".
std::string CompareCsv(const fs::path& dir, const char* file, const Rows& expected,
                       const std::function<std::string(std::size_t, const std::vector<std::string>*,
                                                       const std::vector<std::string>*)>& describe) {
  auto text = ReadFile(dir / file);
  if (!text) return text.error().message;
  auto rows = internal::ParseCsv(text.value());
  if (!rows) return std::string(file) + ": " + rows.error().message;
  const Rows& got = rows.value();
  if (got.empty() || got[0] != expected[0]) return std::string(file) + ": unexpected header";
  std::size_t n = std::max(got.size(), expected.size());
  for (std::size_t i = 1; i < n; ++i) {
    const auto* g = i < got.size() ? &got[i] : nullptr;
    const auto* e = i < expected.size() ? &expected[i] : nullptr;
    if (g && e && *g == *e) continue;
    return std::string(file) + " row " + std::to_string(i) + ": " + describe(i, g, e);
  }
  return "";
}

std::string RowText(const std::vector<std::string>* r) {
  if (!r) return "nothing";
  std::string s;
  for (std::size_t i = 0; i < r->size(); ++i) s += (i ? "," : "") + (*r)[i];
  return s;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> BundleFiles(const Bundle& b) {
  auto spec = ParseDrawCommitment(b.draw_commitment);
  if (!spec) return spec.error();
  const bool with_pairing = b.pairing && b.pair_commitment;
  Json index{{"format", kBundleFormat}, {"draw", DrawJson(b.draw)}};
  if (with_pairing) index["pairing"] = PairingJson(*b.pairing);
  if (b.audit) index["audit"] = AuditIndexJson(*b.audit);
  std::vector<std::pair<std::string, std::string>> files = {
      {"bundle.json", index.dump(2) + "\n"},
      {kDrawCommitmentFile, b.draw_commitment},
      {"exclusions.csv", Csv(ExclusionRows(spec->population))},
      {"tickets.csv", Csv(TicketRows(b.draw))}};
  if (with_pairing) {
    files.push_back({kPairCommitmentFile, *b.pair_commitment});
    files.push_back({"teams.csv", Csv(TeamRows(*b.pairing))});
    files.push_back({"pair_exclusions.csv", Csv(PairExclusionRows(*b.pairing))});
  }
  if (b.audit) {
    auto lines = AuditEventLines(*b.audit, with_pairing);
    if (!lines) return lines.error();
    files.push_back({kAuditEventsFile, std::move(lines).value()});
  }
  return files;
}

Status WriteBundle(const std::string& dir_name, const Bundle& b) {
  auto files = BundleFiles(b);
  if (!files) return files.error();
  fs::path dir(dir_name);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"bundle.write", "cannot create " + dir_name + ": " + ec.message(), dir_name};
  for (const auto& [name, bytes] : files.value())
    if (auto st = WriteFile(dir / name, bytes); !st) return st;
  return OkStatus();
}

namespace {
VerifyReport VerifyBundleUnguarded(const std::string& dir_name, unsigned threads, const std::string& head) {
  VerifyReport report;
  fs::path dir(dir_name);
  auto fail = [&](std::string why) {
    report.match = false;
    report.difference = std::move(why);
    return report;
  };
  auto index_text = ReadFile(dir / "bundle.json");
  if (!index_text) return fail(index_text.error().message);
  Json index = Json::parse(index_text.value(), nullptr, false);
  if (index.is_discarded() || !index.is_object()) return fail("bundle.json is not a JSON object");
  if (index.value("format", "") != kBundleFormat) return fail("bundle.json: format is not " + std::string(kBundleFormat));
  if (!index.contains("draw") || !index["draw"].is_object()) return fail("bundle.json: no draw");
  const Json& jd = index["draw"];
  std::string c1, e1, sh1, file1;
  // The file names are fixed by the format; a bundle naming another file describes a different bundle.
  if (auto st = internal::ReadString(jd, "commitment_file", "draw", file1); !st) return fail("bundle.json: " + st.error().message);
  if (file1 != kDrawCommitmentFile)
    return fail("bundle.json: draw.commitment_file is '" + file1 + "', not " + kDrawCommitmentFile);
  if (auto st = internal::ReadString(jd, "commitment_digest", "draw", c1); !st) return fail("bundle.json: " + st.error().message);
  if (auto st = internal::ReadString(jd, "entropy", "draw", e1); !st) return fail("bundle.json: " + st.error().message);
  if (auto st = internal::ReadString(jd, "seed_hash", "draw", sh1); !st) return fail("bundle.json: " + st.error().message);

  // Stage 1: the entity draw.
  auto doc = ReadFile(dir / kDrawCommitmentFile);
  if (!doc) return fail(doc.error().message);
  std::string digest = Sha256Hex(doc.value());
  if (digest != c1)
    return fail("draw commitment: bundle.json says " + c1 + ", SHA-256 of draw_commitment.json is " + digest);
  auto spec = ParseDrawCommitment(doc.value());
  if (!spec) return fail("draw commitment: " + spec.error().message);
  auto draw = RevealDraw(spec.value(), c1, e1, threads);
  if (!draw) return fail("draw: " + draw.error().message);
  if (draw->seed_hash != sh1) return fail("draw seed hash: bundle has " + sh1 + ", recomputed " + draw->seed_hash);
  report.checked.push_back("draw commitment " + c1 + " (" + std::to_string(spec->population.strata.size()) + " strata)");

  if (auto d = CompareCsv(dir, "exclusions.csv", ExclusionRows(spec->population),
                          [](std::size_t, auto* g, auto* e) { return "bundle has " + RowText(g) + ", committed " + RowText(e); });
      !d.empty())
    return fail(d);

  auto expected_tickets = TicketRows(draw.value());
  if (auto d = CompareCsv(dir, "tickets.csv", expected_tickets,
                          [](std::size_t, auto* g, auto* e) {
                            std::string where = e && e->size() == 5 ? "stratum " + (*e)[0] + ", " + (*e)[1] + " position " + (*e)[2]
                                              : g && g->size() == 5 ? "stratum " + (*g)[0] + ", " + (*g)[1] + " position " + (*g)[2]
                                                                    : std::string("extra row");
                            std::string got = g ? (g->size() == 5 ? Describe(*g, 3, 4, "ticket") : "(malformed row)") : "nothing";
                            std::string want = e ? Describe(*e, 3, 4, "ticket") : "nothing";
                            return where + ": bundle has " + got + ", recomputed " + want;
                          });
      !d.empty())
    return fail(d);
  std::size_t tickets = expected_tickets.size() - 1;
  report.checked.push_back(std::to_string(tickets) + " drawn and reserve tickets");

  if (!jd.contains("strata") || !jd["strata"].is_array() || jd["strata"].size() != draw->strata.size())
    return fail("bundle.json: draw.strata does not list the " + std::to_string(draw->strata.size()) + " strata");
  for (std::size_t i = 0; i < draw->strata.size(); ++i) {
    const auto& s = draw->strata[i];
    Json want{{"name", s.name}, {"quota", s.quota}, {"drawn", s.drawn.size()}, {"reserve", s.reserve.size()}};
    if (jd["strata"][i] != want)
      return fail("bundle.json: draw.strata[" + std::to_string(i) + "] is " + jd["strata"][i].dump() + ", recomputed " + want.dump());
  }

  EntityDraw applied = draw.value();
  AuditFacts facts;
  facts.spec = &spec.value();
  facts.draw = &draw.value();
  if (jd.contains("substitutions")) {
    if (!jd["substitutions"].is_array()) return fail("bundle.json: draw.substitutions is not an array");
    for (std::size_t i = 0; i < jd["substitutions"].size(); ++i) {
      const Json& js = jd["substitutions"][i];
      std::string stratum, out_id, in_id, reason, p = "draw.substitutions[" + std::to_string(i) + "]";
      for (auto [key, dst] : {std::pair{"stratum", &stratum}, {"out_id", &out_id}, {"in_id", &in_id}, {"reason", &reason}})
        if (auto st = internal::ReadString(js, key, p, *dst); !st) return fail("bundle.json: " + st.error().message);
      auto next = SubstituteFromReserve(applied, stratum, out_id, reason);
      if (!next) return fail("substitution " + std::to_string(i + 1) + ": " + next.error().message);
      for (const auto& s : next->strata)
        if (s.name == stratum && s.substitutions.back().in_id != in_id)
          return fail("substitution " + std::to_string(i + 1) + " in stratum " + stratum + ": bundle brings in " + in_id +
                      ", the next reserve entity is " + s.substitutions.back().in_id);
      applied = std::move(next).value();
      facts.listed.push_back({stratum, {out_id, in_id, reason}});
    }
    report.checked.push_back(std::to_string(jd["substitutions"].size()) + " reserve substitutions");
  }

  // The audit events: they must tell the same story, and give the published head.
  auto bind = [&]() {
    AuditCheck a = VerifyBundleAudit(dir, index, facts, head);
    report.checked.insert(report.checked.end(), a.checked.begin(), a.checked.end());
    report.notes = a.notes;
    if (!a.difference.empty()) return fail(a.difference);
    report.match = true;
    return report;
  };

  // Stage 2: the officer pairing.
  if (!index.contains("pairing")) return bind();
  const Json& jp = index["pairing"];
  std::string c2, e2, sh2, status, file2;
  for (auto [key, dst] : {std::pair{"commitment_file", &file2}, {"commitment_digest", &c2}, {"entropy", &e2},
                          {"seed_hash", &sh2}, {"status", &status}})
    if (auto st = internal::ReadString(jp, key, "pairing", *dst); !st) return fail("bundle.json: " + st.error().message);
  if (file2 != kPairCommitmentFile)
    return fail("bundle.json: pairing.commitment_file is '" + file2 + "', not " + kPairCommitmentFile);
  auto pdoc = ReadFile(dir / kPairCommitmentFile);
  if (!pdoc) return fail(pdoc.error().message);
  digest = Sha256Hex(pdoc.value());
  if (digest != c2)
    return fail("pairing commitment: bundle.json says " + c2 + ", SHA-256 of pair_commitment.json is " + digest);
  auto pspec = ParsePairCommitment(pdoc.value());
  if (!pspec) return fail("pairing commitment: " + pspec.error().message);
  if (pspec->draw_commitment != c1)
    return fail("pairing commitment refers to draw " + pspec->draw_commitment + ", this bundle's draw is " + c1);
  std::set<std::string> drawn_or_reserve;
  for (const auto& s : draw->strata) {
    for (const auto& t : s.drawn) drawn_or_reserve.insert(t.id);
    for (const auto& t : s.reserve) drawn_or_reserve.insert(t.id);
  }
  for (const auto& t : pspec->tasks)
    if (!drawn_or_reserve.count(t.entity_id))
      return fail("pairing task " + t.entity_id + " was neither drawn nor on a reserve list");
  auto pairing = RevealPairing(pspec.value(), c2, e2);
  if (!pairing) return fail("pairing: " + pairing.error().message);
  if (pairing->seed_hash != sh2) return fail("pairing seed hash: bundle has " + sh2 + ", recomputed " + pairing->seed_hash);
  if (pairing->status != status) return fail("pairing status: bundle has " + status + ", recomputed " + pairing->status);
  if (auto d = CompareCsv(dir, "pair_exclusions.csv", PairExclusionRows(pairing.value()),
                          [](std::size_t, auto* g, auto* e) { return "bundle has " + RowText(g) + ", recomputed " + RowText(e); });
      !d.empty())
    return fail(d);
  if (auto d = CompareCsv(dir, "teams.csv", TeamRows(pairing.value()),
                          [](std::size_t, auto* g, auto* e) {
                            std::string where = e && e->size() == 4 ? "team of " + (*e)[0] + ", " + (*e)[1] : std::string("extra row");
                            std::string got = g && g->size() == 4 ? "officer " + (*g)[2] + " cost " + (*g)[3] : RowText(g);
                            std::string want = e ? "officer " + (*e)[2] + " cost " + (*e)[3] : "nothing";
                            return where + ": bundle has " + got + ", recomputed " + want;
                          });
      !d.empty())
    return fail(d);
  Json want = PairingJson(pairing.value());
  for (const char* key : {"total_cost", "teams", "shortfalls"})
    if (!jp.contains(key) || jp[key] != want[key])
      return fail(std::string("bundle.json: pairing.") + key + " is " + (jp.contains(key) ? jp[key].dump() : "missing") +
                  ", recomputed " + want[key].dump());
  report.checked.push_back("pairing commitment " + c2 + ": " + std::to_string(pairing->teams.size()) + " teams, status " +
                           pairing->status + ", total cost " + std::to_string(pairing->total_cost));
  facts.pair_spec = &pspec.value();
  facts.pairing = &pairing.value();
  return bind();
}
}  // namespace

VerifyReport VerifyBundle(const std::string& dir_name, unsigned threads, const std::string& head) {
  try {
    return VerifyBundleUnguarded(dir_name, threads, head);
  } catch (const std::exception& e) {  // a field of an unexpected JSON type, say
    VerifyReport report;
    report.difference = std::string("unreadable bundle: ") + e.what();
    return report;
  }
}

}  // namespace suiji::sampler
