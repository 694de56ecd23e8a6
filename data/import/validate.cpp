#include "data/import/validate.h"

#include <algorithm>

#include "core/identifiers.h"
#include "core/org_units.h"
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

namespace {

// The identifiers of a row, from its USCC column and its 注册号 column (either may hold either kind:
// "统一社会信用代码/注册号" columns do).
struct RowIds {
  std::string uscc, regno, legacy;  // valid USCC, valid 15-digit number, legacy id ('' if none)
  bool legacy_from_regno_column = false;
  struct Bad {
    int field;
    std::string value;
    Error error;
  };
  std::vector<Bad> bad;  // cells that hold no valid identifier
};

RowIds ReadIds(const RowView& r, Findings& f) {
  namespace F = entity_field;
  RowIds ids;
  for (int field : {F::kId, F::kRegNo}) {
    auto cell = r.cell(field);
    if (cell.empty()) continue;
    auto id = ParseEntityId(cell);
    if (!id.ok()) {
      ids.bad.push_back({field, std::string(cell), id.error()});
      continue;
    }
    const std::string& v = id.value().value;
    std::string* slot = id.value().kind == IdKind::kUscc ? &ids.uscc
                        : id.value().kind == IdKind::kRegistrationNumber ? &ids.regno
                                                                           : &ids.legacy;
    if (slot->empty()) {
      *slot = v;
      if (slot == &ids.legacy) ids.legacy_from_regno_column = field == F::kRegNo;
    } else if (*slot == v) {
      // The same legacy id in both columns (as an export writes an entity whose only id is a legacy
      // 注册号): it is still the row's 注册号.
      if (slot == &ids.legacy && field == F::kRegNo) ids.legacy_from_regno_column = true;
    } else {
      f.Warn(r, field, cell, "id.conflict",
             "two different " + std::string(IdKindName(id.value().kind)) + " identifiers in one row ('" + *slot +
                 "' and '" + v + "'); the first is kept");
    }
  }
  return ids;
}

void AddRepair(Entity& e, std::string code) {
  for (const auto& r : e.repairs)
    if (r == code) return;
  e.repairs.push_back(std::move(code));
}

// The region a row's identifiers carry: USCC characters 3-8, else the registration number's first 6
// digits, checked against the table (a code retired by a boundary change falls back to its city, then
// its province). '' when neither gives a known code.
std::string RegionFromIds(const RowIds& ids, const RegionTable& regions, std::string* source) {
  std::string code;
  if (!ids.uscc.empty()) {
    code = ids.uscc.substr(2, 6);
    *source = "characters 3-8 of the USCC " + ids.uscc;
  } else if (!ids.regno.empty()) {
    code = ids.regno.substr(0, 6);
    *source = "the first 6 digits of the registration number " + ids.regno;
  } else {
    return "";
  }
  for (std::string c : {code, code.substr(0, 4) + "00", code.substr(0, 2) + "0000"}) {
    if (regions.Contains(c)) {
      if (c != code) *source += " (" + code + " is not in the region table; its " + (c.ends_with("0000") ? "province" : "city") + ")";
      return c;
    }
  }
  return "";
}

}  // namespace

bool ValidateEntityRow(const RowView& r, const RegionTable& regions, Entity& out, Findings& f,
                       const EntityRowOptions& opt) {
  namespace F = entity_field;
  std::size_t before = f.errors.size();
  out = Entity{};
  // Identifiers: the USCC when valid, else the registration number, else a legacy id. A cell that
  // holds no valid identifier only rejects the row when no other cell gives it one.
  RowIds ids = ReadIds(r, f);
  if (!ids.uscc.empty()) out.id = {ids.uscc, IdKind::kUscc};
  else if (!ids.regno.empty()) out.id = {ids.regno, IdKind::kRegistrationNumber};
  else if (!ids.legacy.empty()) out.id = {ids.legacy, IdKind::kLegacy};
  out.regno = !ids.regno.empty() ? ids.regno : ids.legacy_from_regno_column ? ids.legacy : "";
  const bool has_id = !out.id.value.empty();
  for (const auto& b : ids.bad) {
    if (!has_id) {
      f.Error(r, b.field, b.value, b.error.code, b.error.message);
      continue;
    }
    f.Warn(r, b.field, b.value, b.error.code,
           b.error.message + "; the row is kept under its " + IdKindName(out.id.kind) + " " + out.id.value);
    AddRepair(out, b.error.code);
  }
  if (!has_id && ids.bad.empty()) {
    int field = r.map->column_of(F::kId) >= 0 ? F::kId : F::kRegNo;
    f.Error(r, field, "", "field.required",
            "the row has no identifier: " + r.map->label(field) + " is empty" +
                (r.map->column_of(F::kId) >= 0 && r.map->column_of(F::kRegNo) >= 0 ? " and so is " + r.map->label(F::kRegNo) : ""));
  }
  if (out.id.kind == IdKind::kLegacy && has_id)
    f.Warn(r, ids.legacy_from_regno_column ? F::kRegNo : F::kId, out.id.value, "id.legacy",
           "legacy identifier accepted as is: it has no check character to verify; flagged for review");
  if (!ids.uscc.empty() && !ids.regno.empty() && ids.uscc.substr(2, 6) != ids.regno.substr(0, 6) &&
      !RegionTable::Covers(ids.uscc.substr(2, 6), ids.regno.substr(0, 6)) &&
      !RegionTable::Covers(ids.regno.substr(0, 6), ids.uscc.substr(2, 6)))
    f.Warn(r, F::kRegNo, ids.regno, "id.region_mismatch",
           "the USCC " + ids.uscc + " names region " + ids.uscc.substr(2, 6) + " but the registration number " +
               ids.regno + " names " + ids.regno.substr(0, 6) + "; both are kept");
  if (auto org = r.cell(F::kOrgCode); !org.empty() && !ids.uscc.empty()) {
    std::string digits;
    for (char c : org)
      if (c != '-' && c != ' ') digits += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (digits != ids.uscc.substr(8, 9))
      f.Warn(r, F::kOrgCode, org, "id.org_code_mismatch",
             "the USCC " + ids.uscc + " embeds organisation code " + ids.uscc.substr(8, 9) + ", not '" +
                 std::string(org) + "'");
  }

  // Type before name: a sole trader without a trade name is named after its operator.
  auto type = ClassifyEntityType(r.cell(F::kEntityType), r.cell(F::kEntityTypeCode));
  out.entity_type = type.cls;
  out.type_code = type.code;
  out.type_label = type.label;
  int type_field = r.cell(F::kEntityType).empty() ? F::kEntityTypeCode : F::kEntityType;
  if (!type.in_table && !type.cls.empty()) {
    f.Warn(r, type_field, type.label, "entity_type.unmapped",
           "'" + type.label + "' is not in the national entity type table (data/reference/entity_types.csv); kept as is, class '" +
               type.cls + "'");
    AddRepair(out, "entity_type.unmapped");
  }
  if (type.code_unknown && type.in_table)
    f.Warn(r, F::kEntityTypeCode, r.cell(F::kEntityTypeCode), "entity_type.code_unknown",
           "type code '" + std::string(r.cell(F::kEntityTypeCode)) + "' is not in the national table; the label '" +
               type.label + "' gives " + type.code);
  if (type.disagree)
    f.Warn(r, F::kEntityTypeCode, r.cell(F::kEntityTypeCode), "entity_type.mismatch",
           "type code " + type.code + " and label '" + std::string(r.cell(F::kEntityType)) +
               "' name different classes; the code is kept");

  out.legal_rep = r.cell(F::kLegalRep);
  out.name = r.cell(F::kName);
  if (out.name.empty()) {
    const bool sole_trader = type.cls == "sole_proprietor" || ids.uscc.starts_with("92");
    if (sole_trader && !out.legal_rep.empty()) {
      out.name = out.legal_rep;
      f.Warn(r, F::kName, "", "name.from_operator",
             "a sole trader without a trade name (无字号个体工商户): named after its operator, as the register names it");
      AddRepair(out, "name.from_operator");
    } else {
      f.Error(r, F::kName, "", "field.required",
              r.map->label(F::kName) + " is required and is empty" +
                  (sole_trader ? " (a sole trader without a trade name needs its operator, 经营者, to be named)" : ""));
    }
  }

  // Region: the column, else --region, else a 6-digit 登记机关 code, else the identifiers.
  auto region = r.cell(F::kRegion);
  if (!region.empty()) {
    if (auto st = regions.Validate(region); !st.ok()) f.Error(r, F::kRegion, region, st.error().code, st.error().message);
    out.region = region;
  } else if (!opt.default_region.empty()) {
    out.region = opt.default_region;
    AddRepair(out, "region.from_option");
  } else if (auto auth = r.cell(F::kAuthority); ValidateRegionCodeShape(auth).ok() && regions.Contains(auth)) {
    out.region = auth;
    f.Warn(r, F::kAuthority, auth, "region.derived", "no region column: the region is the registering authority's code " + std::string(auth));
    AddRepair(out, "region.derived");
  } else {
    std::string source;
    out.region = RegionFromIds(ids, regions, &source);
    if (!out.region.empty()) {
      f.Warn(r, F::kRegion, "", "region.derived", "region " + out.region + " derived from " + source);
      AddRepair(out, "region.derived");
    } else if (has_id) {
      f.Error(r, F::kRegion, "", "region.missing",
              "no region: " + r.map->label(F::kRegion) +
                  " is empty or absent and the row has no USCC or 15-digit registration number whose region is in the table (use --region CODE)");
    }
  }
  if (!out.region.empty() && !ids.uscc.empty() && !region.empty() && f.errors.size() == before) {
    std::string embedded = ids.uscc.substr(2, 6);
    if (!RegionTable::Covers(embedded, out.region) && !RegionTable::Covers(out.region, embedded))
      f.Warn(r, F::kRegion, region, "id.region_mismatch",
             "the USCC " + ids.uscc + " names region " + embedded + ", the row " + out.region + "; the row's is kept");
  }

  if (auto ind = r.cell(F::kIndustry); !ind.empty()) {
    out.industry = UpperAscii(ind);
    if (auto st = ValidateIndustryCode(out.industry); !st.ok())
      f.Error(r, F::kIndustry, ind, st.error().code, st.error().message + " ('" + std::string(ind) + "')");
  }
  if (auto s = NormalizeEntityStatus(r.cell(F::kStatus)); s.ok()) {
    out.status = s.value();
  } else {
    out.status = "other";
    out.status_label = r.cell(F::kStatus);
    f.Warn(r, F::kStatus, r.cell(F::kStatus), "status.unmapped",
           "'" + out.status_label + "' is not a known registration status; kept as is, status 'other'");
    AddRepair(out, "status.unmapped");
  }
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
  out.special_registers = SplitList(r.cell(F::kSpecialRegisters));
  std::sort(out.repairs.begin(), out.repairs.end());
  return f.errors.size() == before;
}

bool ValidateOfficerRow(const RowView& r, const RegionTable& regions, Officer& out, Findings& f,
                        const OfficerRowOptions& opt) {
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
  if (opt.org_units && !opt.org_units->empty() && !out.org_unit.empty() && !opt.org_units->contains(out.org_unit))
    f.Error(r, F::kOrgUnit, out.org_unit, "org_unit.unknown",
            "org unit '" + out.org_unit + "' is not in the org-unit table (" + std::to_string(opt.org_units->size()) +
                " units; import it first with `suiji import org-units`, or see `suiji export org-units`)");
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

bool ValidateOrgUnitRow(const RowView& r, const RegionTable& regions, OrgUnit& out, Findings& f) {
  namespace F = org_unit_field;
  std::size_t before = f.errors.size();
  out = OrgUnit{};
  out.code = r.cell(F::kCode);
  Required(r, f, F::kCode, out.code);
  out.name = r.cell(F::kName);
  Required(r, f, F::kName, out.name);
  auto level = r.cell(F::kLevel);
  Required(r, f, F::kLevel, level);
  if (!level.empty()) {
    if (auto l = NormalizeOrgLevel(level); l.ok()) out.level = l.value();
    else f.Error(r, F::kLevel, level, l.error().code, l.error().message);
  }
  out.parent = r.cell(F::kParent);
  out.region = r.cell(F::kRegion);
  // A national unit governs the whole country: 100000 (not a row of the region table) or nothing.
  const bool national_region = out.level == "national" && (out.region.empty() || out.region == kNationalRegion);
  if (!national_region) {
    Required(r, f, F::kRegion, out.region);
    if (!out.region.empty())
      if (auto st = regions.Validate(out.region); !st.ok()) f.Error(r, F::kRegion, out.region, st.error().code, st.error().message);
  }
  out.department = UpperAscii(r.cell(F::kDepartment));
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
