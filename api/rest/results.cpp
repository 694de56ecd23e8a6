// Inspection results (抽查检查结果), for regulators; scoped by the task's org unit (404 outside it). An
// officer's token sees and enters only its own team's tasks (the token is tied to the officer's
// certificate number).
//   GET  /api/v1/tasks?draw_id=                 the tasks of revealed, paired draws, with their results' state
//   POST /api/v1/results  {"draw_id", "entity_id", "result", "findings": [{"item", "outcome", "note"?}],
//                          "inspected_on", "concluded_on"?, "follow_up"?: {"kind", "deadline"?, "to"?}}
//                                               the draft (201 new; 200 rewritten), by an officer of the team
//   GET  /api/v1/results?draw_id=&state=        the latest version of each result the caller may see
//   GET  /api/v1/results/due?within=N&today=    unpublished results due within N working days, overdue first
//   GET  /api/v1/results/{id}                   one result: every version and objection
//   POST /api/v1/results/{id}/sign              an officer of the team signs (two signatures submit it)
//   POST /api/v1/results/{id}/evidence?name=    the body is the file: stored by SHA-256, listed on the draft
//   POST /api/v1/results/{id}/return {"reason"} | /approve   a reviewer (not of the team)
//   POST /api/v1/results/{id}/publish           approved -> published; the answer carries the objection
//                                               code for the entity, once
//   GET  /api/v1/objections?state=              objections to the caller's results
//   POST /api/v1/objections/{receipt}/decision {"decision": "rejected"|"upheld", "reason", "correction"?}
#include "api/app/results.h"
#include "api/rest/handlers.h"
#include "core/date.h"
#include "core/result_codes.h"

namespace suiji::rest {

JsonDoc ResultJson(const store::ResultRecord& r) {
  JsonDoc findings = JsonDoc::array(), evidence = JsonDoc::array();
  for (const auto& f : r.findings) findings.push_back({{"item", f.item}, {"outcome", f.outcome}, {"note", f.note}});
  for (const auto& e : r.evidence) evidence.push_back({{"sha256", e.sha256}, {"name", e.name}, {"bytes", e.bytes}});
  const ResultCode* code = ResultCodes::Default().Find(r.result_code);
  return {{"result_id", r.result_id},
          {"version", r.version},
          {"state", r.state},
          {"draw_id", r.draw_id},
          {"pairing_id", r.pairing_id},
          {"entity_id", r.entity_id},
          {"plan_id", r.plan_id},
          {"org_unit", r.org_unit},
          {"department", r.department},
          {"result", r.result_code},
          {"result_label", code ? code->label_zh : ""},
          {"findings", findings},
          {"inspected_on", r.inspected_on},
          {"concluded_on", r.concluded_on},
          {"follow_up", {{"kind", r.follow_up.kind}, {"deadline", r.follow_up.deadline}, {"to", r.follow_up.to}}},
          {"evidence", evidence},
          {"team", r.team},
          {"signatures", r.signatures},
          {"return_reason", r.return_reason},
          {"reviewed_by", r.reviewed_by},
          {"due_on", r.due_on},
          {"published_on", r.published_on},
          {"correction_reason", r.correction_reason},
          {"updated_at", r.updated_at}};
}

namespace {

std::optional<Response> NeedDb(Call& c, std::optional<DbLease>& db) {
  auto lease = c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  db.emplace(std::move(lease).value());
  return std::nullopt;
}

// The officer a write is by: the token's, required.
std::optional<Response> NeedOfficer(Call& c) {
  if (c.who && !c.who->officer.empty()) return std::nullopt;
  return c.Fail(Forbidden("only an officer's token (suiji client add --officer CERT) enters and signs results"));
}

bool Sees(const Call& c, const std::vector<std::string>& team, const std::string& unit) {
  if (c.who && c.who->role == "officer") return std::find(team.begin(), team.end(), c.who->officer) != team.end();
  return c.scope.SeesUnit(unit);
}

// The latest version of a result the caller may see; else the response to give (404 outside scope).
std::optional<Response> Visible(Call& c, store::Database& db, const std::string& id, store::ResultRecord* out) {
  auto r = store::ResultStore(db).Latest(id);
  if (!r) return c.Fail(r.error());
  if (!r.value() || !Sees(c, r.value()->team, r.value()->org_unit)) return c.Fail(NotFound("no result " + id));
  *out = *r.value();
  return std::nullopt;
}

Response Tasks(Call& c) {
  if (auto p = OnlyQuery(c.req, {"draw_id"})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  const bool officer = c.who && c.who->role == "officer";
  auto tasks = app::ListTasks(**db, c.req.Query("draw_id"), officer ? c.who->officer : "");
  if (!tasks) return c.Fail(tasks.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& t : tasks.value()) {
    if (!Sees(c, t.team, t.org_unit)) continue;
    items.push_back({{"result_id", t.result_id},
                     {"draw_id", t.draw_id},
                     {"pairing_id", t.pairing_id},
                     {"plan_id", t.plan_id},
                     {"org_unit", t.org_unit},
                     {"department", t.department},
                     {"entity_id", t.entity_id},
                     {"items", t.items},
                     {"team", t.team},
                     {"state", t.result ? JsonDoc(t.result->state) : JsonDoc("open")},
                     {"due_on", t.result ? JsonDoc(t.result->due_on) : JsonDoc(nullptr)}});
  }
  return c.Ok({{"items", items}});
}

Response Enter(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  if (auto r = NeedOfficer(c)) return *r;
  Problem problem;
  auto b = ObjectBody(c.req, {"draw_id", "entity_id", "result", "findings", "inspected_on", "concluded_on", "follow_up"},
                      &problem);
  if (!b) return c.Fail(problem);
  if (!b->contains("draw_id") || !(*b)["draw_id"].is_string() || !b->contains("entity_id") || !(*b)["entity_id"].is_string())
    return c.Fail(BadRequest("draw_id and entity_id are required strings", {{"draw_id", "required"}}));
  auto in = ParseResultInput(*b, &problem);
  if (!in) return c.Fail(problem);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  const std::string draw_id = (*b)["draw_id"], entity_id = (*b)["entity_id"];
  auto tasks = app::ListTasks(**db, draw_id, c.who->officer);
  if (!tasks) return c.Fail(tasks.error());
  bool mine = false, existed = false;
  for (const auto& t : tasks.value())
    if (t.entity_id == entity_id) {
      mine = true;
      existed = t.result.has_value();
    }
  if (!mine) return c.Fail(NotFound("no task of yours for entity " + entity_id + " in draw " + draw_id));
  auto r = app::EnterResult(**db, *c.svc.calendar, draw_id, entity_id, *in, c.who->officer, Actor(c));
  if (!r) return c.Fail(r.error());
  Response res = c.Ok(ResultJson(r.value()), existed ? 200 : 201);
  res.headers.push_back({"Location", "/api/v1/results/" + r->result_id});
  return res;
}

Response List(Call& c) {
  if (auto p = OnlyQuery(c.req, {"draw_id", "state"})) return c.Fail(*p);
  const std::string state = c.req.Query("state");
  if (!state.empty() && state != "draft" && state != "submitted" && state != "returned" && state != "approved" &&
      state != "published")
    return c.Fail(Unprocessable("unknown state", {{"state", "draft, submitted, returned, approved or published"}}));
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto rows = store::ResultStore(**db).LatestWhere(c.req.Query("draw_id"), state);
  if (!rows) return c.Fail(rows.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& r : rows.value())
    if (Sees(c, r.team, r.org_unit)) items.push_back(ResultJson(r));
  return c.Ok({{"items", items}});
}

Response Due(Call& c) {
  if (auto p = OnlyQuery(c.req, {"within", "today"})) return c.Fail(*p);
  int within = 5;
  if (c.req.HasQuery("within")) {
    const std::string w = c.req.Query("within");
    if (w.empty() || w.size() > 3 || w.find_first_not_of("0123456789") != std::string::npos)
      return c.Fail(BadRequest("within is a number of working days, 0-999", {{"within", "not a number"}}));
    within = std::stoi(w);
  }
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto today = ParseDate(c.req.HasQuery("today") ? c.req.Query("today") : (**db).Now().substr(0, 10));
  if (!today) return c.Fail(Unprocessable("today is not a date", {{"today", today.error().message}}));
  auto due = app::DueResults(**db, *c.svc.calendar, today.value(), within);
  if (!due) return c.Fail(due.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& d : due.value())
    if (Sees(c, d.record.team, d.record.org_unit)) {
      JsonDoc j = ResultJson(d.record);
      j["working_days_left"] = d.working_days_left;
      j["overdue"] = d.working_days_left < 0;
      items.push_back(j);
    }
  return c.Ok({{"today", FormatDate(today.value())}, {"within", within}, {"items", items}});
}

Response Get(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  store::ResultRecord rec;
  if (auto r = Visible(c, **db, c.params.at("id"), &rec)) return *r;
  store::ResultStore rs(**db);
  auto versions = rs.Versions(rec.result_id);
  auto objections = rs.Objections(rec.result_id);
  if (!versions) return c.Fail(versions.error());
  if (!objections) return c.Fail(objections.error());
  JsonDoc out = ResultJson(rec);
  JsonDoc all = JsonDoc::array(), obj = JsonDoc::array();
  for (const auto& v : versions.value()) all.push_back(ResultJson(v));
  for (const auto& o : objections.value())
    obj.push_back({{"receipt_no", o.receipt_no}, {"version", o.version}, {"filed_at", o.filed_at}, {"reason", o.reason},
                   {"contact", o.contact}, {"state", o.state}, {"decision_reason", o.decision_reason},
                   {"decided_at", o.decided_at}, {"corrected_version", o.corrected_version}});
  out["versions"] = all;
  out["objections"] = obj;
  return c.Ok(out);
}

// The result named by the path, visible to the caller, with a connection; else the response to give.
std::optional<Response> Load(Call& c, std::optional<DbLease>& db, store::ResultRecord* rec,
                             std::initializer_list<BodyField> fields, std::optional<JsonDoc>* body) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  if (body) {
    Problem problem;
    if (c.req.body.empty() && fields.size() == 0) *body = JsonDoc::object();
    else *body = JsonBody(c.req, fields, &problem);
    if (!*body) return c.Fail(problem);
  }
  if (auto r = NeedDb(c, db)) return r;
  return Visible(c, **db, c.params.at("id"), rec);
}

Response Sign(Call& c) {
  if (auto r = NeedOfficer(c)) return *r;
  std::optional<DbLease> db;
  store::ResultRecord rec;
  std::optional<JsonDoc> body;
  if (auto r = Load(c, db, &rec, {}, &body)) return *r;
  auto out = app::SignResult(**db, rec.result_id, c.who->officer, Actor(c));
  if (!out) return c.Fail(out.error());
  return c.Ok(ResultJson(out.value()));
}

Response AddEvidence(Call& c) {
  if (auto p = OnlyQuery(c.req, {"name"})) return c.Fail(*p);
  if (auto r = NeedOfficer(c)) return *r;
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  store::ResultRecord rec;
  if (auto r = Visible(c, **db, c.params.at("id"), &rec)) return *r;
  auto out = app::AddEvidence(**db, c.svc.evidence_dir, rec.result_id, c.req.Query("name"), c.req.body, c.who->officer, Actor(c));
  if (!out) return c.Fail(out.error());
  return c.Ok(ResultJson(out.value()), 201);
}

Response Return(Call& c) {
  std::optional<DbLease> db;
  store::ResultRecord rec;
  std::optional<JsonDoc> body;
  if (auto r = Load(c, db, &rec, {{"reason", BodyField::kString, true}}, &body)) return *r;
  const std::string reason = (*body)["reason"].get<std::string>();
  auto out = app::ReturnResult(**db, rec.result_id, reason, c.who->officer, Actor(c));
  if (!out) return c.Fail(out.error());
  return c.Ok(ResultJson(out.value()));
}

Response Approve(Call& c) {
  std::optional<DbLease> db;
  store::ResultRecord rec;
  std::optional<JsonDoc> body;
  if (auto r = Load(c, db, &rec, {}, &body)) return *r;
  auto out = app::ApproveResult(**db, rec.result_id, c.who->officer, Actor(c));
  if (!out) return c.Fail(out.error());
  return c.Ok(ResultJson(out.value()));
}

Response Publish(Call& c) {
  std::optional<DbLease> db;
  store::ResultRecord rec;
  std::optional<JsonDoc> body;
  if (auto r = Load(c, db, &rec, {}, &body)) return *r;
  auto out = app::PublishResult(**db, rec.result_id, Actor(c));
  if (!out) return c.Fail(out.error());
  JsonDoc j = ResultJson(out->record);
  j["on_time"] = out->on_time;
  j["objection_code"] = out->objection_code;
  return c.Ok(j);
}

Response Objections(Call& c) {
  if (auto p = OnlyQuery(c.req, {"state"})) return c.Fail(*p);
  const std::string state = c.req.Query("state");
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  store::ResultStore rs(**db);
  auto latest = rs.LatestWhere("", "published");
  if (!latest) return c.Fail(latest.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& r : latest.value()) {
    if (!Sees(c, r.team, r.org_unit)) continue;
    auto obj = rs.Objections(r.result_id);
    if (!obj) return c.Fail(obj.error());
    for (const auto& o : obj.value())
      if (state.empty() || o.state == state)
        items.push_back({{"receipt_no", o.receipt_no}, {"result_id", o.result_id}, {"version", o.version},
                         {"entity_id", r.entity_id}, {"filed_at", o.filed_at}, {"reason", o.reason},
                         {"contact", o.contact}, {"state", o.state}, {"decision_reason", o.decision_reason},
                         {"decided_at", o.decided_at}, {"corrected_version", o.corrected_version}});
  }
  return c.Ok({{"items", items}});
}

Response Decide(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto b = ObjectBody(c.req, {"decision", "reason", "correction"}, &problem);
  if (!b) return c.Fail(problem);
  if (!b->contains("decision") || !(*b)["decision"].is_string() || !b->contains("reason") || !(*b)["reason"].is_string())
    return c.Fail(BadRequest("decision and reason are required strings", {{"decision", "required"}}));
  std::optional<app::ResultInput> correction;
  if (b->contains("correction")) {
    const auto& k = (*b)["correction"];
    if (!k.is_object()) return c.Fail(BadRequest("correction is the corrected result", {{"correction", "an object"}}));
    for (const auto& [name, v] : k.items())
      if (name != "result" && name != "findings" && name != "inspected_on" && name != "concluded_on" && name != "follow_up")
        return c.Fail(BadRequest("unknown member correction." + name, {{"correction." + name, "unknown member"}}));
    correction = ParseResultInput(k, &problem);
    if (!correction) return c.Fail(problem);
  }
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  store::ResultStore rs(**db);
  auto o = rs.Objection(c.params.at("receipt"));
  if (!o) return c.Fail(o.error());
  if (!o.value()) return c.Fail(NotFound("no objection " + c.params.at("receipt")));
  store::ResultRecord rec;
  if (auto r = Visible(c, **db, o.value()->result_id, &rec)) return c.Fail(NotFound("no objection " + c.params.at("receipt")));
  auto d = app::DecideObjection(**db, *c.svc.calendar, o.value()->receipt_no, (*b)["decision"], (*b)["reason"], correction,
                                Actor(c));
  if (!d) return c.Fail(d.error());
  JsonDoc out{{"receipt_no", d->objection.receipt_no}, {"state", d->objection.state},
              {"decision_reason", d->objection.decision_reason}, {"decided_at", d->objection.decided_at},
              {"corrected_version", d->objection.corrected_version}};
  if (d->corrected) out["corrected"] = ResultJson(*d->corrected);
  return c.Ok(out);
}

}  // namespace

void AddResultRoutes(Router& r) {
  r.Add({"GET", "/api/v1/tasks", "results.read", Tasks, "inspection tasks of revealed, paired draws (an officer: its own)"});
  r.Add({"POST", "/api/v1/results", "results.enter", Enter, "enter or rewrite a task's draft result (an officer of its team)"});
  r.Add({"GET", "/api/v1/results", "results.read", List, "the latest version of each result"});
  r.Add({"GET", "/api/v1/results/due", "results.read", Due, "unpublished results due within N working days, and overdue ones"});
  r.Add({"GET", "/api/v1/results/{id}", "results.read", Get, "one result with every version and objection"});
  r.Add({"POST", "/api/v1/results/{id}/sign", "results.enter", Sign, "sign a draft; two officers' signatures submit it"});
  r.Add({"POST", "/api/v1/results/{id}/evidence", "results.enter", AddEvidence, "add an evidence file (stored by SHA-256)"});
  r.Add({"POST", "/api/v1/results/{id}/return", "results.review", Return, "return a submitted result with a reason"});
  r.Add({"POST", "/api/v1/results/{id}/approve", "results.review", Approve, "approve a submitted result"});
  r.Add({"POST", "/api/v1/results/{id}/publish", "results.publish", Publish, "publish an approved result"});
  r.Add({"GET", "/api/v1/objections", "results.read", Objections, "objections to the caller's published results"});
  r.Add({"POST", "/api/v1/objections/{receipt}/decision", "objections.decide", Decide,
         "decide an objection: rejected, or upheld with the corrected result"});
}

}  // namespace suiji::rest
