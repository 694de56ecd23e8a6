#include "data/import/record_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/identifiers.h"
#include "data/import/csv_reader.h"
#include "data/import/row_intake.h"
#include "data/import/values.h"

namespace suiji::import {
namespace {

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

// A format is a table: one Column per schema field (its header labels and how its cell is read into
// the row), the fields that make the duplicate key, and the cross-field rules no single cell shows.
// A new kind of record is one such table.
enum class Cell {
  kText,            // as written ('' allowed)
  kRequired,        // non-empty text
  kUpper,           // non-empty, ASCII upper-cased (department codes)
  kEntity,          // a register entity's id, resolved to its primary id
  kOptionalEntity,  // the same, or empty
  kDate,            // YYYY-MM-DD from any accepted spelling, or empty
  kRequiredDate,
  kVocab,           // through `vocab`; an empty cell keeps the row's default
  kRequiredVocab,
  kList,            // split on ; ， 、 | into `list`
};

template <typename T>
struct Column {
  FieldSpec spec;
  Cell how = Cell::kText;
  std::string T::*to = nullptr;
  Result<std::string> (*vocab)(std::string_view) = nullptr;
  std::vector<std::string> T::*list = nullptr;
};

template <typename T>
struct RecordFormat {
  RecordKind kind;
  const char* noun;  // "<noun>.duplicate"
  std::vector<Column<T>> columns;
  std::vector<std::string T::*> key;
  int key_field;  // the column a duplicate error points at
  void (*check)(const Cells&, const ResolveEntity&, T&) = nullptr;
  std::vector<FieldSpec> specs = {};  // the columns' specs, aliases normalised (RecordSchema)
};

template <typename T>
RecordFormat<T> Made(RecordFormat<T> f) {
  for (auto& c : f.columns)
    for (auto& a : c.spec.aliases) a = NormalizeHeaderLabel(a);
  for (const auto& c : f.columns) f.specs.push_back(c.spec);
  return f;
}

template <typename T>
const RecordFormat<T>& FormatOf();

// Cross-field rules. Dates are canonical YYYY-MM-DD by now (or the bad cell, already an error), so
// byte order is date order; each rule runs only on a row whose cells were all good.
void CheckList(const Cells& c, const ResolveEntity&, ListDecisionRow& out) {
  if (c.errors->empty() && !out.removed_on.empty() && out.removed_on < out.listed_on)
    c.Error(list_field::kRemovedOn, out.removed_on, "list.removal_before_listing",
            "removal " + out.removed_on + " is before the listing " + out.listed_on);
}

void CheckAnnualReport(const Cells& c, const ResolveEntity&, AnnualReportRow& out) {
  namespace F = annual_report_field;
  std::string& y = out.year;
  if (y.ends_with("年度")) y.resize(y.size() - std::string_view("年度").size());
  else if (y.ends_with("年")) y.resize(y.size() - std::string_view("年").size());
  if (!y.empty() && (y.size() != 4 || !AllDigits(y) || y < "1980" || y > "2100"))
    c.Error(F::kYear, c.cell(F::kYear), "year.format", "'" + c.cell(F::kYear) + "' is not a report year (e.g. 2024)");
  if (c.errors->empty() && !out.filed_on.empty() && out.filed_on.substr(0, 4) <= out.year)
    c.Error(F::kFiledOn, out.filed_on, "annual_report.early",
            "a report for " + out.year + " cannot be filed before the year is over (" + out.filed_on + ")");
}

void CheckComplaint(const Cells& c, const ResolveEntity&, ComplaintRow& out) {
  if (c.errors->empty() && !out.concluded_on.empty() && out.concluded_on < out.received_on)
    c.Error(complaint_field::kConcludedOn, c.cell(complaint_field::kConcludedOn), "complaint.concluded_before_received",
            "concluded on " + out.concluded_on + ", before it was received on " + out.received_on);
}

// A repair names its membership by id, or by entity + list (the one in force on the decision date);
// the row then takes the membership's entity and list.
void CheckRepair(const Cells& c, const ResolveEntity&, RepairRow& out) {
  namespace F = repair_field;
  const std::string named = out.membership_id, entity = out.entity_id, list = out.list;
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
              "entity " + entity + " has no membership of the " + ListNoun(list) + " in force on " + out.decided_on +
                  " (listed on or before it and not ended before it)");
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

// The tables. Column order is the field enums' order in record_import.h.
template <>
const RecordFormat<ResultRow>& FormatOf() {
  using R = ResultRow;
  static const auto f = Made<R>({RecordKind::kResults, "result",
      {{{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"department", "检查部门", true, {"部门", "检查机关", "实施机关", "dept"}}, Cell::kUpper, &R::department},
       {{"inspected_on", "检查日期", true, {"检查时间", "抽查日期", "date"}}, Cell::kRequiredDate, &R::inspected_on},
       {{"result", "检查结果", true, {"抽查结果", "结果", "outcome"}}, Cell::kRequiredVocab, &R::result,
        NormalizeInspectionResult},
       {{"officers", "检查人员", false, {"执法人员", "执法证号"}}, Cell::kList, nullptr, nullptr, &R::officers},
       {{"plan_id", "抽查计划", false, {"计划编号", "抽查计划编号", "plan"}}, Cell::kText, &R::plan_id}},
      {&R::entity_id, &R::department, &R::inspected_on}, result_field::kInspectedOn});
  return f;
}

template <>
const RecordFormat<PenaltyRow>& FormatOf() {
  using R = PenaltyRow;
  static const auto f = Made<R>({RecordKind::kPenalties, "penalty",
      {{{"decision_no", "行政处罚决定书文号", true, {"决定书文号", "处罚决定书文号", "文号", "decision"}}, Cell::kRequired,
        &R::decision_no},
       {{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"department", "处罚机关", true, {"作出处罚决定机关", "决定机关", "部门", "authority"}}, Cell::kRequired,
        &R::department},
       {{"penalty_type", "处罚类别", true, {"处罚种类", "处罚类型", "type"}}, Cell::kRequiredVocab, &R::penalty_type,
        NormalizePenaltyType},
       {{"decided_on", "处罚决定日期", true, {"决定日期", "处罚日期", "date"}}, Cell::kRequiredDate, &R::decided_on},
       {{"amount", "罚没金额", false, {"罚没金额(元)", "罚款金额", "罚款金额(元)", "金额", "amount_yuan"}}, Cell::kVocab,
        &R::amount, NormalizeAmount},
       {{"legal_basis", "处罚依据", false, {"法律依据", "依据"}}, Cell::kText, &R::legal_basis}},
      {&R::decision_no}, penalty_field::kDecisionNo});
  return f;
}

template <>
const RecordFormat<ListDecisionRow>& FormatOf() {
  using R = ListDecisionRow;
  static const auto f = Made<R>({RecordKind::kLists, "list",
      {{{"id", "决定书文号", true, {"列入决定书文号", "编号", "membership_id"}}, Cell::kRequired, &R::id},
       {{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"list", "名录类别", true, {"名录", "名单类别", "类别"}}, Cell::kRequiredVocab, &R::list, NormalizeListKind},
       {{"reason", "列入事由", false, {"列入原因", "事由"}}, Cell::kText, &R::reason},
       {{"listed_on", "列入日期", true, {"列入时间", "作出决定日期"}}, Cell::kRequiredDate, &R::listed_on},
       {{"authority", "作出决定机关", false, {"列入机关", "决定机关"}}, Cell::kText, &R::authority},
       {{"cause_fixed_on", "事由消除日期", false, {"补报日期", "cause_fixed"}}, Cell::kDate, &R::cause_fixed_on},
       {{"removed_on", "移出日期", false, {"移出时间"}}, Cell::kDate, &R::removed_on},
       {{"removal_reason", "移出事由", false, {"移出原因"}}, Cell::kText, &R::removal_reason},
       {{"removal_authority", "移出机关", false, {"移出决定机关"}}, Cell::kText, &R::removal_authority}},
      {&R::id}, list_field::kId, CheckList});
  return f;
}

template <>
const RecordFormat<ExternalRow>& FormatOf() {
  using R = ExternalRow;
  static const auto f = Made<R>({RecordKind::kExternal, "external",
      {{{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"source", "数据来源", true, {"来源", "来源部门"}}, Cell::kRequired, &R::source},
       {{"name", "指标名称", true, {"指标", "indicator"}}, Cell::kRequired, &R::name},
       {{"as_of", "数据日期", true, {"日期", "date"}}, Cell::kRequiredDate, &R::as_of},
       {{"value", "指标值", true, {"值", "数值"}}, Cell::kRequiredVocab, &R::value, NormalizeDecimal}},
      {&R::entity_id, &R::source, &R::name, &R::as_of}, external_field::kAsOf});
  return f;
}

template <>
const RecordFormat<AnnualReportRow>& FormatOf() {
  using R = AnnualReportRow;
  static const auto f = Made<R>({RecordKind::kAnnualReports, "annual_report",
      {{{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"year", "报告年度", true, {"年度", "年报年度", "report_year"}}, Cell::kRequired, &R::year},
       {{"filed_on", "报送日期", true, {"公示日期", "报送时间", "filed"}}, Cell::kRequiredDate, &R::filed_on}},
      {&R::entity_id, &R::year}, annual_report_field::kYear, CheckAnnualReport});
  return f;
}

template <>
const RecordFormat<RepairRow>& FormatOf() {
  using R = RepairRow;
  static const auto f = Made<R>({RecordKind::kRepairs, "repair",
      {{{"decision_no", "信用修复决定书文号", true, {"修复决定书文号", "决定书文号", "文号", "decision"}}, Cell::kRequired,
        &R::decision_no},
       {{"membership_id", "列入决定书文号", false, {"列入文号", "名录决定书文号", "membership"}}, Cell::kText,
        &R::membership_id},
       {{"entity_id", "统一社会信用代码", false, kEntityAliases}, Cell::kOptionalEntity, &R::entity_id},
       {{"list", "名录类别", false, {"名录", "名单类别", "类别"}}, Cell::kVocab, &R::list, NormalizeListKind},
       {{"decided_on", "修复决定日期", true, {"决定日期", "修复日期", "作出决定日期", "date"}}, Cell::kRequiredDate,
        &R::decided_on},
       {{"authority", "作出决定机关", true, {"决定机关", "修复机关", "authority"}}, Cell::kRequired, &R::authority},
       {{"outcome", "修复结果", false, {"决定结果", "结果", "是否准予修复"}}, Cell::kVocab, &R::outcome,
        NormalizeRepairOutcome},
       {{"reason", "修复理由", false, {"理由", "事由", "修复事由", "不予修复理由"}}, Cell::kText, &R::reason}},
      {&R::decision_no}, repair_field::kDecisionNo, CheckRepair});
  return f;
}

template <>
const RecordFormat<ComplaintRow>& FormatOf() {
  using R = ComplaintRow;
  static const auto f = Made<R>({RecordKind::kComplaints, "complaint",
      {{{"reference_no", "投诉举报编号", true, {"编号", "工单号", "登记编号", "reference"}}, Cell::kRequired,
        &R::reference_no},
       {{"entity_id", "统一社会信用代码", true, kEntityAliases}, Cell::kEntity, &R::entity_id},
       {{"received_on", "登记日期", true, {"受理日期", "投诉举报日期", "接收日期", "received"}}, Cell::kRequiredDate,
        &R::received_on},
       {{"substantiated", "是否属实", true, {"核查结果", "处理结果", "属实"}}, Cell::kRequiredVocab, &R::substantiated,
        NormalizeSubstantiated},
       {{"concluded_on", "办结日期", false, {"办结时间", "结案日期", "concluded"}}, Cell::kDate, &R::concluded_on},
       {{"source", "来源", false, {"投诉举报来源", "渠道", "来源渠道"}}, Cell::kText, &R::source},
       {{"department", "承办部门", false, {"处理部门", "承办单位", "dept"}}, Cell::kText, &R::department}},
      {&R::reference_no}, complaint_field::kReferenceNo, CheckComplaint});
  return f;
}

// One row through its format's table: every cell read in column order, then the cross-field rules.
template <typename T>
void Validate(const RecordFormat<T>& fmt, const Cells& c, const ResolveEntity& known, T& out) {
  out = T{};
  for (std::size_t i = 0; i < fmt.columns.size(); ++i) {
    const Column<T>& col = fmt.columns[i];
    const int f = static_cast<int>(i);
    std::string v;
    switch (col.how) {
      case Cell::kText: v = c.cell(f); break;
      case Cell::kRequired: v = c.Required(f); break;
      case Cell::kUpper: v = UpperAscii(c.Required(f)); break;
      case Cell::kEntity: v = c.Entity(f, known); break;
      case Cell::kOptionalEntity: v = c.OptionalEntity(f, known); break;
      case Cell::kDate: v = c.Date(f, false); break;
      case Cell::kRequiredDate: v = c.Date(f, true); break;
      case Cell::kVocab:
        if (c.cell(f).empty()) continue;  // the row's default stands
        v = c.Normalised(f, col.vocab, false);
        break;
      case Cell::kRequiredVocab: v = c.Normalised(f, col.vocab, true); break;
      case Cell::kList: out.*(col.list) = SplitList(c.cell(f)); continue;
    }
    out.*(col.to) = std::move(v);
  }
  if (fmt.check) fmt.check(c, known, out);
}

template <typename T>
std::string KeyOf(const RecordFormat<T>& fmt, const T& row) {
  std::string key;
  for (std::size_t i = 0; i < fmt.key.size(); ++i) {
    if (i) key += '\x1f';
    key += row.*(fmt.key[i]);
  }
  return key;
}

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
  switch (kind) {
    case RecordKind::kResults: return FormatOf<ResultRow>().specs;
    case RecordKind::kPenalties: return FormatOf<PenaltyRow>().specs;
    case RecordKind::kLists: return FormatOf<ListDecisionRow>().specs;
    case RecordKind::kExternal: return FormatOf<ExternalRow>().specs;
    case RecordKind::kAnnualReports: return FormatOf<AnnualReportRow>().specs;
    case RecordKind::kRepairs: return FormatOf<RepairRow>().specs;
    case RecordKind::kComplaints: return FormatOf<ComplaintRow>().specs;
  }
  return FormatOf<ResultRow>().specs;
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
struct RecordImporter<T>::Impl : RowIntake {
  ResolveEntity known;
  HeaderMap map;
  std::unique_ptr<MembershipIndex> memberships;

  static const RecordFormat<T>& format() { return FormatOf<T>(); }
  const std::vector<FieldSpec>& schema() const { return format().specs; }

  Status MapHeader() {
    std::vector<RowError> warnings;
    auto m = MapColumns(schema(), RecordKindName(format().kind), columns, warnings);
    if (!m) return m.error();
    map = std::move(m).value();
    NoteWarnings(warnings);
    return OkStatus();
  }

  bool Produce(T& out) {
    const RecordFormat<T>& fmt = format();
    while (ReadData()) {
      std::vector<RowError> errors, warnings;
      if (!Structural(errors)) {
        Cells cells{&map.field_column, &columns, &rec.fields, &schema(), rec.row, &errors, &warnings, memberships.get()};
        Validate(fmt, cells, known, out);
        if (errors.empty()) {
          const std::string noun = fmt.noun;
          FirstOfKey(KeyOf(fmt, out), rec.row, noun, cells.label(fmt.key_field), cells.cell(fmt.key_field),
                     "this " + noun, "are the same " + noun, errors);
        }
      }
      if (!errors.empty()) {
        Reject(rec.row, rec.text, errors);
        continue;
      }
      Accept(warnings);
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
  if (auto st = impl->Start(std::move(reader).value(), options, source); !st) return st.error();
  impl->known = std::move(known);
  impl->report.register_kind = RecordKindName(FormatOf<T>().kind);
  if (auto st = impl->MapHeader(); !st) {
    Error e = st.error();
    e.message = source + ": row 1 (header): " + e.message;
    return e;
  }
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
  impl_->NoteEncoding();
  return !out.empty();
}

template <typename T>
const ImportReport& RecordImporter<T>::report() const {
  return impl_->report;
}
template <typename T>
const std::vector<std::string>& RecordImporter<T>::columns() const {
  return impl_->columns;
}

template class RecordImporter<ResultRow>;
template class RecordImporter<PenaltyRow>;
template class RecordImporter<ListDecisionRow>;
template class RecordImporter<ExternalRow>;
template class RecordImporter<AnnualReportRow>;
template class RecordImporter<RepairRow>;
template class RecordImporter<ComplaintRow>;

}  // namespace suiji::import
