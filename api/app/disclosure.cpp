#include "api/app/disclosure.h"

#include <algorithm>

#include "api/app/draws.h"
#include "core/result_codes.h"
#include "data/store/draw_store.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "data/store/org_unit_store.h"
#include "data/store/plan_store.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace suiji::app {
namespace {

std::size_t Utf8Chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

bool PersonalName(const Entity& e) {
  if (std::find(e.repairs.begin(), e.repairs.end(), "name.from_operator") != e.repairs.end()) return true;
  return e.entity_type == "sole_proprietor" && Utf8Chars(e.name) <= 4;
}
std::string Masked(const std::string& name) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const bool lead = (static_cast<unsigned char>(name[i]) & 0xC0) != 0x80;
    if (lead) ++chars;
    if (chars == 1) out += name[i];
    else if (lead) out += '*';
  }
  return out;
}

std::string PublicName(const Entity& e) { return PersonalName(e) ? Masked(e.name) : e.name; }

PublicJson PublicEntity(const Entity& e, const RegionTable& regions) {
  const bool personal = PersonalName(e);
  const bool sole = personal || e.entity_type == "sole_proprietor";
  const std::string* region_name = regions.Name(e.region);
  PublicJson j{{"id", e.id.value},
            {"regno", e.regno},
            {"name", personal ? Masked(e.name) : e.name},
            {"region", e.region},
            {"region_name", region_name ? *region_name : ""},
            {"industry", e.industry},
            {"type_label", e.type_label},
            {"status", e.status},
            {"established", e.established}};
  if (!sole) j["address"] = e.address;
  return j;
}

Result<Disclosure> Disclosure::Open(store::Database& db, const RegionTable& regions) {
  auto secret = PseudonymSecret(db);
  if (!secret) return secret.error();
  return Disclosure{db, regions, secret.value(), {}};
}

const std::optional<Entity>& Disclosure::EntityOf(const std::string& id) {
  auto it = entities.find(id);
  if (it != entities.end()) return it->second;
  auto e = store::EntityStore(db).Get(id);
  return entities[id] = e ? e.value() : std::nullopt;
}

Status Disclosure::Prefetch(const std::vector<std::string>& ids) {
  std::vector<std::string> missing;
  for (const auto& id : ids)
    if (!entities.count(id)) missing.push_back(id);
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  auto got = store::EntityStore(db).GetMany(missing);
  if (!got) return got.error();
  for (const auto& id : missing) entities[id] = std::nullopt;
  for (auto& e : got.value()) entities[e.id.value] = std::move(e);
  return OkStatus();
}

PublicJson ResultLabel(const std::string& code) {
  const ResultCode* c = ResultCodes::Default().Find(code);
  return {{"code", code}, {"label_zh", c ? c->label_zh : ""}, {"label_en", c ? c->label_en : ""}};
}

PublicJson Disclosure::Version(const store::ResultRecord& r) {
  PublicJson items = PublicJson::array(), team = PublicJson::array();
  for (const auto& f : r.findings) items.push_back({{"item", f.item}, {"outcome", f.outcome}});
  for (const auto& cert : r.team) team.push_back(OfficerPseudonym(secret, cert));
  PublicJson follow = nullptr;
  if (!r.follow_up.kind.empty()) follow = {{"kind", r.follow_up.kind}, {"deadline", r.follow_up.deadline}, {"to", r.follow_up.to}};
  PublicJson entity = nullptr;
  if (const auto& e = EntityOf(r.entity_id)) entity = PublicEntity(*e, regions);
  return {{"record_id", r.result_id},
          {"version", r.version},
          {"entity", entity},
          {"department", r.department},
          {"plan_id", r.plan_id},
          {"draw_id", r.draw_id},
          {"items", items},
          {"result", ResultLabel(r.result_code)},
          {"inspected_on", r.inspected_on},
          {"concluded_on", r.concluded_on},
          {"published_on", r.published_on},
          {"due_on", r.due_on},
          {"on_time", r.version > 1 || r.published_on <= r.due_on},
          {"follow_up", follow},
          {"team", team},
          {"correction_reason", r.correction_reason}};
}

PublicJson PublicObjection(const store::ObjectionRecord& o) {
  return {{"receipt_no", o.receipt_no},       {"version", o.version},
          {"filed_on", o.filed_at.substr(0, 10)}, {"state", o.state},
          {"decision_reason", o.decision_reason}, {"decided_on", o.decided_at.substr(0, 10)},
          {"corrected_version", o.corrected_version}};
}

PublicJson Disclosure::Record(const PublicRecord& p) {
  PublicJson j = Version(p.current());
  j["first_published_on"] = p.versions.front().published_on;
  j["on_time"] = p.versions.front().published_on <= p.versions.front().due_on;
  PublicJson history = PublicJson::array(), objections = PublicJson::array();
  for (const auto& v : p.versions)
    history.push_back({{"version", v.version}, {"result", ResultLabel(v.result_code)}, {"published_on", v.published_on},
                       {"correction_reason", v.correction_reason}});
  for (const auto& o : p.objections) objections.push_back(PublicObjection(o));
  j["history"] = history;
  j["objections"] = objections;
  PublicJson pending = nullptr;
  for (const auto& o : p.objections)
    if (o.state == "pending") pending = PublicObjection(o);
  j["pending_objection"] = pending;
  return j;
}

namespace {

std::string Percent(std::int64_t bp) {
  std::string s = std::to_string(bp / 100);
  if (bp % 100) {
    s += '.' + std::to_string(bp % 100 / 10);
    if (bp % 10) s += std::to_string(bp % 10);
  }
  return s + "%";
}

PublicJson PlanJson(store::Database& db, const RegionTable& regions, const rules::Plan& p) {
  PublicJson departments = PublicJson::array(), items = PublicJson::array(), region_list = PublicJson::array();
  std::map<std::string, const InspectionItem*> names;
  std::vector<InspectionItem> all;
  for (const auto& d : p.departments) {
    departments.push_back({{"code", d.code}, {"name", d.name}, {"officers_per_team", d.officers}});
    if (auto list = store::ItemStore(db).ByDepartment(d.code))
      for (auto& it : list.value()) all.push_back(std::move(it));
  }
  for (const auto& it : all) names.emplace(it.code, &it);
  for (const auto& code : p.items) {
    auto it = names.find(code);
    items.push_back({{"code", code}, {"name", it == names.end() ? "" : it->second->name},
                     {"department", it == names.end() ? "" : it->second->department}});
  }
  for (const auto& r : p.filter.regions) {
    const std::string* n = regions.Name(r);
    region_list.push_back({{"code", r}, {"name", n ? *n : ""}});
  }
  PublicJson sampling = PublicJson::array();
  for (const auto& s : p.strata)
    sampling.push_back({{"stratum", s.name}, {"ratio", Percent(s.ratio_bp)},
                        {"min", s.min_count ? PublicJson(*s.min_count) : PublicJson(nullptr)},
                        {"max", s.max_count ? PublicJson(*s.max_count) : PublicJson(nullptr)}});
  PublicJson exclusions{{"deregistered", p.exclusions.deregistered},
                        {"recently_inspected_days", nullptr},
                        {"annual_cap", nullptr},
                        {"explicit_count", p.exclusions.explicit_entities.size()}};
  if (p.exclusions.recently_inspected) exclusions["recently_inspected_days"] = p.exclusions.recently_inspected->days;
  if (p.exclusions.annual_cap) exclusions["annual_cap"] = p.exclusions.annual_cap->max;
  PublicJson entropy{{"source", p.entropy.source}};
  if (p.entropy.source == "beacon") {
    entropy["beacon"] = p.entropy.beacon;
    entropy["round"] = p.entropy.round;
  } else {
    entropy["digits"] = p.entropy.digits;
  }
  std::string unit_name;
  if (auto u = store::OrgUnitStore(db).Get(p.org_unit); u && u.value()) unit_name = u.value()->name;
  return {{"plan_id", p.id},
          {"title", p.title},
          {"year", p.year},
          {"org_unit", p.org_unit},
          {"org_unit_name", unit_name},
          {"plan_digest", rules::PlanDigest(p)},
          {"departments", departments},
          {"items", items},
          {"population", {{"regions", region_list}, {"industries", p.filter.industries},
                          {"entity_types", p.filter.entity_types}, {"special_registers", p.filter.special_registers}}},
          {"sampling", sampling},
          {"max_entities_per_officer", p.max_entities_per_officer ? PublicJson(*p.max_entities_per_officer)
                                                                  : PublicJson(nullptr)},
          {"exclusions", exclusions},
          {"schedule", {{"start", FormatDate(p.schedule.start)}, {"end", FormatDate(p.schedule.end)}}},
          {"entropy", entropy}};
}

}  // namespace

Result<PublicJson> PublicPlans(store::Database& db, const RegionTable& regions, const std::string& plan_id) {
  auto draws = store::DrawStore(db).ListDraws();
  if (!draws) return draws.error();
  // plan id -> its draws (in the store's order: by commitment) and the text of the latest.
  std::map<std::string, std::vector<const store::DrawRecord*>> by_plan;
  for (const auto& d : draws.value())
    if (plan_id.empty() || d.plan_id == plan_id) by_plan[d.plan_id].push_back(&d);
  std::map<std::string, std::string> texts;
  for (const auto& [id, list] : by_plan) texts[id] = list.back()->plan_text;
  auto stored = store::PlanStore(db).ListLatest();
  if (!stored) return stored.error();
  for (const auto& s : stored.value()) {
    if ((!plan_id.empty() && s.plan_id != plan_id) || texts.count(s.plan_id)) continue;
    auto full = store::PlanStore(db).Latest(s.plan_id);
    if (!full) return full.error();
    if (full.value()) texts[s.plan_id] = full.value()->plan_text;
  }
  PublicJson out = PublicJson::array();
  for (const auto& [id, text] : texts) {
    auto parsed = rules::ParsePlan(text, id);
    if (!parsed.ok()) continue;  // a stored or committed plan always parses; never show a half plan
    PublicJson j = PlanJson(db, regions, parsed.plan);
    PublicJson list = PublicJson::array();
    for (const auto* d : by_plan[id])
      list.push_back({{"draw_id", d->draw_id}, {"state", d->state}, {"committed_at", d->committed_at},
                      {"revealed_at", d->revealed_at}, {"supersedes", d->supersedes}, {"reason", d->reason}});
    j["draws"] = list;
    out.push_back(std::move(j));
  }
  return out;
}

const std::string& FieldLabelsZhJson() {
  static const std::string text = [] {
    PublicJson j{{"record_id", "记录编号"}, {"version", "版本"}, {"entity", "检查对象"}, {"id", "统一社会信用代码/注册号"},
                 {"regno", "注册号"}, {"name", "名称"}, {"region", "登记机关区划"}, {"region_name", "区划名称"},
                 {"industry", "行业代码"}, {"type_label", "企业类型"}, {"status", "登记状态"}, {"established", "成立日期"},
                 {"address", "住所"}, {"department", "检查部门"}, {"plan_id", "抽查计划"}, {"draw_id", "抽取编号"},
                 {"items", "检查事项"}, {"item", "事项编码"}, {"outcome", "检查情况"}, {"result", "检查结果"},
                 {"code", "代码"}, {"label_zh", "中文名称"}, {"label_en", "英文名称"}, {"inspected_on", "检查日期"},
                 {"concluded_on", "检查结束日期"}, {"published_on", "公示日期"}, {"first_published_on", "首次公示日期"},
                 {"due_on", "应公示截止日期"}, {"on_time", "按期公示"}, {"follow_up", "后续处置"}, {"kind", "处置方式"},
                 {"deadline", "整改期限"}, {"to", "移送部门"}, {"team", "检查人员（化名）"}, {"correction_reason", "更正理由"},
                 {"history", "历史版本"}, {"objections", "异议"}, {"pending_objection", "待处理异议"},
                 {"receipt_no", "受理编号"}, {"filed_on", "异议日期"}, {"state", "状态"}, {"decision_reason", "处理理由"},
                 {"decided_on", "处理日期"}, {"corrected_version", "更正版本"}, {"inspections", "抽查检查记录"},
                 {"lists", "名录"}, {"list_label", "名录类别"}, {"reason", "列入事由"}, {"listed_on", "列入日期"},
                 {"authority", "作出决定机关"}, {"removed_on", "移出日期"}, {"removal_reason", "移出事由"},
                 {"removal_authority", "移出机关"}, {"measures_in_force", "正在实施的联合惩戒措施"}, {"measure", "惩戒措施"},
                 {"memorandum_title", "合作备忘录"}, {"document", "文号"}, {"legal_basis", "法律依据"},
                 {"start_on", "起始日期"}, {"end_on", "截止日期"}, {"commitment_digest", "承诺摘要"},
                 {"committed_at", "承诺时间"}, {"revealed_at", "揭示时间"}, {"entropy", "公开随机数"},
                 {"seed_hash", "种子摘要"}, {"drawn", "抽中对象"}, {"substitutions", "替补"}, {"total", "总数"},
                 {"next_after", "下一页"}, {"published", "已公示"}, {"with_problems", "发现问题"},
                 {"published_on_time", "按期公示数"}, {"by_department", "按部门"}, {"by_region", "按区划"},
                 {"by_item", "按事项"}, {"by_result", "按结果"}, {"by_month", "按月份"},
                 {"title", "计划名称"}, {"year", "年度"}, {"org_unit", "制定单位"}, {"org_unit_name", "制定单位名称"},
                 {"plan_digest", "计划摘要"}, {"departments", "参与部门"}, {"officers_per_team", "每组人数"},
                 {"population", "抽查对象范围"}, {"regions", "区划"}, {"industries", "行业"},
                 {"entity_types", "主体类型"}, {"special_registers", "重点名录"}, {"sampling", "抽查比例"},
                 {"stratum", "分层"}, {"ratio", "比例"}, {"min", "最少"}, {"max", "最多"},
                 {"max_entities_per_officer", "每人最多检查对象数"}, {"exclusions", "排除规则"},
                 {"deregistered", "排除已注销吊销"}, {"recently_inspected_days", "近期已检查排除天数"},
                 {"annual_cap", "年度检查次数上限"}, {"explicit_count", "逐一排除对象数"}, {"schedule", "实施期间"},
                 {"start", "开始"}, {"end", "结束"}, {"source", "来源"}, {"beacon", "随机信标"}, {"round", "轮次"},
                 {"digits", "位数"}, {"draws", "抽取"}, {"supersedes", "取代"},
                 {"latest_draw", "最近一次抽取"}, {"draw_head", "抽取日志摘要"}, {"head", "摘要"},
                 {"events", "事件数"}, {"seq", "序号"}, {"hash", "哈希"}, {"next_since", "下一序号"}};
    return j.dump(-1, ' ', false);
  }();
  return text;
}

}  // namespace suiji::app
