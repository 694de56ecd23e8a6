#include "data/import/validate.h"

#include "core/identifiers.h"
#include "data/import/values.h"

namespace suiji::import {
namespace {

bool LooksLikeExcelNumber(std::string_view s) {
  bool digit = false, exp = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (c == '.') continue;
    else if ((c == 'E' || c == 'e') && digit && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
    } else return false;
  }
  return digit && exp;
}

void Required(const RowView& r, Findings& f, int field, std::string_view v) {
  if (v.empty())
    f.Error(r, field, v, "field.required", r.map->label(field) + " is required and is empty");
}

}  // namespace

std::string_view RowView::cell(int field) const {
  int c = map->column_of(field);
  if (c < 0 || static_cast<std::size_t>(c) >= fields->size()) return {};
  auto v = Trim((*fields)[static_cast<std::size_t>(c)]);
  // ="91510104MA6CGUD5XB": what some systems export so that Excel keeps a long code as text.
  if (v.size() >= 3 && v.starts_with("=\"") && v.ends_with("\"")) v = Trim(v.substr(2, v.size() - 3));
  return v;
}

void Findings::Error(const RowView& r, int field, std::string_view value, std::string code, std::string reason) {
  errors.push_back({r.row, r.map->label(field), std::string(value), std::move(code), std::move(reason), 0});
}
void Findings::Warn(const RowView& r, int field, std::string_view value, std::string code, std::string reason) {
  warnings.push_back({r.row, r.map->label(field), std::string(value), std::move(code), std::move(reason), 0});
}

bool ValidateEntityRow(const RowView& r, const RegionTable& regions, Entity& out, Findings& f) {
  namespace F = entity_field;
  std::size_t before = f.errors.size();
  out = Entity{};
  auto id_cell = r.cell(F::kId);
  if (id_cell.empty()) {
    Required(r, f, F::kId, id_cell);
  } else if (auto id = ParseEntityId(id_cell); !id.ok()) {
    f.Error(r, F::kId, id_cell, id.error().code, id.error().message);
  } else {
    out.id = id.value();
    if (out.id.kind == IdKind::kLegacy)
      f.Warn(r, F::kId, id_cell, "id.legacy",
             "legacy identifier accepted as is: it has no check character to verify; flagged for review");
  }
  out.name = r.cell(F::kName);
  Required(r, f, F::kName, out.name);
  auto region = r.cell(F::kRegion);
  if (region.empty()) Required(r, f, F::kRegion, region);
  else if (auto st = regions.Validate(region); !st.ok()) f.Error(r, F::kRegion, region, st.error().code, st.error().message);
  out.region = region;
  if (auto ind = r.cell(F::kIndustry); !ind.empty()) {
    out.industry = UpperAscii(ind);
    if (auto st = ValidateIndustryCode(out.industry); !st.ok())
      f.Error(r, F::kIndustry, ind, st.error().code, st.error().message + " ('" + std::string(ind) + "')");
  }
  if (auto t = NormalizeEntityType(r.cell(F::kEntityType)); t.ok()) out.entity_type = t.value();
  else f.Error(r, F::kEntityType, r.cell(F::kEntityType), t.error().code, t.error().message);
  if (auto s = NormalizeEntityStatus(r.cell(F::kStatus)); s.ok()) out.status = s.value();
  else f.Error(r, F::kStatus, r.cell(F::kStatus), s.error().code, s.error().message);
  if (auto d = r.cell(F::kEstablished); !d.empty()) {
    bool serial = false;
    if (auto nd = NormalizeDate(d, &serial); nd.ok()) {
      out.established = nd.value();
      if (serial)
        f.Warn(r, F::kEstablished, d, "date.excel_serial",
               "an Excel date serial number, read as " + out.established + "; format the column as text or date");
    } else {
      f.Error(r, F::kEstablished, d, nd.error().code, nd.error().message);
    }
  }
  out.address = r.cell(F::kAddress);
  out.legal_rep = r.cell(F::kLegalRep);
  out.special_registers = SplitList(r.cell(F::kSpecialRegisters));
  return f.errors.size() == before;
}

bool ValidateOfficerRow(const RowView& r, const RegionTable& regions, Officer& out, Findings& f) {
  namespace F = officer_field;
  std::size_t before = f.errors.size();
  out = Officer{};
  auto cert = r.cell(F::kCertNo);
  Required(r, f, F::kCertNo, cert);
  if (LooksLikeExcelNumber(cert))
    f.Error(r, F::kCertNo, cert, "cert_no.excel_float",
            "'" + std::string(cert) + "' is a number Excel converted to floating point: digits were lost; re-export the column as text");
  out.cert_no = UpperAscii(cert);
  out.name = r.cell(F::kName);
  Required(r, f, F::kName, out.name);
  out.org_unit = r.cell(F::kOrgUnit);
  out.department = UpperAscii(r.cell(F::kDepartment));
  Required(r, f, F::kDepartment, out.department);
  auto jur = r.cell(F::kJurisdictions);
  out.jurisdictions = SplitList(jur);
  if (out.jurisdictions.empty()) Required(r, f, F::kJurisdictions, jur);
  for (const auto& code : out.jurisdictions)
    if (auto st = regions.Validate(code); !st.ok()) f.Error(r, F::kJurisdictions, code, st.error().code, st.error().message);
  for (auto& q : SplitList(r.cell(F::kQualifications))) out.qualifications.push_back(UpperAscii(q));
  if (auto s = NormalizeOfficerStatus(r.cell(F::kStatus)); s.ok()) out.status = s.value();
  else f.Error(r, F::kStatus, r.cell(F::kStatus), s.error().code, s.error().message);
  for (const auto& raw : SplitList(r.cell(F::kConflicts))) {
    auto id = ParseEntityId(raw);
    if (!id.ok()) f.Error(r, F::kConflicts, raw, id.error().code, "declared conflict: " + id.error().message);
    else out.conflicts.push_back(id.value().value);
  }
  return f.errors.size() == before;
}

bool ValidateItemRow(const RowView& r, InspectionItem& out, Findings& f) {
  namespace F = item_field;
  std::size_t before = f.errors.size();
  const bool gov = r.map->kind == RegisterKind::kItemsGov;
  auto legal = std::move(out.legal_basis);  // gathered by the caller for the government shape
  out = InspectionItem{};
  out.department = r.cell(F::kDepartment);
  Required(r, f, F::kDepartment, out.department);
  out.code = r.cell(F::kCode);
  if (gov && out.code.empty()) {
    auto seq = r.cell(F::kSeq);
    Required(r, f, F::kSeq, seq);
    if (!seq.empty() && !out.department.empty()) out.code = DerivedItemCode(out.department, seq);
  } else {
    Required(r, f, F::kCode, out.code);
  }
  out.category = r.cell(F::kCategory);
  out.name = r.cell(F::kName);
  Required(r, f, F::kName, out.name);
  out.target = r.cell(F::kTarget);
  if (auto c = NormalizeItemClass(r.cell(F::kItemClass)); c.ok()) out.item_class = c.value();
  else f.Error(r, F::kItemClass, r.cell(F::kItemClass), c.error().code, c.error().message);
  out.methods = SplitList(r.cell(F::kMethods));
  out.subject = r.cell(F::kSubject);
  out.legal_basis = gov ? std::move(legal) : SplitCitations(r.cell(F::kLegalBasis));
  for (const auto& ind : SplitList(r.cell(F::kIndustries))) {
    std::string code = UpperAscii(ind);
    if (auto st = ValidateIndustryCode(code); !st.ok()) f.Error(r, F::kIndustries, ind, st.error().code, st.error().message);
    else out.industries.push_back(code);
  }
  out.qualification = UpperAscii(r.cell(F::kQualification));
  return f.errors.size() == before;
}

std::string DerivedItemCode(std::string_view department, std::string_view seq) {
  auto s = Trim(seq);
  for (;;) {
    if (s.ends_with(".")) s.remove_suffix(1);
    else if (s.ends_with("\xE3\x80\x81" /*、*/)) s.remove_suffix(3);
    else if (s.ends_with("\xEF\xBC\x8E" /*．*/)) s.remove_suffix(3);
    else break;
    s = Trim(s);
  }
  return std::string(Trim(department)) + "-" + std::string(s);
}

}  // namespace suiji::import
