#include "api/app/disclosure.h"

#include <algorithm>

#include "api/app/draws.h"
#include "core/result_codes.h"
#include "data/store/entity_store.h"

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


}  // namespace suiji::app
