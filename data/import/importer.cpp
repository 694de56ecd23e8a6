#include "data/import/importer.h"

#include <algorithm>
#include <unordered_set>

#include "core/org_units.h"
#include "data/import/csv_writer.h"
#include "data/import/row_intake.h"
#include "data/import/validate.h"
#include "data/import/values.h"

namespace suiji::import {

// The machinery every register shares (RowIntake: reading, structure, duplicates, counters); the
// per-type part is in Produce<T> below.
template <typename T>
struct Importer<T>::Impl : RowIntake {
  const RegionTable* regions = nullptr;
  HeaderMap map;

  // Government item shape: the item being assembled and the filled-down cells of the row above.
  struct Pending {
    bool active = false;
    std::vector<std::string> cells;
    std::vector<std::string> legal_basis, methods;
    std::vector<std::pair<std::int64_t, std::string>> rows;  // row, text
    Findings findings;
  } pending;
  std::vector<std::string> above;

  // Officers: the stored org units' codes (ImportOptions::org_units), checked when not empty.
  std::unordered_set<std::string> known_units;
  // Org units: every row of the file, read and checked as one tree before the first is handed out.
  struct UnitRow {
    OrgUnit unit;
    std::int64_t row = 0;
    std::string text;
    std::vector<std::string> fields;  // its cells, for the value a tree error names
    Findings findings;  // a row with errors is left out of the tree and rejected when its turn comes
  };
  struct UnitTree {
    bool read = false;
    std::vector<UnitRow> rows;
    std::size_t next = 0;  // the next row to hand out or reject, in file order
  } tree;

  // The register's duplicate check (RowIntake::FirstOfKey), worded by the column that holds the key.
  bool FirstOfKey(const std::string& key, std::int64_t row, const std::string& column, const std::string& value,
                  std::vector<RowError>& errors) {
    const std::string& k = report.register_kind;
    std::string noun = k == "entities" ? "entity" : k == "officers" ? "officer" : k == "org_units" ? "org_unit" : "item";
    const std::string named = column + " '" + value + "'";
    return RowIntake::FirstOfKey(key, row, noun, column, value, named, "have the same " + named, errors);
  }

  bool Produce(T& out);
  bool ProduceGovItem(T& out);
  bool FinishPending(T& out);
  void ReadUnitTree();
  bool RejectTreeProblems();
  RowError TreeError(const OrgUnitProblem& p, const std::vector<std::size_t>& from, bool about_stored_unit) const;
};

template <>
bool Importer<Entity>::Impl::Produce(Entity& out) {
  while (ReadData()) {
    Findings f;
    if (!Structural(f.errors)) {
      RowView view{&map, &rec.fields, rec.row};
      // An entity is one row whichever id names it: its registration number counts as a key too.
      if (ValidateEntityRow(view, *regions, out, f, EntityRowOptions{opt.default_region}) &&
          FirstOfKey(out.id.value, rec.row, map.label(entity_field::kId), out.id.value, f.errors) &&
          !out.regno.empty() && out.regno != out.id.value)
        FirstOfKey(out.regno, rec.row, map.label(entity_field::kRegNo), out.regno, f.errors);
    }
    if (!f.errors.empty()) {
      Reject(rec.row, rec.text, f.errors);
      continue;
    }
    Accept(f.warnings);
    return true;
  }
  return false;
}

template <>
bool Importer<Officer>::Impl::Produce(Officer& out) {
  while (ReadData()) {
    Findings f;
    if (!Structural(f.errors)) {
      RowView view{&map, &rec.fields, rec.row};
      if (ValidateOfficerRow(view, *regions, out, f, OfficerRowOptions{&known_units}))
        FirstOfKey(out.cert_no, rec.row, map.label(officer_field::kCertNo), out.cert_no, f.errors);
    }
    if (!f.errors.empty()) {
      Reject(rec.row, rec.text, f.errors);
      continue;
    }
    Accept(f.warnings);
    return true;
  }
  return false;
}

template <>
bool Importer<InspectionItem>::Impl::FinishPending(InspectionItem& out) {
  if (!pending.active) return false;
  pending.active = false;
  Findings& f = pending.findings;
  std::int64_t first_row = pending.rows.front().first;
  RowView view{&map, &pending.cells, first_row};
  out.legal_basis = std::move(pending.legal_basis);
  bool ok = ValidateItemRow(view, out, f);
  for (auto& m : pending.methods)
    if (std::find(out.methods.begin(), out.methods.end(), m) == out.methods.end()) out.methods.push_back(m);
  if (ok && f.errors.empty())
    FirstOfKey(out.department + '\x1f' + out.code, first_row, map.label(item_field::kSeq), out.code, f.errors);
  auto rows = std::move(pending.rows);
  if (f.errors.empty()) {
    report.rows_valid += static_cast<std::int64_t>(rows.size());
    ++report.records_valid;
    if (!f.warnings.empty()) report.rows_flagged += static_cast<std::int64_t>(rows.size());
    NoteWarnings(f.warnings);
    return true;
  }
  for (const auto& e : f.errors) Keep(report.errors, report.error_counts, e);
  // The first row is written with its filled-down cells so that the rejects file re-imports alone.
  rows.front().second = CsvLine(pending.cells);
  for (const auto& [row, text] : rows) Reject(row, text, f.errors, false);
  return false;
}

template <>
bool Importer<InspectionItem>::Impl::ProduceGovItem(InspectionItem& out) {
  namespace F = item_field;
  while (ReadData()) {
    std::vector<RowError> broken;
    if (Structural(broken)) {
      if (pending.active) {  // the item loses a row it needs: reject it whole
        pending.rows.emplace_back(rec.row, rec.text);
        for (auto& e : broken) pending.findings.errors.push_back(e);
      } else {
        Reject(rec.row, rec.text, broken);
      }
      continue;
    }
    RowView view{&map, &rec.fields, rec.row};
    const int seq_col = map.column_of(F::kSeq);
    const int legal_col = map.column_of(F::kLegalBasis);
    const int code_col = map.column_of(F::kCode);
    const int methods_col = map.column_of(F::kMethods);
    const int name_col = map.column_of(F::kName);
    if (!view.cell(F::kSeq).empty()) {
      InspectionItem finished;
      bool have = FinishPending(finished);
      pending = Pending{};
      pending.active = true;
      pending.cells = rec.fields;
      for (std::size_t c = 0; c < pending.cells.size(); ++c) {
        int col = static_cast<int>(c);
        // 序号, 事项编码, 抽查事项 and 检查依据 belong to one item; everything else may be a merged cell.
        if (col == seq_col || col == legal_col || col == code_col || col == name_col) continue;
        if (Trim(pending.cells[c]).empty() && c < above.size()) pending.cells[c] = above[c];
      }
      pending.legal_basis = SplitCitations(view.cell(F::kLegalBasis));
      pending.rows.emplace_back(rec.row, rec.text);
      above = pending.cells;
      if (have) {
        out = std::move(finished);
        return true;
      }
      continue;
    }
    if (!pending.active) {
      Reject(rec.row, rec.text,
             {{rec.row, map.label(F::kSeq), "", "items.orphan_row",
               "this row has no 序号 and there is no item above it to continue", 0}});
      continue;
    }
    // A continuation row: more legal basis (and methods); anything else must agree with the item.
    pending.rows.emplace_back(rec.row, rec.text);
    for (const auto& c : SplitCitations(view.cell(F::kLegalBasis))) pending.legal_basis.push_back(c);
    for (const auto& m : SplitList(view.cell(F::kMethods))) pending.methods.push_back(m);
    for (std::size_t c = 0; c < rec.fields.size(); ++c) {
      int col = static_cast<int>(c);
      if (col == legal_col || col == methods_col || map.column_field[c] < 0) continue;
      auto v = Trim(rec.fields[c]);
      if (!v.empty() && v != Trim(pending.cells[c]))
        pending.findings.errors.push_back(
            {rec.row, map.columns[c], std::string(v), "items.continuation",
             "a row with a blank 序号 continues the item above (row " + std::to_string(pending.rows.front().first) +
                 "), but its " + map.columns[c] + " differs ('" + std::string(Trim(pending.cells[c])) +
                 "'); give it its own 序号",
             pending.rows.front().first});
    }
  }
  return FinishPending(out);
}

template <>
bool Importer<InspectionItem>::Impl::Produce(InspectionItem& out) {
  if (map.kind == RegisterKind::kItemsGov) return ProduceGovItem(out);
  while (ReadData()) {
    Findings f;
    if (!Structural(f.errors)) {
      RowView view{&map, &rec.fields, rec.row};
      if (ValidateItemRow(view, out, f))
        FirstOfKey(out.department + '\x1f' + out.code, rec.row, map.label(item_field::kCode), out.code, f.errors);
    }
    if (!f.errors.empty()) {
      Reject(rec.row, rec.text, f.errors);
      continue;
    }
    Accept(f.warnings);
    return true;
  }
  return false;
}

// A tree problem as the row error of the row it is blamed on: the column of the field at fault, the
// other row involved, and a parent that is unknown only because its own row was refused told apart.
template <>
RowError Importer<OrgUnit>::Impl::TreeError(const OrgUnitProblem& p, const std::vector<std::size_t>& from,
                                            bool about_stored_unit) const {
  namespace F = org_unit_field;
  const std::size_t blamed = about_stored_unit ? from[p.other] : from[p.unit];
  const UnitRow& row = tree.rows[blamed];
  const int field = p.field == "parent" ? F::kParent : p.field == "level" ? F::kLevel : p.field == "region" ? F::kRegion : F::kCode;
  RowError e{row.row, map.label(field), std::string(RowView{&map, &row.fields, row.row}.cell(field)), p.code, p.message, 0};
  // The other unit of a problem about a stored unit is the blamed row itself: no other row then.
  const std::size_t other = about_stored_unit ? OrgUnitProblem::kNone : p.other;
  if (other != OrgUnitProblem::kNone && from[other] != OrgUnitProblem::kNone) e.other_row = tree.rows[from[other]].row;
  if (about_stored_unit) e.reason += " (" + row.unit.code + " would change a unit already stored)";
  if (p.code == "org_unit.parent_unknown")
    for (const auto& r : tree.rows)
      if (!r.findings.errors.empty() && r.unit.code == row.unit.parent && r.row != row.row) {
        e.code = "org_unit.parent_rejected";
        e.reason = "org unit " + row.unit.code + ": its parent " + row.unit.parent + " (row " + std::to_string(r.row) +
                   ") is itself rejected";
        e.other_row = r.row;
        break;
      }
  return e;
}

// One round of the tree check over the stored units (those the file does not replace) followed by
// the file's rows still accepted, so a second root or a duplicate is blamed on the file. Each
// problem goes to the row of the unit it is about, or, for a stored unit, to the row of the file's
// unit it conflicts with; problems between stored units alone are not this file's. True when a row
// was refused in this round.
template <>
bool Importer<OrgUnit>::Impl::RejectTreeProblems() {
  constexpr std::size_t kStored = OrgUnitProblem::kNone;
  std::unordered_set<std::string> in_file;
  for (const auto& r : tree.rows)
    if (r.findings.errors.empty()) in_file.insert(r.unit.code);
  std::vector<OrgUnit> units;
  std::vector<std::size_t> from;  // per unit: its index in tree.rows, or kStored
  for (const auto& u : opt.org_units)
    if (!in_file.contains(u.code)) {
      units.push_back(u);
      from.push_back(kStored);
    }
  for (std::size_t i = 0; i < tree.rows.size(); ++i)
    if (tree.rows[i].findings.errors.empty()) {
      units.push_back(tree.rows[i].unit);
      from.push_back(i);
    }
  bool refused = false;
  for (const auto& p : OrgUnits::Check(units)) {
    const bool stored = from[p.unit] == kStored;
    std::size_t blamed = !stored ? from[p.unit] : p.other != OrgUnitProblem::kNone ? from[p.other] : kStored;
    if (blamed == kStored) continue;
    tree.rows[blamed].findings.errors.push_back(TreeError(p, from, stored));
    refused = true;
  }
  return refused;
}

// Org units: every row is read and validated on its own first; then the tree is checked (again and
// again while it refuses rows: a refused unit's children lose their parent) before rows are handed
// out or rejected in file order.
template <>
void Importer<OrgUnit>::Impl::ReadUnitTree() {
  tree.read = true;
  while (ReadData()) {
    UnitRow u;
    u.row = rec.row;
    u.text = rec.text;
    if (!Structural(u.findings.errors)) {
      RowView view{&map, &rec.fields, rec.row};
      if (ValidateOrgUnitRow(view, *regions, u.unit, u.findings))
        FirstOfKey(u.unit.code, rec.row, map.label(org_unit_field::kCode), u.unit.code, u.findings.errors);
      u.fields = rec.fields;
    }
    tree.rows.push_back(std::move(u));
  }
  while (RejectTreeProblems()) {
  }
}

template <>
bool Importer<OrgUnit>::Impl::Produce(OrgUnit& out) {
  if (!tree.read) ReadUnitTree();
  while (tree.next < tree.rows.size()) {
    UnitRow& u = tree.rows[tree.next++];
    if (!u.findings.errors.empty()) {
      Reject(u.row, u.text, u.findings.errors);
      continue;
    }
    Accept(u.findings.warnings);
    out = std::move(u.unit);
    return true;
  }
  return false;
}

template <typename T>
RegisterKind KindFor(const std::vector<std::string>& header);
template <>
RegisterKind KindFor<Entity>(const std::vector<std::string>&) { return RegisterKind::kEntities; }
template <>
RegisterKind KindFor<Officer>(const std::vector<std::string>&) { return RegisterKind::kOfficers; }
template <>
RegisterKind KindFor<InspectionItem>(const std::vector<std::string>& h) { return DetectItemKind(h); }
template <>
RegisterKind KindFor<OrgUnit>(const std::vector<std::string>&) { return RegisterKind::kOrgUnits; }

template <typename T>
static Result<Importer<T>> Start(Result<std::unique_ptr<CsvReader>> reader, const RegionTable& regions,
                                 ImportOptions options, const std::string& source,
                                 Importer<T> (*make)(std::unique_ptr<typename Importer<T>::Impl>)) {
  if (!reader.ok()) return reader.error();
  if (!options.default_region.empty())
    if (auto st = regions.Validate(options.default_region); !st.ok())
      return Error{st.error().code, "--region: " + st.error().message, "region"};
  auto impl = std::make_unique<typename Importer<T>::Impl>();
  if (auto st = impl->Start(std::move(reader).value(), options, source); !st) return st.error();
  impl->regions = &regions;
  for (const auto& u : options.org_units) impl->known_units.insert(u.code);
  const std::vector<std::string> header = impl->columns;
  RegisterKind kind = KindFor<T>(header);
  auto map = MapHeader(kind, header, impl->report.warnings);
  if (!map.ok()) {
    Error e = map.error();
    e.message = source + ": row 1 (header): " + e.message;
    return e;
  }
  for (const auto& w : impl->report.warnings) ++impl->report.warning_counts[w.code];
  impl->map = std::move(map).value();
  impl->report.register_kind = RegisterKindName(kind);
  return make(std::move(impl));
}

template <typename T>
Importer<T>::Importer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
template <typename T>
Importer<T>::Importer(Importer&&) noexcept = default;
template <typename T>
Importer<T>& Importer<T>::operator=(Importer&&) noexcept = default;
template <typename T>
Importer<T>::~Importer() = default;

template <typename T>
Result<Importer<T>> Importer<T>::Open(const std::string& path, const RegionTable& regions, ImportOptions options) {
  return Start<T>(CsvReader::Open(path, options.csv), regions, options, path,
                  [](std::unique_ptr<Impl> i) { return Importer<T>(std::move(i)); });
}

template <typename T>
Result<Importer<T>> Importer<T>::FromString(std::string csv, const RegionTable& regions, ImportOptions options) {
  return Start<T>(CsvReader::FromString(std::move(csv), options.csv), regions, options, "<memory>",
                  [](std::unique_ptr<Impl> i) { return Importer<T>(std::move(i)); });
}

template <typename T>
void Importer<T>::OnReject(std::function<void(const RejectedRow&)> sink) {
  impl_->sink = std::move(sink);
}

template <typename T>
bool Importer<T>::NextBatch(std::vector<T>& out, std::size_t max_records) {
  out.clear();
  if (max_records == 0) max_records = 1;
  T value;
  while (!impl_->done && out.size() < max_records) {
    if (impl_->Produce(value)) out.push_back(std::move(value));
    else impl_->done = true;  // Produce returns false only at the end of the input
  }
  impl_->NoteEncoding();
  return !out.empty();
}

template <typename T>
const ImportReport& Importer<T>::report() const {
  return impl_->report;
}
template <typename T>
const HeaderMap& Importer<T>::header() const {
  return impl_->map;
}

template class Importer<Entity>;
template class Importer<Officer>;
template class Importer<InspectionItem>;
template class Importer<OrgUnit>;

}  // namespace suiji::import
