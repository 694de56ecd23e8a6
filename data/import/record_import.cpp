#include "data/import/record_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/identifiers.h"
#include "data/import/csv_reader.h"
#include "data/import/duplicate_index.h"
#include "data/import/values.h"

namespace suiji::import {
namespace {

std::vector<FieldSpec> Normalised(std::vector<FieldSpec> fields) {
  for (auto& f : fields)
    for (auto& a : f.aliases) a = NormalizeHeaderLabel(a);
  return fields;
}

const std::vector<std::string> kEntityAliases = {"信用代码", "社会信用代码", "注册号", "统一社会信用代码/注册号",
                                                 "统一社会信用代码(注册号)", "entity", "id", "uscc"};

// A vocabulary: canonical code -> accepted spellings (compared after NormalizeHeaderLabel).
using Vocabulary = std::vector<std::pair<std::string, std::vector<std::string>>>;

Result<std::string> Lookup(const Vocabulary& vocab, std::string_view cell, const std::string& code,
                           const std::string& what) {
  std::string norm = NormalizeHeaderLabel(cell);
  for (const auto& [canonical, spellings] : vocab) {
    if (norm == canonical) return canonical;
    for (const auto& s : spellings)
      if (norm == NormalizeHeaderLabel(s)) return canonical;
  }
  std::string allowed;
  for (const auto& [canonical, spellings] : vocab) allowed += (allowed.empty() ? "" : ", ") + canonical;
  return Error{code, "'" + std::string(cell) + "' is not a known " + what + " (one of: " + allowed + ")", ""};
}

const Vocabulary& ResultVocabulary() {
  static const Vocabulary v = {
      {"no_problem", {"未发现问题", "正常", "合格", "符合", "未发现违法违规问题"}},
      {"problem", {"发现问题", "不合格", "不符合", "发现问题待后续处理", "发现违法违规问题"}},
      {"problem_corrected", {"发现问题已责令改正", "发现问题已改正", "已责令改正", "已整改"}},
      {"not_found",
       {"查无下落", "无法联系", "通过登记的住所(经营场所)无法联系", "通过登记的住所或者经营场所无法联系", "未找到"}},
      {"no_activity", {"未发现开展本次抽查涉及的经营活动", "未开展经营活动", "未发现经营活动"}},
      {"refused", {"不配合检查", "拒绝检查", "不配合"}},
      {"other", {"其他"}},
  };
  return v;
}

// Most severe first: a cell naming several penalties takes the first that matches in this order.
const Vocabulary& PenaltyVocabulary() {
  static const Vocabulary v = {
      {"revocation", {"吊销营业执照", "吊销许可证件", "吊销许可证", "吊销", "责令关闭", "撤销登记"}},
      {"suspension",
       {"责令停产停业", "暂扣许可证件", "暂扣许可证", "限制开展生产经营活动", "降低资质等级", "限制从业", "停产停业"}},
      {"confiscation", {"没收违法所得", "没收非法财物", "没收违法所得、没收非法财物", "没收"}},
      {"fine", {"罚款"}},
      {"warning", {"警告", "通报批评"}},
      {"other", {"其他"}},
  };
  return v;
}

const Vocabulary& ListVocabulary() {
  static const Vocabulary v = {
      {"abnormal", {"经营异常名录", "经营异常", "异常名录"}},
      {"serious", {"严重违法失信名单", "严重违法失信企业名单", "严重违法失信", "黑名单"}},
  };
  return v;
}

const Vocabulary& RepairOutcomeVocabulary() {
  static const Vocabulary v = {
      {"granted", {"准予信用修复", "准予修复", "准予", "同意", "同意修复", "予以修复", "修复", "通过", "是", "yes"}},
      {"refused", {"不予信用修复", "不予修复", "不予", "不同意", "驳回", "否", "no"}},
  };
  return v;
}

const Vocabulary& SubstantiatedVocabulary() {
  static const Vocabulary v = {
      {"yes", {"属实", "部分属实", "基本属实", "查实", "成立", "是", "true", "y", "1"}},
      {"no", {"不属实", "查无实据", "未查实", "不成立", "否", "false", "n", "0"}},
      {"pending", {"处理中", "核查中", "待核查", "未办结", "在办"}},
  };
  return v;
}

// The stored memberships a repair row may name: by id, or by (entity, list).
class MembershipIndex {
 public:
  explicit MembershipIndex(std::vector<MembershipRef> v) : all_(std::move(v)) {
    for (std::size_t i = 0; i < all_.size(); ++i) {
      by_id_.emplace(all_[i].id, i);
      by_entity_list_[all_[i].entity_id + '\x1f' + all_[i].list].push_back(i);
    }
  }
  const MembershipRef* ById(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &all_[it->second];
  }
  // Memberships of the entity on the list in force on `date` (listed on or before it, not ended
  // before it: a membership a repair ended that very day still counts, so a re-import resolves alike).
  std::vector<const MembershipRef*> InForce(const std::string& entity, const std::string& list,
                                            const std::string& date) const {
    std::vector<const MembershipRef*> out;
    auto it = by_entity_list_.find(entity + '\x1f' + list);
    if (it == by_entity_list_.end()) return out;
    for (std::size_t i : it->second) {
      const auto& m = all_[i];
      if (m.listed_on <= date && (m.removed_on.empty() || m.removed_on >= date)) out.push_back(&m);
    }
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
    return out;
  }

 private:
  std::vector<MembershipRef> all_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_entity_list_;
};

const char* ListNoun(const std::string& list) {
  return list == "serious" ? "serious-violation list (严重违法失信名单)" : "abnormal-operations list (经营异常名录)";
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Digits with an optional fraction -> canonical text (no leading zeros, no trailing fraction zeros).
std::string CanonicalDecimal(std::string_view intpart, std::string_view frac) {
  while (intpart.size() > 1 && intpart[0] == '0') intpart.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::string out(intpart.empty() ? "0" : intpart);
  if (!frac.empty()) out += "." + std::string(frac);
  return out;
}

Result<std::string> Decimal(std::string_view cell, bool allow_negative, const std::string& code) {
  std::string s;
  for (char c : Trim(cell))
    if (c != ',') s += c;  // thousands separators
  std::string_view v = s;
  if (v.ends_with("元")) v.remove_suffix(std::string_view("元").size());
  v = Trim(v);
  bool negative = false;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    negative = v[0] == '-';
    v.remove_prefix(1);
  }
  auto dot = v.find('.');
  std::string_view ip = v.substr(0, dot), fp = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  bool ok = (AllDigits(ip) || (ip.empty() && !fp.empty())) && (dot == std::string_view::npos || AllDigits(fp));
  if (!ok) return Error{code, "'" + std::string(cell) + "' is not a decimal number (e.g. 5000 or 1234.50)", ""};
  std::string canon = CanonicalDecimal(ip, fp);
  if (negative && canon != "0") {
    if (!allow_negative) return Error{"amount.negative", "'" + std::string(cell) + "' is negative; amounts are yuan >= 0", ""};
    canon = "-" + canon;
  }
  double d = 0;
  auto [p, ec] = std::from_chars(canon.data(), canon.data() + canon.size(), d);
  if (ec != std::errc() || !std::isfinite(d)) return Error{code, "'" + std::string(cell) + "' is out of range", ""};
  return canon;
}

// ---- Formats: the schema and the row validator of each record type ------------------------------------

struct Cells {
  const std::vector<int>* field_column;
  const std::vector<std::string>* header;
  const std::vector<std::string>* fields;
  const std::vector<FieldSpec>* schema;
  std::int64_t row;
  std::vector<RowError>* errors;
  std::vector<RowError>* warnings;
  const MembershipIndex* memberships = nullptr;  // repairs only

  std::string label(int f) const {
    int c = (*field_column)[static_cast<std::size_t>(f)];
    return c >= 0 ? (*header)[static_cast<std::size_t>(c)] : (*schema)[static_cast<std::size_t>(f)].name;
  }
  std::string cell(int f) const {
    int c = (*field_column)[static_cast<std::size_t>(f)];
    if (c < 0 || static_cast<std::size_t>(c) >= fields->size()) return {};
    auto v = Trim((*fields)[static_cast<std::size_t>(c)]);
    // ="91510104MA6CGUD5XB": an Excel text formula that keeps a long code as text (as RowView::cell).
    if (v.size() >= 3 && v.starts_with("=\"") && v.ends_with("\"")) v = Trim(v.substr(2, v.size() - 3));
    return std::string(v);
  }
  void Error(int f, std::string_view value, std::string code, std::string reason) const {
    errors->push_back({row, label(f), std::string(value), std::move(code), std::move(reason), 0});
  }
  std::string Required(int f) const {
    std::string v = cell(f);
    if (v.empty()) Error(f, v, "field.required", label(f) + " is required and is empty");
    return v;
  }
  std::string Entity(int f, const ResolveEntity& known) const {
    std::string v = cell(f);
    if (v.empty()) {
      Error(f, v, "field.required", label(f) + " is required and is empty");
      return v;
    }
    auto id = ParseEntityId(v);
    if (!id) {
      Error(f, v, id.error().code, id.error().message);
      return v;
    }
    if (!known) return id->value;
    auto primary = known(id->value);
    if (!primary) {
      Error(f, v, "entity.unknown", "no entity " + id->value + " in the register (import the entity first)");
      return id->value;
    }
    return *primary;
  }
  // An entity id that may be left empty (repairs name a membership instead).
  std::string OptionalEntity(int f, const ResolveEntity& known) const {
    return cell(f).empty() ? std::string() : Entity(f, known);
  }
  std::string Date(int f, bool required) const {
    std::string v = cell(f);
    if (v.empty()) {
      if (required) Error(f, v, "field.required", label(f) + " is required and is empty");
      return v;
    }
    bool serial = false;
    auto d = NormalizeDate(v, &serial);
    if (!d) {
      Error(f, v, d.error().code, d.error().message);
      return v;
    }
    if (serial)
      warnings->push_back({row, label(f), v, "date.excel_serial",
                           "an Excel date serial number, read as " + d.value() + "; format the column as text or date", 0});
    return d.value();
  }
  template <typename Fn>
  std::string Normalised(int f, Fn fn, bool required) const {
    std::string v = cell(f);
    if (v.empty() && required) {
      Error(f, v, "field.required", label(f) + " is required and is empty");
      return v;
    }
    auto r = fn(v);
    if (!r) {
      Error(f, v, r.error().code, r.error().message);
      return v;
    }
    return r.value();
  }
};

template <typename T>
struct Format;

template <>
struct Format<ResultRow> {
  static constexpr RecordKind kKind = RecordKind::kResults;
  static constexpr const char* kNoun = "result";
  static void Validate(const Cells& c, const ResolveEntity& known, ResultRow& out) {
    namespace F = result_field;
    out = ResultRow{};
    out.entity_id = c.Entity(F::kEntityId, known);
    out.department = UpperAscii(c.Required(F::kDepartment));
    out.inspected_on = c.Date(F::kInspectedOn, true);
    out.result = c.Normalised(F::kResult, NormalizeInspectionResult, true);
    out.officers = SplitList(c.cell(F::kOfficers));
    out.plan_id = c.cell(F::kPlanId);
  }
  static std::string Key(const ResultRow& r) { return r.entity_id + '\x1f' + r.department + '\x1f' + r.inspected_on; }
  static int KeyField() { return result_field::kInspectedOn; }
};

template <>
struct Format<PenaltyRow> {
  static constexpr RecordKind kKind = RecordKind::kPenalties;
  static constexpr const char* kNoun = "penalty";
  static void Validate(const Cells& c, const ResolveEntity& known, PenaltyRow& out) {
    namespace F = penalty_field;
    out = PenaltyRow{};
    out.decision_no = c.Required(F::kDecisionNo);
    out.entity_id = c.Entity(F::kEntityId, known);
    out.department = c.Required(F::kDepartment);
    out.penalty_type = c.Normalised(F::kPenaltyType, NormalizePenaltyType, true);
    out.decided_on = c.Date(F::kDecidedOn, true);
    out.amount = c.Normalised(F::kAmount, NormalizeAmount, false);
    out.legal_basis = c.cell(F::kLegalBasis);
  }
  static std::string Key(const PenaltyRow& r) { return r.decision_no; }
  static int KeyField() { return penalty_field::kDecisionNo; }
};

template <>
struct Format<ListDecisionRow> {
  static constexpr RecordKind kKind = RecordKind::kLists;
  static constexpr const char* kNoun = "list";
  static void Validate(const Cells& c, const ResolveEntity& known, ListDecisionRow& out) {
    namespace F = list_field;
    out = ListDecisionRow{};
    out.id = c.Required(F::kId);
    out.entity_id = c.Entity(F::kEntityId, known);
    out.list = c.Normalised(F::kList, NormalizeListKind, true);
    out.reason = c.cell(F::kReason);
    out.listed_on = c.Date(F::kListedOn, true);
    out.authority = c.cell(F::kAuthority);
    out.cause_fixed_on = c.Date(F::kCauseFixedOn, false);
    out.removed_on = c.Date(F::kRemovedOn, false);
    out.removal_reason = c.cell(F::kRemovalReason);
    out.removal_authority = c.cell(F::kRemovalAuthority);
    // Dates are canonical YYYY-MM-DD here (or the bad cell, already an error): byte order is date order.
    if (!out.removed_on.empty() && !out.listed_on.empty() && out.removed_on < out.listed_on && c.errors->empty())
      c.Error(F::kRemovedOn, out.removed_on, "list.removal_before_listing",
              "removal " + out.removed_on + " is before the listing " + out.listed_on);
  }
  static std::string Key(const ListDecisionRow& r) { return r.id; }
  static int KeyField() { return list_field::kId; }
};

template <>
struct Format<ExternalRow> {
  static constexpr RecordKind kKind = RecordKind::kExternal;
  static constexpr const char* kNoun = "external";
  static void Validate(const Cells& c, const ResolveEntity& known, ExternalRow& out) {
    namespace F = external_field;
    out = ExternalRow{};
    out.entity_id = c.Entity(F::kEntityId, known);
    out.source = c.Required(F::kSource);
    out.name = c.Required(F::kName);
    out.as_of = c.Date(F::kAsOf, true);
    out.value = c.Normalised(F::kValue, NormalizeDecimal, true);
  }
  static std::string Key(const ExternalRow& r) {
    return r.entity_id + '\x1f' + r.source + '\x1f' + r.name + '\x1f' + r.as_of;
  }
  static int KeyField() { return external_field::kAsOf; }
};

template <>
struct Format<AnnualReportRow> {
  static constexpr RecordKind kKind = RecordKind::kAnnualReports;
  static constexpr const char* kNoun = "annual_report";
  static void Validate(const Cells& c, const ResolveEntity& known, AnnualReportRow& out) {
    namespace F = annual_report_field;
    out = AnnualReportRow{};
    out.entity_id = c.Entity(F::kEntityId, known);
    std::string y = c.Required(F::kYear);
    if (y.ends_with("年度")) y.resize(y.size() - std::string_view("年度").size());
    else if (y.ends_with("年")) y.resize(y.size() - std::string_view("年").size());
    if (!y.empty() && (y.size() != 4 || !AllDigits(y) || y < "1980" || y > "2100"))
      c.Error(F::kYear, c.cell(F::kYear), "year.format", "'" + c.cell(F::kYear) + "' is not a report year (e.g. 2024)");
    out.year = y;
    out.filed_on = c.Date(F::kFiledOn, true);
    if (c.errors->empty() && !out.filed_on.empty() && out.filed_on.substr(0, 4) <= out.year)
      c.Error(F::kFiledOn, out.filed_on, "annual_report.early",
              "a report for " + out.year + " cannot be filed before the year is over (" + out.filed_on + ")");
  }
  static std::string Key(const AnnualReportRow& r) { return r.entity_id + '\x1f' + r.year; }
  static int KeyField() { return annual_report_field::kYear; }
};

template <>
struct Format<RepairRow> {
  static constexpr RecordKind kKind = RecordKind::kRepairs;
  static constexpr const char* kNoun = "repair";
  static void Validate(const Cells& c, const ResolveEntity& known, RepairRow& out) {
    namespace F = repair_field;
    out = RepairRow{};
    out.decision_no = c.Required(F::kDecisionNo);
    const std::string named = c.cell(F::kMembershipId);
    const std::string entity = c.OptionalEntity(F::kEntityId, known);
    const std::string list = c.cell(F::kList).empty() ? std::string() : c.Normalised(F::kList, NormalizeListKind, false);
    out.decided_on = c.Date(F::kDecidedOn, true);
    out.authority = c.Required(F::kAuthority);
    if (!c.cell(F::kOutcome).empty()) out.outcome = c.Normalised(F::kOutcome, NormalizeRepairOutcome, true);
    out.reason = c.cell(F::kReason);
    if (out.outcome == "refused" && out.reason.empty())
      c.Error(F::kReason, "", "repair.reason_required",
              c.label(F::kReason) + " is required when the repair is refused (不予修复的理由)");
    if (!c.errors->empty()) return;

    const MembershipRef* m = nullptr;
    if (!named.empty()) {
      m = c.memberships ? c.memberships->ById(named) : nullptr;
      if (!m) {
        c.Error(F::kMembershipId, named, "membership.unknown",
                "no list membership '" + named +
                    "' is stored (import its listing with `suiji import lists`; a membership moved to the "
                    "serious-violation list exists once `suiji credit flags` has passed the move)");
        return;
      }
      if (!entity.empty() && entity != m->entity_id)
        c.Error(F::kEntityId, c.cell(F::kEntityId), "membership.mismatch",
                "membership " + m->id + " is of entity " + m->entity_id + ", not " + entity);
      if (!list.empty() && list != m->list)
        c.Error(F::kList, c.cell(F::kList), "membership.mismatch",
                "membership " + m->id + " is on the " + ListNoun(m->list) + ", not the " + ListNoun(list));
    } else if (entity.empty() || list.empty()) {
      c.Error(F::kMembershipId, "", "repair.membership_required",
              "name the membership repaired: its " + c.label(F::kMembershipId) + ", or the entity (" +
                  c.label(F::kEntityId) + ") and the list (" + c.label(F::kList) + ")");
      return;
    } else {
      auto found = c.memberships ? c.memberships->InForce(entity, list, out.decided_on)
                                 : std::vector<const MembershipRef*>{};
      if (found.empty()) {
        c.Error(F::kEntityId, c.cell(F::kEntityId), "membership.unknown",
                "entity " + entity + " has no membership of the " + ListNoun(list) + " in force on " +
                    out.decided_on + " (listed on or before it and not ended before it)");
        return;
      }
      if (found.size() > 1) {
        std::string ids;
        for (auto* f : found) ids += (ids.empty() ? "" : ", ") + f->id;
        c.Error(F::kEntityId, c.cell(F::kEntityId), "membership.ambiguous",
                "entity " + entity + " has " + std::to_string(found.size()) + " memberships of the " + ListNoun(list) +
                    " in force on " + out.decided_on + " (" + ids + "): name one in " + c.label(F::kMembershipId));
        return;
      }
      m = found[0];
    }
    if (!c.errors->empty()) return;
    if (out.decided_on < m->listed_on)
      c.Error(F::kDecidedOn, c.cell(F::kDecidedOn), "repair.before_listing",
              "decided on " + out.decided_on + ", before membership " + m->id + " was listed on " + m->listed_on);
    out.membership_id = m->id;
    out.entity_id = m->entity_id;
    out.list = m->list;
  }
  static std::string Key(const RepairRow& r) { return r.decision_no; }
  static int KeyField() { return repair_field::kDecisionNo; }
};

template <>
struct Format<ComplaintRow> {
  static constexpr RecordKind kKind = RecordKind::kComplaints;
  static constexpr const char* kNoun = "complaint";
  static void Validate(const Cells& c, const ResolveEntity& known, ComplaintRow& out) {
    namespace F = complaint_field;
    out = ComplaintRow{};
    out.reference_no = c.Required(F::kReferenceNo);
    out.entity_id = c.Entity(F::kEntityId, known);
    out.received_on = c.Date(F::kReceivedOn, true);
    out.substantiated = c.Normalised(F::kSubstantiated, NormalizeSubstantiated, true);
    out.concluded_on = c.Date(F::kConcludedOn, false);
    out.source = c.cell(F::kSource);
    out.department = c.cell(F::kDepartment);
    if (c.errors->empty() && !out.concluded_on.empty() && out.concluded_on < out.received_on)
      c.Error(F::kConcludedOn, c.cell(F::kConcludedOn), "complaint.concluded_before_received",
              "concluded on " + out.concluded_on + ", before it was received on " + out.received_on);
  }
  static std::string Key(const ComplaintRow& r) { return r.reference_no; }
  static int KeyField() { return complaint_field::kReferenceNo; }
};

}  // namespace

// ---- Public vocabulary functions ------------------------------------------------------------------------

const char* RecordKindName(RecordKind k) {
  switch (k) {
    case RecordKind::kResults: return "results";
    case RecordKind::kPenalties: return "penalties";
    case RecordKind::kLists: return "lists";
    case RecordKind::kExternal: return "external";
    case RecordKind::kAnnualReports: return "annual_reports";
    case RecordKind::kRepairs: return "repairs";
    case RecordKind::kComplaints: return "complaints";
  }
  return "?";
}

const std::vector<FieldSpec>& RecordSchema(RecordKind kind) {
  static const auto results = Normalised({
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"department", "检查部门", true, {"部门", "检查机关", "实施机关", "dept"}},
      {"inspected_on", "检查日期", true, {"检查时间", "抽查日期", "date"}},
      {"result", "检查结果", true, {"抽查结果", "结果", "outcome"}},
      {"officers", "检查人员", false, {"执法人员", "执法证号"}},
      {"plan_id", "抽查计划", false, {"计划编号", "抽查计划编号", "plan"}},
  });
  static const auto penalties = Normalised({
      {"decision_no", "行政处罚决定书文号", true, {"决定书文号", "处罚决定书文号", "文号", "decision"}},
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"department", "处罚机关", true, {"作出处罚决定机关", "决定机关", "部门", "authority"}},
      {"penalty_type", "处罚类别", true, {"处罚种类", "处罚类型", "type"}},
      {"decided_on", "处罚决定日期", true, {"决定日期", "处罚日期", "date"}},
      {"amount", "罚没金额", false, {"罚没金额(元)", "罚款金额", "罚款金额(元)", "金额", "amount_yuan"}},
      {"legal_basis", "处罚依据", false, {"法律依据", "依据"}},
  });
  static const auto lists = Normalised({
      {"id", "决定书文号", true, {"列入决定书文号", "编号", "membership_id"}},
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"list", "名录类别", true, {"名录", "名单类别", "类别"}},
      {"reason", "列入事由", false, {"列入原因", "事由"}},
      {"listed_on", "列入日期", true, {"列入时间", "作出决定日期"}},
      {"authority", "作出决定机关", false, {"列入机关", "决定机关"}},
      {"cause_fixed_on", "事由消除日期", false, {"补报日期", "cause_fixed"}},
      {"removed_on", "移出日期", false, {"移出时间"}},
      {"removal_reason", "移出事由", false, {"移出原因"}},
      {"removal_authority", "移出机关", false, {"移出决定机关"}},
  });
  static const auto external = Normalised({
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"source", "数据来源", true, {"来源", "来源部门"}},
      {"name", "指标名称", true, {"指标", "indicator"}},
      {"as_of", "数据日期", true, {"日期", "date"}},
      {"value", "指标值", true, {"值", "数值"}},
  });
  static const auto annual = Normalised({
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"year", "报告年度", true, {"年度", "年报年度", "report_year"}},
      {"filed_on", "报送日期", true, {"公示日期", "报送时间", "filed"}},
  });
  static const auto repairs = Normalised({
      {"decision_no", "信用修复决定书文号", true, {"修复决定书文号", "决定书文号", "文号", "decision"}},
      {"membership_id", "列入决定书文号", false, {"列入文号", "名录决定书文号", "membership"}},
      {"entity_id", "统一社会信用代码", false, kEntityAliases},
      {"list", "名录类别", false, {"名录", "名单类别", "类别"}},
      {"decided_on", "修复决定日期", true, {"决定日期", "修复日期", "作出决定日期", "date"}},
      {"authority", "作出决定机关", true, {"决定机关", "修复机关", "authority"}},
      {"outcome", "修复结果", false, {"决定结果", "结果", "是否准予修复"}},
      {"reason", "修复理由", false, {"理由", "事由", "修复事由", "不予修复理由"}},
  });
  static const auto complaints = Normalised({
      {"reference_no", "投诉举报编号", true, {"编号", "工单号", "登记编号", "reference"}},
      {"entity_id", "统一社会信用代码", true, kEntityAliases},
      {"received_on", "登记日期", true, {"受理日期", "投诉举报日期", "接收日期", "received"}},
      {"substantiated", "是否属实", true, {"核查结果", "处理结果", "属实"}},
      {"concluded_on", "办结日期", false, {"办结时间", "结案日期", "concluded"}},
      {"source", "来源", false, {"投诉举报来源", "渠道", "来源渠道"}},
      {"department", "承办部门", false, {"处理部门", "承办单位", "dept"}},
  });
  switch (kind) {
    case RecordKind::kRepairs: return repairs;
    case RecordKind::kComplaints: return complaints;
    case RecordKind::kAnnualReports: return annual;
    case RecordKind::kResults: return results;
    case RecordKind::kPenalties: return penalties;
    case RecordKind::kLists: return lists;
    case RecordKind::kExternal: return external;
  }
  return results;
}

Result<std::string> NormalizeInspectionResult(std::string_view cell) {
  return Lookup(ResultVocabulary(), Trim(cell), "result.unknown", "inspection result");
}

Result<std::string> NormalizePenaltyType(std::string_view cell) {
  auto parts = SplitCitations(cell);  // ';' '；' '|' and line breaks; '、' may sit inside one type
  if (parts.empty()) return Error{"penalty_type.unknown", "the penalty type is empty", ""};
  std::size_t best = PenaltyVocabulary().size();
  for (const auto& p : parts) {
    auto got = Lookup(PenaltyVocabulary(), p, "penalty_type.unknown", "penalty type");
    if (!got) {
      // "罚款、没收违法所得": try the parts around '、' too.
      bool any = false;
      for (const auto& q : SplitList(p)) {
        auto sub = Lookup(PenaltyVocabulary(), q, "penalty_type.unknown", "penalty type");
        if (!sub) return sub.error();
        any = true;
        for (std::size_t i = 0; i < PenaltyVocabulary().size(); ++i)
          if (PenaltyVocabulary()[i].first == sub.value()) best = std::min(best, i);
      }
      if (!any) return got.error();
      continue;
    }
    for (std::size_t i = 0; i < PenaltyVocabulary().size(); ++i)
      if (PenaltyVocabulary()[i].first == got.value()) best = std::min(best, i);
  }
  return PenaltyVocabulary()[best].first;
}

Result<std::string> NormalizeListKind(std::string_view cell) {
  return Lookup(ListVocabulary(), Trim(cell), "list.unknown", "list");
}

Result<std::string> NormalizeAmount(std::string_view cell) {
  if (Trim(cell).empty()) return std::string("0");
  return Decimal(cell, false, "amount.format");
}

Result<std::string> NormalizeDecimal(std::string_view cell) { return Decimal(cell, true, "value.format"); }

Result<std::string> NormalizeRepairOutcome(std::string_view cell) {
  return Lookup(RepairOutcomeVocabulary(), Trim(cell), "repair_outcome.unknown", "repair outcome");
}

Result<std::string> NormalizeSubstantiated(std::string_view cell) {
  return Lookup(SubstantiatedVocabulary(), Trim(cell), "substantiated.unknown", "finding (substantiated or not)");
}

// ---- The streaming engine ---------------------------------------------------------------------------------

template <typename T>
struct RecordImporter<T>::Impl {
  std::unique_ptr<CsvReader> reader;
  ResolveEntity known;
  ImportOptions opt;
  std::vector<std::string> header;
  std::vector<int> field_column, column_field;
  ImportReport report;
  DuplicateIndex seen;  // key hash -> first row; spills to disk, so memory stays flat (made in Start)
  std::function<void(const RejectedRow&)> sink;
  std::unique_ptr<MembershipIndex> memberships;
  CsvRecord rec;
  bool done = false;

  const std::vector<FieldSpec>& schema() const { return RecordSchema(Format<T>::kKind); }

  void Keep(std::vector<RowError>& list, std::map<std::string, std::int64_t>& counts, const RowError& e) {
    ++counts[e.code];
    if (list.size() < opt.max_errors_kept) list.push_back(e);
    else report.truncated = true;
  }

  Status MapHeader() {
    const auto& s = schema();
    field_column.assign(s.size(), -1);
    column_field.assign(header.size(), -1);
    bool any = false;
    for (const auto& h : header)
      if (!Trim(h).empty()) any = true;
    if (!any) return Error{"header.empty", "row 1 must be a header row naming the columns", ""};
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string norm = NormalizeHeaderLabel(header[c]);
      if (norm.empty() || norm == NormalizeHeaderLabel(kRejectReasonLabel) || norm == "备注" || norm == "remarks")
        continue;
      int found = -1;
      for (std::size_t f = 0; f < s.size() && found < 0; ++f) {
        if (norm == s[f].name || norm == NormalizeHeaderLabel(s[f].label)) found = static_cast<int>(f);
        for (const auto& a : s[f].aliases)
          if (found < 0 && norm == a) found = static_cast<int>(f);
      }
      if (found < 0) {
        RowError w{1, header[c], header[c], "header.unknown",
                   "column '" + header[c] + "' is not part of the " + RecordKindName(Format<T>::kKind) +
                       " format; it is ignored",
                   0};
        Keep(report.warnings, report.warning_counts, w);
        continue;
      }
      int& slot = field_column[static_cast<std::size_t>(found)];
      if (slot >= 0)
        return Error{"header.duplicate",
                     "columns '" + header[static_cast<std::size_t>(slot)] + "' and '" + header[c] +
                         "' both name field '" + s[static_cast<std::size_t>(found)].name + "'; keep one",
                     header[c]};
      slot = static_cast<int>(c);
      column_field[c] = found;
    }
    std::string missing;
    for (std::size_t f = 0; f < s.size(); ++f) {
      if (!s[f].required || field_column[f] >= 0) continue;
      if (!missing.empty()) missing += "; ";
      missing += s[f].label + " (" + s[f].name + ")";
    }
    if (!missing.empty()) return Error{"header.missing", "required column(s) missing from the header row: " + missing, ""};
    return OkStatus();
  }

  bool Structural(std::vector<RowError>& errors) {
    if (rec.error) {
      std::string column;
      if (!rec.error->field.empty()) {
        std::size_t c = std::stoul(rec.error->field);
        column = c < header.size() ? header[c] : "column " + std::to_string(c + 1);
      }
      errors.push_back({rec.row, column, "", rec.error->code, rec.error->message, 0});
      return true;
    }
    std::size_t want = header.size(), got = rec.fields.size();
    bool extra_empty = got > want;
    for (std::size_t c = want; c < got; ++c)
      if (!Trim(rec.fields[c]).empty()) extra_empty = false;
    if (got == want || extra_empty) {
      rec.fields.resize(want);
      return false;
    }
    errors.push_back({rec.row, "", "", "csv.columns",
                      "the header has " + std::to_string(want) + " columns but this row has " + std::to_string(got) +
                          (got > want ? " (an unquoted comma inside a value?)" : ""),
                      0});
    return true;
  }

  bool Produce(T& out) {
    while (reader->Next(rec)) {
      if (rec.blank() && !rec.error) {
        ++report.blank_rows;
        continue;
      }
      ++report.rows_read;
      std::vector<RowError> errors, warnings;
      if (!Structural(errors)) {
        Cells cells{&field_column, &header, &rec.fields, &schema(), rec.row, &errors, &warnings, memberships.get()};
        Format<T>::Validate(cells, known, out);
        if (errors.empty() && opt.check_duplicates) {
          const std::int64_t first = seen.FindOrInsert(DuplicateKeyHash(Format<T>::Key(out)), rec.row);
          if (first != 0) {
            int kf = Format<T>::KeyField();
            std::string col = cells.label(kf);
            if (first < 0)  // the index's temp file failed on read: unknown, so the row is not taken
              errors.push_back({rec.row, col, cells.cell(kf), std::string(Format<T>::kNoun) + ".duplicate_check",
                                "could not check this " + std::string(Format<T>::kNoun) +
                                    " for an earlier duplicate (" + seen.error() + "); the row was not imported",
                                0});
            else
              errors.push_back({rec.row, col, cells.cell(kf), std::string(Format<T>::kNoun) + ".duplicate",
                                "rows " + std::to_string(first) + " and " + std::to_string(rec.row) +
                                    " are the same " + Format<T>::kNoun + "; row " + std::to_string(first) +
                                    " was kept",
                                first});
          }
        }
      }
      if (!errors.empty()) {
        ++report.rows_rejected;
        for (const auto& e : errors) Keep(report.errors, report.error_counts, e);
        if (sink) sink(RejectedRow{rec.row, rec.text, errors});
        continue;
      }
      ++report.rows_valid;
      ++report.records_valid;
      if (!warnings.empty()) ++report.rows_flagged;
      for (const auto& w : warnings) Keep(report.warnings, report.warning_counts, w);
      return true;
    }
    return false;
  }
};

template <typename T>
static Result<RecordImporter<T>> StartRecords(Result<std::unique_ptr<CsvReader>> reader, ResolveEntity known,
                                              ImportOptions options, const std::string& source,
                                              RecordImporter<T> (*make)(std::unique_ptr<typename RecordImporter<T>::Impl>)) {
  if (!reader.ok()) return reader.error();
  auto impl = std::make_unique<typename RecordImporter<T>::Impl>();
  impl->reader = std::move(reader).value();
  impl->known = std::move(known);
  impl->opt = options;
  DuplicateIndexOptions dup;
  dup.memory_keys = options.duplicate_memory_keys;
  impl->seen = DuplicateIndex(dup);
  impl->report.source = source;
  impl->report.register_kind = RecordKindName(Format<T>::kKind);
  if (!impl->reader->Next(impl->rec)) return Error{"header.empty", source + ": the file is empty (no header row)", ""};
  if (impl->rec.error) return Error{impl->rec.error->code, source + ": row 1 (header): " + impl->rec.error->message, ""};
  impl->header = impl->rec.fields;
  while (!impl->header.empty() && Trim(impl->header.back()).empty()) impl->header.pop_back();
  if (auto st = impl->MapHeader(); !st) {
    Error e = st.error();
    e.message = source + ": row 1 (header): " + e.message;
    return e;
  }
  impl->report.header = impl->header;
  impl->report.bom = impl->reader->had_bom();
  return make(std::move(impl));
}

template <typename T>
RecordImporter<T>::RecordImporter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
template <typename T>
RecordImporter<T>::RecordImporter(RecordImporter&&) noexcept = default;
template <typename T>
RecordImporter<T>& RecordImporter<T>::operator=(RecordImporter&&) noexcept = default;
template <typename T>
RecordImporter<T>::~RecordImporter() = default;

static ResolveEntity FromKnown(KnownEntity known) {
  if (!known) return {};
  return [known = std::move(known)](std::string_view id) -> std::optional<std::string> {
    if (!known(id)) return std::nullopt;
    return std::string(id);
  };
}

template <typename T>
Result<RecordImporter<T>> RecordImporter<T>::Open(const std::string& path, KnownEntity known, ImportOptions options) {
  return Open(path, FromKnown(std::move(known)), std::move(options));
}

template <typename T>
Result<RecordImporter<T>> RecordImporter<T>::FromString(std::string csv, KnownEntity known, ImportOptions options) {
  return FromString(std::move(csv), FromKnown(std::move(known)), std::move(options));
}

template <typename T>
Result<RecordImporter<T>> RecordImporter<T>::Open(const std::string& path, ResolveEntity known, ImportOptions options) {
  return StartRecords<T>(CsvReader::Open(path, options.csv), std::move(known), options, path,
                         [](std::unique_ptr<Impl> i) { return RecordImporter<T>(std::move(i)); });
}

template <typename T>
Result<RecordImporter<T>> RecordImporter<T>::FromString(std::string csv, ResolveEntity known, ImportOptions options) {
  return StartRecords<T>(CsvReader::FromString(std::move(csv), options.csv), std::move(known), options, "<memory>",
                         [](std::unique_ptr<Impl> i) { return RecordImporter<T>(std::move(i)); });
}

template <typename T>
void RecordImporter<T>::OnReject(std::function<void(const RejectedRow&)> sink) {
  impl_->sink = std::move(sink);
}

template <typename T>
void RecordImporter<T>::UseMemberships(std::vector<MembershipRef> memberships) {
  impl_->memberships = std::make_unique<MembershipIndex>(std::move(memberships));
}

template <typename T>
bool RecordImporter<T>::NextBatch(std::vector<T>& out, std::size_t max_records) {
  out.clear();
  if (max_records == 0) max_records = 1;
  T value;
  while (!impl_->done && out.size() < max_records) {
    if (impl_->Produce(value)) out.push_back(std::move(value));
    else impl_->done = true;
  }
  Encoding e = impl_->reader->encoding();
  impl_->report.encoding = EncodingName(e == Encoding::kAuto ? Encoding::kUtf8 : e);
  return !out.empty();
}

template <typename T>
const ImportReport& RecordImporter<T>::report() const {
  return impl_->report;
}
template <typename T>
const std::vector<std::string>& RecordImporter<T>::columns() const {
  return impl_->header;
}

template class RecordImporter<ResultRow>;
template class RecordImporter<PenaltyRow>;
template class RecordImporter<ListDecisionRow>;
template class RecordImporter<ExternalRow>;
template class RecordImporter<AnnualReportRow>;
template class RecordImporter<RepairRow>;
template class RecordImporter<ComplaintRow>;

}  // namespace suiji::import
