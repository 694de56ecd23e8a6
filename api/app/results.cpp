#include "api/app/results.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "api/app/draws.h"
#include "core/canonical_json.h"
#include "core/region.h"
#include "core/result_codes.h"
#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/draw_store.h"
#include "data/store/inspection_store.h"
#include "data/store/officer_store.h"
#include "rules/plan_parse.h"

namespace suiji::app {
namespace {

Error Invalid(const std::string& field, const std::string& message) { return Error{"result.invalid", message, field}; }

std::string ResultIdOf(const std::string& draw_id, const std::string& entity_id) {
  return "R-" + Sha256Hex(draw_id + "|" + entity_id).substr(0, 12);
}

std::string Today(store::Database& db) { return db.Now().substr(0, 10); }

// A random code a person can type: 4 groups of 4 hex digits.
std::string NewCode() {
  std::random_device rd;
  std::string raw;
  for (int i = 0; i < 8; ++i) raw += std::to_string(rd()) + ":";
  const std::string h = Sha256Hex(raw);
  return h.substr(0, 4) + "-" + h.substr(4, 4) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4);
}

bool Contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The tasks of one revealed draw: its latest ok pairing's teams, the plan's items and department.
// Pairings name officers by pseudonym (commitments are public); tasks keep their certificate numbers.
Result<std::map<std::string, std::string>> CertsByPseudonym(store::Database& db) {
  auto secret = PseudonymSecret(db);
  if (!secret) return secret.error();
  std::map<std::string, std::string> out;
  auto st = store::OfficerStore(db).ForEach([&](const Officer& o) {
    out.emplace(OfficerPseudonym(secret.value(), o.cert_no), o.cert_no);
    return true;
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<Task>> TasksOfDraw(store::Database& db, const store::DrawRecord& d,
                                      const std::map<std::string, std::string>& cert_of) {
  std::vector<Task> out;
  if (d.state != "revealed") return out;
  auto pairings = store::DrawStore(db).Pairings(d.draw_id);
  if (!pairings) return pairings.error();
  const store::PairingRecord* ok = nullptr;
  for (const auto& p : pairings.value())
    if (p.state == "revealed" && p.status == "ok") ok = &p;
  if (!ok) return out;
  auto pairing = LoadRevealedPairing(db, ok->pairing_id);
  if (!pairing) return pairing.error();
  auto plan = rules::ParsePlan(d.plan_text, "plan of " + d.draw_id, {});
  if (!plan.ok()) return Error{"plan.invalid", "the stored plan of " + d.draw_id + " does not parse", "plan"};
  for (const auto& t : pairing->pairing.teams) {
    Task k;
    k.result_id = ResultIdOf(d.draw_id, t.entity_id);
    k.draw_id = d.draw_id;
    k.pairing_id = ok->pairing_id;
    k.plan_id = d.plan_id;
    k.org_unit = plan.plan.org_unit;
    k.department = plan.plan.departments.empty() ? "" : plan.plan.departments.front().code;
    k.entity_id = t.entity_id;
    k.items = plan.plan.items;
    for (const auto& m : t.members) {
      auto it = cert_of.find(m.officer);
      if (it == cert_of.end())
        return Error{"task.officer", "officer " + m.officer + " of draw " + d.draw_id + " is no longer in the register", "team"};
      k.team.push_back(it->second);
    }
    out.push_back(std::move(k));
  }
  return out;
}

Status Audit(store::Transaction& tx, const std::string& actor, const std::string& action, const store::ResultRecord& r,
             Json extra = Json::object()) {
  extra["result_id"] = r.result_id;
  extra["version"] = r.version;
  extra["state"] = r.state;
  extra["entity_id"] = r.entity_id;
  extra["draw_id"] = r.draw_id;
  auto ev = store::AppendAuditEvent(tx, actor, action, "results/" + r.result_id, extra);
  if (!ev) return ev.error();
  return OkStatus();
}

// An unpublished result's new state, stamped, stored and audited in one transaction.
Status SaveTransition(store::Database& db, store::ResultRecord& r, const std::string& actor, const std::string& action,
                      Json extra = Json::object()) {
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  r.updated_at = db.Now();
  if (auto st = store::ResultStore(db).Update(tx.value(), r); !st) return st.error();
  if (auto st = Audit(tx.value(), actor, action, r, std::move(extra)); !st) return st.error();
  return tx.value().Commit();
}

Result<store::ResultRecord> MustLatest(store::Database& db, const std::string& result_id) {
  auto r = store::ResultStore(db).Latest(result_id);
  if (!r) return r.error();
  if (!r.value()) return Error{"result.unknown", "no result " + result_id + " (enter it first)", "result_id"};
  return *r.value();
}

Status NotOfTeam(const store::ResultRecord& r, const std::string& reviewer_officer) {
  if (!reviewer_officer.empty() && Contains(r.team, reviewer_officer))
    return Error{"result.forbidden", "officer " + reviewer_officer + " is of the inspecting team and cannot review its result",
                 "reviewer"};
  return OkStatus();
}

// Checks `in` against the task and the vocabulary; fills the record's result fields and due date.
Status Apply(const WorkingCalendar& cal, const std::vector<std::string>& items, const ResultInput& in,
             const std::string& today, store::ResultRecord& r) {
  const ResultCode* code = ResultCodes::Default().Find(in.result_code);
  if (!code) {
    std::string known;
    for (const auto& c : ResultCodes::Default().all()) known += (known.empty() ? "" : ", ") + c.code;
    return Invalid("result", "'" + in.result_code + "' is not in the result vocabulary (" + known + ")");
  }
  auto inspected = ParseDate(in.inspected_on);
  if (!inspected) return Invalid("inspected_on", "inspected_on: " + inspected.error().message);
  auto concluded = ParseDate(in.concluded_on.empty() ? in.inspected_on : in.concluded_on);
  if (!concluded) return Invalid("concluded_on", "concluded_on: " + concluded.error().message);
  if (concluded->days < inspected->days) return Invalid("concluded_on", "the conclusion is before the inspection");
  if (FormatDate(concluded.value()) > today) return Invalid("concluded_on", "the conclusion date is in the future");
  std::set<std::string> seen;
  bool any_problem = false;
  for (const auto& f : in.findings) {
    if (!Contains(items, f.item)) return Invalid("findings", "item " + f.item + " is not an item of the plan");
    if (!seen.insert(f.item).second) return Invalid("findings", "item " + f.item + " has two findings");
    if (f.outcome != "no_problem" && f.outcome != "problem")
      return Invalid("findings", "the finding of item " + f.item + " is no_problem or problem, not '" + f.outcome + "'");
    if (f.note.size() > 4000) return Invalid("findings", "the note of item " + f.item + " is over 4000 bytes");
    any_problem = any_problem || f.outcome == "problem";
  }
  for (const auto& i : items)
    if (!seen.count(i)) return Invalid("findings", "item " + i + " of the plan has no finding");
  if (any_problem && !code->problem)
    return Invalid("result", "a finding is a problem but the result '" + code->label_zh + "' says none was found");
  if (code->code == "corrected" && (in.follow_up.kind != "order_correction" || in.follow_up.deadline.empty()))
    return Invalid("follow_up", "发现问题已责令改正 needs the follow-up order_correction with its deadline");
  const auto& k = in.follow_up.kind;
  if (!k.empty() && k != "order_correction" && k != "transfer" && k != "penalty")
    return Invalid("follow_up", "the follow-up is order_correction, transfer or penalty");
  if (k == "order_correction") {
    auto d = ParseDate(in.follow_up.deadline);
    if (!d) return Invalid("follow_up", "the correction deadline: " + d.error().message);
    if (d->days < concluded->days) return Invalid("follow_up", "the correction deadline is before the conclusion");
  }
  if (k == "transfer" && in.follow_up.to.empty()) return Invalid("follow_up", "a transfer names the department it goes to");
  auto due = cal.AddWorkingDays(concluded.value(), kPublicationWorkingDays);
  if (!due) return due.error();
  r.result_code = code->code;
  r.findings = in.findings;
  r.inspected_on = FormatDate(inspected.value());
  r.concluded_on = FormatDate(concluded.value());
  r.follow_up = in.follow_up;
  r.due_on = FormatDate(due.value());
  return OkStatus();
}

// A new current published version: the public search's row and the inspection history row the
// sampler and the credit indicators read.
Status Feed(store::Transaction& tx, const store::ResultRecord& r, const std::string& actor) {
  if (auto st = store::ResultStore(tx.db()).SetCurrentPublished(tx, r); !st) return st.error();
  const ResultCode* code = ResultCodes::Default().Find(r.result_code);
  store::Inspection i{r.entity_id, r.department, r.inspected_on, code ? code->outcome : "other", r.team, r.plan_id};
  auto st = store::InspectionStore(tx.db()).Upsert(tx, std::vector<store::Inspection>{i}, actor);
  if (!st) return st.error();
  return OkStatus();
}

}  // namespace

Result<std::vector<Task>> ListTasks(store::Database& db, const std::string& draw_id, const std::string& officer) {
  store::DrawStore ds(db);
  std::vector<store::DrawRecord> draws;
  if (!draw_id.empty()) {
    auto d = ds.GetDraw(draw_id);
    if (!d) return d.error();
    if (!d.value()) return Error{"draw.unknown", "no draw " + draw_id, "draw_id"};
    draws.push_back(*d.value());
  } else {
    auto all = ds.ListDraws();
    if (!all) return all.error();
    draws = std::move(all).value();
  }
  std::vector<Task> out;
  store::ResultStore rs(db);
  auto cert_of = CertsByPseudonym(db);
  if (!cert_of) return cert_of.error();
  for (const auto& d : draws) {
    auto tasks = TasksOfDraw(db, d, cert_of.value());
    if (!tasks) return tasks.error();
    auto results = rs.LatestWhere(d.draw_id, "");
    if (!results) return results.error();
    std::map<std::string, const store::ResultRecord*> by_id;
    for (const auto& r : results.value()) by_id[r.result_id] = &r;
    for (auto& t : tasks.value()) {
      if (!officer.empty() && !Contains(t.team, officer)) continue;
      if (auto it = by_id.find(t.result_id); it != by_id.end()) t.result = *it->second;
      out.push_back(std::move(t));
    }
  }
  return out;
}

Result<Task> GetTask(store::Database& db, const std::string& result_id) {
  auto r = store::ResultStore(db).Latest(result_id);
  if (!r) return r.error();
  if (!r.value()) return Error{"task.unknown", "no task " + result_id, "result_id"};
  auto tasks = ListTasks(db, r.value()->draw_id);
  if (!tasks) return tasks.error();
  for (auto& t : tasks.value())
    if (t.result_id == result_id) return std::move(t);
  return Error{"task.unknown", "task " + result_id + " is no longer in its draw's pairing", "result_id"};
}

Result<store::ResultRecord> EnterResult(store::Database& db, const WorkingCalendar& cal, const std::string& draw_id,
                                        const std::string& entity_id, const ResultInput& in, const std::string& officer,
                                        const std::string& actor) {
  auto tasks = ListTasks(db, draw_id);
  if (!tasks) return tasks.error();
  const Task* task = nullptr;
  for (const auto& t : tasks.value())
    if (t.entity_id == entity_id) task = &t;
  if (!task)
    return Error{"task.unknown",
                 "entity " + entity_id + " is not a task of draw " + draw_id + " (the draw must be revealed and paired)",
                 "entity_id"};
  if (officer.empty() || !Contains(task->team, officer))
    return Error{"result.forbidden", "only an officer of the task's team may enter its result", "officer"};
  store::ResultRecord r;
  const bool exists = task->result.has_value();
  if (exists) {
    r = *task->result;
    if (r.state != "draft" && r.state != "returned")
      return Error{"result.state", "result " + r.result_id + " is " + r.state + ": only a draft or a returned result is edited",
                   "state"};
  } else {
    r.result_id = task->result_id;
    r.draw_id = task->draw_id;
    r.pairing_id = task->pairing_id;
    r.entity_id = task->entity_id;
    r.plan_id = task->plan_id;
    r.org_unit = task->org_unit;
    r.department = task->department;
    r.team = task->team;
  }
  if (auto st = Apply(cal, task->items, in, Today(db), r); !st) return st.error();
  r.state = "draft";
  r.signatures.clear();  // an edit needs every signature again
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  r.updated_at = db.Now();
  store::ResultStore rs(db);
  if (auto st = exists ? rs.Update(tx.value(), r) : rs.Insert(tx.value(), r); !st) return st.error();
  if (auto st = Audit(tx.value(), actor, "result.enter", r,
                      {{"result_code", r.result_code}, {"inspected_on", r.inspected_on}, {"concluded_on", r.concluded_on},
                       {"due_on", r.due_on}, {"officer", officer}});
      !st)
    return st.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return r;
}

Result<store::ResultRecord> SignResult(store::Database& db, const std::string& result_id, const std::string& officer,
                                       const std::string& actor) {
  auto got = MustLatest(db, result_id);
  if (!got) return got.error();
  store::ResultRecord r = std::move(got).value();
  if (officer.empty() || !Contains(r.team, officer))
    return Error{"result.forbidden", "only an officer of the task's team signs its result", "officer"};
  if (r.state != "draft")
    return Error{"result.state", "result " + result_id + " is " + r.state + ": only a draft is signed", "state"};
  if (Contains(r.signatures, officer))
    return Error{"result.state", "officer " + officer + " has signed already; a second officer of the team must sign", "officer"};
  r.signatures.push_back(officer);
  if (r.signatures.size() >= 2) r.state = "submitted";
  if (auto st = SaveTransition(db, r, actor, r.state == "submitted" ? "result.submit" : "result.sign",
                               {{"officer", officer}, {"signatures", r.signatures}});
      !st)
    return st.error();
  return r;
}

Result<store::ResultRecord> ReturnResult(store::Database& db, const std::string& result_id, const std::string& reason,
                                         const std::string& reviewer_officer, const std::string& actor) {
  auto got = MustLatest(db, result_id);
  if (!got) return got.error();
  store::ResultRecord r = std::move(got).value();
  if (auto st = NotOfTeam(r, reviewer_officer); !st) return st.error();
  if (r.state != "submitted")
    return Error{"result.state", "result " + result_id + " is " + r.state + ": only a submitted result is returned", "state"};
  if (reason.empty()) return Invalid("reason", "a returned result says why");
  r.state = "returned";
  r.return_reason = reason;
  r.signatures.clear();
  r.reviewed_by = actor;
  if (auto st = SaveTransition(db, r, actor, "result.return", {{"reason", reason}}); !st) return st.error();
  return r;
}

Result<store::ResultRecord> ApproveResult(store::Database& db, const std::string& result_id,
                                          const std::string& reviewer_officer, const std::string& actor) {
  auto got = MustLatest(db, result_id);
  if (!got) return got.error();
  store::ResultRecord r = std::move(got).value();
  if (auto st = NotOfTeam(r, reviewer_officer); !st) return st.error();
  if (r.state != "submitted")
    return Error{"result.state", "result " + result_id + " is " + r.state + ": only a submitted result is approved", "state"};
  r.state = "approved";
  r.reviewed_by = actor;
  r.return_reason.clear();
  if (auto st = SaveTransition(db, r, actor, "result.approve"); !st) return st.error();
  return r;
}

Result<Publication> PublishResult(store::Database& db, const std::string& result_id, const std::string& actor) {
  auto got = MustLatest(db, result_id);
  if (!got) return got.error();
  store::ResultRecord r = std::move(got).value();
  if (r.state != "approved")
    return Error{"result.state", "result " + result_id + " is " + r.state + ": only an approved result is published", "state"};
  Publication out;
  out.objection_code = NewCode();
  r.objection_code_hash = Sha256Hex(out.objection_code);
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  r.state = "published";
  r.published_at = db.Now();
  r.published_on = r.published_at.substr(0, 10);
  r.updated_at = r.published_at;
  out.on_time = r.published_on <= r.due_on;
  store::ResultStore rs(db);
  if (auto st = rs.Update(tx.value(), r); !st) return st.error();
  auto seq = rs.AppendPublication(tx.value(), r.result_id, r.version, "published", r.entity_id);
  if (!seq) return seq.error();
  if (auto st = Feed(tx.value(), r, actor); !st) return st.error();
  if (auto st = Audit(tx.value(), actor, "result.publish", r,
                      {{"published_on", r.published_on}, {"due_on", r.due_on}, {"on_time", out.on_time},
                       {"publication_seq", seq.value()}, {"result_code", r.result_code}});
      !st)
    return st.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  out.record = std::move(r);
  return out;
}

Result<store::ResultRecord> AddEvidence(store::Database& db, const std::string& dir, const std::string& result_id,
                                        const std::string& name, const std::string& bytes, const std::string& officer,
                                        const std::string& actor) {
  auto got = MustLatest(db, result_id);
  if (!got) return got.error();
  store::ResultRecord r = std::move(got).value();
  if (officer.empty() || !Contains(r.team, officer))
    return Error{"result.forbidden", "only an officer of the task's team adds evidence", "officer"};
  if (r.state != "draft" && r.state != "returned")
    return Error{"result.state", "result " + result_id + " is " + r.state + ": evidence goes with a draft", "state"};
  if (name.empty() || name.size() > 200 || name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    return Invalid("name", "the evidence's file name is 1-200 bytes without a path");
  if (bytes.empty()) return Invalid("file", "the evidence file is empty");
  const std::string sha = Sha256Hex(bytes);
  namespace fs = std::filesystem;
  const fs::path path = fs::path(dir) / sha.substr(0, 2) / sha;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Error{"io.evidence", "cannot create " + path.parent_path().string() + ": " + ec.message(), "evidence_dir"};
  if (!fs::exists(path)) {
    const fs::path tmp = path.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out) return Error{"io.evidence", "cannot write " + tmp.string(), "evidence_dir"};
    }
    fs::rename(tmp, path, ec);  // whole or absent: a crash never leaves half a file under its digest
    if (ec) return Error{"io.evidence", "cannot store " + path.string() + ": " + ec.message(), "evidence_dir"};
  }
  bool have = false;
  for (const auto& e : r.evidence) have = have || (e.sha256 == sha && e.name == name);
  if (!have) r.evidence.push_back({sha, name, static_cast<std::int64_t>(bytes.size())});
  r.signatures.clear();
  r.state = "draft";
  if (auto st = SaveTransition(db, r, actor, "result.evidence",
                               {{"sha256", sha}, {"name", name}, {"bytes", bytes.size()}, {"officer", officer}});
      !st)
    return st.error();
  return r;
}

std::string DefaultEvidenceDir(const std::string& db_url) {
  if (db_url.rfind("sqlite:", 0) == 0) {
    auto parent = std::filesystem::path(db_url.substr(7)).parent_path();
    return (parent.empty() ? std::filesystem::path(".") : parent).append("evidence").string();
  }
  return "evidence";
}

Result<int> ObjectionWindow(const std::string& department) {
  const std::string path = DataDir() + "/reference/objection_windows.csv";
  std::ifstream in(path);
  if (!in) return Error{"objection.window", "cannot read " + path, "path"};
  std::string line;
  std::getline(in, line);
  int fallback = -1;
  while (std::getline(in, line)) {
    auto c1 = line.find(','), c2 = line.find(',', c1 == std::string::npos ? c1 : c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    const std::string dept = line.substr(0, c1);
    int days = 0;
    try {
      days = std::stoi(line.substr(c1 + 1, c2 - c1 - 1));
    } catch (const std::exception&) {
      return Error{"objection.window", path + ": '" + line + "' has no working-day count", "path"};
    }
    if (dept == department) return days;
    if (dept == "*") fallback = days;
  }
  if (fallback < 0) return Error{"objection.window", path + " has no row for " + department + " and no '*' row", "path"};
  return fallback;
}

Result<store::ObjectionRecord> FileObjection(store::Database& db, const WorkingCalendar& cal, const std::string& result_id,
                                             const std::string& code, const std::string& reason,
                                             const std::string& contact) {
  auto rec = GetPublicRecord(db, result_id);
  if (!rec) return rec.error();
  if (!rec.value()) return Error{"result.unknown", "no published result " + result_id, "result_id"};
  const auto& cur = rec.value()->current();
  // The code was issued with the first publication: every version keeps the first one's hash.
  const std::string& hash = rec.value()->versions.front().objection_code_hash;
  if (hash.empty() || !ConstantTimeEqual(Sha256Hex(code), hash))
    return Error{"objection.forbidden", "the objection code does not match this result (it is on the result notice)", "code"};
  if (reason.empty() || reason.size() > 4000) return Error{"objection.invalid", "the reason is 1-4000 bytes", "reason"};
  if (contact.size() > 200) return Error{"objection.invalid", "the contact is at most 200 bytes", "contact"};
  for (const auto& o : rec.value()->objections)
    if (o.state == "pending")
      return Error{"objection.exists", "objection " + o.receipt_no + " to this result is still being decided", "result_id"};
  auto window = ObjectionWindow(cur.department);
  if (!window) return window.error();
  auto published = ParseDate(rec.value()->versions.front().published_on);
  if (!published) return published.error();
  auto last = cal.AddWorkingDays(published.value(), window.value());
  if (!last) return last.error();
  const std::string today = Today(db);
  if (today > FormatDate(last.value()))
    return Error{"objection.closed",
                 "the objection window (" + std::to_string(window.value()) + " working days after publication on " +
                     rec.value()->versions.front().published_on + ") ended on " + FormatDate(last.value()),
                 "result_id"};
  store::ObjectionRecord o;
  o.receipt_no = "YY-" + today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2) + "-" +
                 Sha256Hex(result_id + "|" + db.Now() + "|" + NewCode()).substr(0, 8);
  o.result_id = result_id;
  o.version = cur.version;
  o.filed_at = db.Now();
  o.reason = reason;
  o.contact = contact;
  o.state = "pending";
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  store::ResultStore rs(db);
  if (auto st = rs.InsertObjection(tx.value(), o); !st) return st.error();
  auto seq = rs.AppendPublication(tx.value(), result_id, cur.version, "objection_filed", cur.entity_id);
  if (!seq) return seq.error();
  auto ev = store::AppendAuditEvent(tx.value(), "public", "objection.file", "objections/" + o.receipt_no,
                                    Json{{"receipt_no", o.receipt_no}, {"result_id", result_id}, {"version", cur.version},
                                         {"reason_sha256", Sha256Hex(reason)}});
  if (!ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return o;
}

Result<Decision> DecideObjection(store::Database& db, const WorkingCalendar& cal, const std::string& receipt_no,
                                 const std::string& decision, const std::string& reason,
                                 const std::optional<ResultInput>& correction, const std::string& actor) {
  store::ResultStore rs(db);
  auto got = rs.Objection(receipt_no);
  if (!got) return got.error();
  if (!got.value()) return Error{"objection.unknown", "no objection " + receipt_no, "receipt_no"};
  Decision out;
  out.objection = *got.value();
  if (out.objection.state != "pending")
    return Error{"objection.state", "objection " + receipt_no + " was decided (" + out.objection.state + ")", "receipt_no"};
  if (decision != "rejected" && decision != "upheld") return Error{"objection.invalid", "the decision is rejected or upheld", "decision"};
  if (reason.empty()) return Error{"objection.invalid", "a decision gives its reason (it is published)", "reason"};
  if (decision == "upheld" && !correction)
    return Error{"objection.invalid", "an upheld objection publishes a corrected result: give it", "correction"};
  if (decision == "rejected" && correction) return Error{"objection.invalid", "a rejected objection corrects nothing", "correction"};
  auto cur = MustLatest(db, out.objection.result_id);
  if (!cur) return cur.error();
  const std::string now = db.Now();
  if (correction) {
    auto task_items = [&] {
      std::vector<std::string> items;
      for (const auto& f : cur->findings) items.push_back(f.item);
      return items;
    }();
    store::ResultRecord next = cur.value();
    const std::string due_before = next.due_on;
    if (auto st = Apply(cal, task_items, *correction, now.substr(0, 10), next); !st) return st.error();
    next.due_on = due_before;  // the deadline was the first publication's
    next.version = cur->version + 1;
    next.state = "published";
    next.correction_reason = reason;
    next.published_at = now;
    next.published_on = now.substr(0, 10);
    next.updated_at = now;
    next.reviewed_by = actor;
    out.corrected = next;
  }
  out.objection.state = decision;
  out.objection.decision_reason = reason;
  out.objection.decided_at = now;
  out.objection.decided_by = actor;
  out.objection.corrected_version = out.corrected ? out.corrected->version : 0;
  auto tx = store::Transaction::Begin(db);
  if (!tx) return tx.error();
  if (auto st = rs.UpdateObjection(tx.value(), out.objection); !st) return st.error();
  if (out.corrected) {
    if (auto st = rs.Insert(tx.value(), *out.corrected); !st) return st.error();
    auto seq = rs.AppendPublication(tx.value(), out.corrected->result_id, out.corrected->version, "corrected",
                                    out.corrected->entity_id);
    if (!seq) return seq.error();
    if (auto st = Feed(tx.value(), *out.corrected, actor); !st) return st.error();
    if (auto st = Audit(tx.value(), actor, "result.correct", *out.corrected,
                        {{"receipt_no", receipt_no}, {"reason", reason}, {"result_code", out.corrected->result_code}});
        !st)
      return st.error();
  }
  auto seq = rs.AppendPublication(tx.value(), cur->result_id, cur->version,
                                  decision == "upheld" ? "objection_upheld" : "objection_rejected", cur->entity_id);
  if (!seq) return seq.error();
  auto ev = store::AppendAuditEvent(tx.value(), actor, "objection.decide", "objections/" + receipt_no,
                                    Json{{"receipt_no", receipt_no}, {"decision", decision}, {"reason", reason},
                                         {"corrected_version", out.objection.corrected_version}});
  if (!ev) return ev.error();
  if (auto st = tx.value().Commit(); !st) return st.error();
  return out;
}

Result<std::vector<DueResult>> DueResults(store::Database& db, const WorkingCalendar& cal, Date today, int within) {
  auto open = store::ResultStore(db).Unpublished();
  if (!open) return open.error();
  std::vector<DueResult> out;
  for (auto& r : open.value()) {
    auto due = ParseDate(r.due_on);
    if (!due) continue;
    int left = 0;
    if (due->days >= today.days) {
      auto n = cal.WorkingDaysBetween(today, due.value());
      if (!n) return n.error();
      left = n.value();
    } else {
      auto n = cal.WorkingDaysBetween(due.value(), today);
      if (!n) return n.error();
      left = -std::max(1, n.value());
    }
    if (left <= within) out.push_back({std::move(r), left});
  }
  return out;
}

Result<std::vector<PublicRecord>> GetPublicRecords(store::Database& db, const std::string& first, const std::string& last) {
  store::ResultStore rs(db);
  auto versions = rs.VersionsIn(first, last);
  if (!versions) return versions.error();
  auto objections = rs.ObjectionsIn(first, last);
  if (!objections) return objections.error();
  std::vector<PublicRecord> out;
  std::size_t o = 0;
  auto& obj = objections.value();
  for (auto& v : versions.value()) {
    if (v.state != "published") continue;
    if (out.empty() || out.back().current().result_id != v.result_id) out.emplace_back();
    out.back().versions.push_back(std::move(v));
  }
  for (auto& p : out) {  // both lists by result_id
    const std::string& id = p.current().result_id;
    while (o < obj.size() && obj[o].result_id < id) ++o;
    while (o < obj.size() && obj[o].result_id == id) p.objections.push_back(std::move(obj[o++]));
  }
  return out;
}

Result<std::optional<PublicRecord>> GetPublicRecord(store::Database& db, const std::string& result_id) {
  store::ResultStore rs(db);
  auto versions = rs.Versions(result_id);
  if (!versions) return versions.error();
  PublicRecord p;
  for (auto& v : versions.value())
    if (v.state == "published") p.versions.push_back(std::move(v));
  if (p.versions.empty()) return std::optional<PublicRecord>();
  auto obj = rs.Objections(result_id);
  if (!obj) return obj.error();
  p.objections = std::move(obj).value();
  return std::optional<PublicRecord>(std::move(p));
}

}  // namespace suiji::app
