// Inspection results and objections (docs/results.md), the CLI adapter over api/app/results.h:
//   suiji task list [--draw D] [--officer CERT]
//   suiji result enter DRAW ENTITY --officer CERT --result CODE --inspected-on D [--concluded-on D]
//                [--finding ITEM=no_problem|problem[:NOTE]]... [--all-items OUTCOME]
//                [--follow-up order_correction|transfer|penalty --deadline D --to DEPT]
//   suiji result sign|evidence RESULT [FILE] --officer CERT
//   suiji result return RESULT --reason R | approve RESULT | publish RESULT   [--reviewer-officer CERT]
//   suiji result show RESULT | list [--draw D] [--state S] | due [--within N] [--today D]
//   suiji objection file RESULT --code C --reason R [--contact T]
//   suiji objection decide RECEIPT --decision rejected|upheld --reason R [the enter flags: the correction]
#include <iostream>
#include <memory>

#include "api/app/results.h"
#include "api/cli/support.h"
#include "core/result_codes.h"

namespace {

using namespace suiji;
using cli::Fail;
using cli::Must;

struct Args {
  std::string draw, entity, officer, result_id, file, reason, state, today, code, contact, decision;
  std::string result_code, inspected_on, concluded_on, follow_up, deadline, to, all_items;
  std::string reviewer_officer, evidence_dir, actor = "cli";
  std::vector<std::string> findings;
  int within = 5;
};

WorkingCalendar Calendar(const std::string& cmd) { return Must(cmd, WorkingCalendar::LoadDefault()); }

// The result the flags describe; items with no --finding get --all-items when it is given.
app::ResultInput Input(const std::string& cmd, const Args& a, const std::vector<std::string>& plan_items) {
  app::ResultInput in;
  in.result_code = a.result_code;
  in.inspected_on = a.inspected_on;
  in.concluded_on = a.concluded_on;
  in.follow_up = {a.follow_up, a.deadline, a.to};
  for (const auto& f : a.findings) {
    auto eq = f.find('=');
    if (eq == std::string::npos) Fail(cmd, "--finding " + f + ": ITEM=no_problem|problem[:NOTE]");
    store::Finding x{f.substr(0, eq), f.substr(eq + 1), ""};
    if (auto colon = x.outcome.find(':'); colon != std::string::npos) {
      x.note = x.outcome.substr(colon + 1);
      x.outcome.resize(colon);
    }
    in.findings.push_back(std::move(x));
  }
  if (!a.all_items.empty())
    for (const auto& item : plan_items) {
      bool given = false;
      for (const auto& f : in.findings) given = given || f.item == item;
      if (!given) in.findings.push_back({item, a.all_items, ""});
    }
  return in;
}

void Print(const store::ResultRecord& r) {
  const ResultCode* c = ResultCodes::Default().Find(r.result_code);
  std::cout << "result " << r.result_id << " v" << r.version << "  " << r.state << "  entity " << r.entity_id << "  draw "
            << r.draw_id << "\n"
            << "  " << r.result_code << " (" << (c ? c->label_zh : "?") << ")  inspected " << r.inspected_on
            << "  concluded " << r.concluded_on << "  publish by " << r.due_on
            << (r.published_on.empty() ? "" : "  published " + r.published_on) << "\n";
  for (const auto& f : r.findings) std::cout << "  item " << f.item << ": " << f.outcome << (f.note.empty() ? "" : " — " + f.note) << "\n";
  if (!r.follow_up.kind.empty())
    std::cout << "  follow-up " << r.follow_up.kind << (r.follow_up.deadline.empty() ? "" : " by " + r.follow_up.deadline)
              << (r.follow_up.to.empty() ? "" : " to " + r.follow_up.to) << "\n";
  for (const auto& e : r.evidence) std::cout << "  evidence " << e.name << " " << e.bytes << " bytes sha256 " << e.sha256 << "\n";
  std::string team, signed_by;
  for (const auto& t : r.team) team += (team.empty() ? "" : ", ") + t;
  for (const auto& t : r.signatures) signed_by += (signed_by.empty() ? "" : ", ") + t;
  std::cout << "  team " << team << (signed_by.empty() ? "" : "; signed by " + signed_by) << "\n";
  if (!r.return_reason.empty()) std::cout << "  returned: " << r.return_reason << "\n";
  if (!r.correction_reason.empty()) std::cout << "  corrected: " << r.correction_reason << "\n";
}

// The flags that describe a result: required when entering, optional for a decision (upheld only).
void AddResultFlags(CLI::App* c, const std::shared_ptr<Args>& a, bool required) {
  c->add_option("--result", a->result_code, "result code or label (data/reference/inspection_results.csv)")->required(required);
  c->add_option("--inspected-on", a->inspected_on, "inspection date YYYY-MM-DD")->required(required);
  c->add_option("--concluded-on", a->concluded_on, "conclusion date (default the inspection date)");
  c->add_option("--finding", a->findings, "ITEM=no_problem|problem[:NOTE], one per item of the plan");
  c->add_option("--all-items", a->all_items, "this outcome for every plan item without its own --finding");
  c->add_option("--follow-up", a->follow_up, "order_correction (责令改正), transfer (移送) or penalty (立案查处)");
  c->add_option("--deadline", a->deadline, "the correction deadline, YYYY-MM-DD");
  c->add_option("--to", a->to, "the department a transfer goes to");
}

}  // namespace

SUIJI_COMMAND(62) {
  auto a = std::make_shared<Args>();
  auto* task = app.add_subcommand("task", "inspection tasks of revealed, paired draws");
  task->require_subcommand(1);
  auto* tl = task->add_subcommand("list", "every task with its result's state");
  tl->add_option("--draw", a->draw, "only this draw");
  tl->add_option("--officer", a->officer, "only the tasks of this officer's team (certificate number)");
  tl->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "task list");
    auto tasks = Must("task list", app::ListTasks(*db, a->draw, a->officer));
    for (const auto& t : tasks) {
      std::string team;
      for (const auto& m : t.team) team += (team.empty() ? "" : ",") + m;
      std::cout << t.result_id << "  " << t.draw_id << "  " << t.entity_id << "  " << (t.result ? t.result->state : "open")
                << "  team " << team << "\n";
    }
    std::cout << tasks.size() << (tasks.size() == 1 ? " task\n" : " tasks\n");
  });

  auto* result = app.add_subcommand("result", "inspection results (抽查检查结果): enter, sign, review, publish");
  result->require_subcommand(1);
  auto* enter = result->add_subcommand("enter", "enter or rewrite the draft result of a task (an officer of its team)");
  enter->add_option("DRAW", a->draw)->required();
  enter->add_option("ENTITY", a->entity)->required();
  enter->add_option("--officer", a->officer, "the entering officer's certificate number")->required();
  AddResultFlags(enter, a, true);
  enter->add_option("--actor", a->actor, "who, in the audit log");
  enter->callback([&globals, a] {
    const std::string cmd = "result enter";
    auto db = cli::OpenDb(globals, cmd);
    auto tasks = Must(cmd, app::ListTasks(*db, a->draw));
    std::vector<std::string> items;
    for (const auto& t : tasks)
      if (t.entity_id == a->entity) items = t.items;
    auto r = Must(cmd, app::EnterResult(*db, Calendar(cmd), a->draw, a->entity, Input(cmd, *a, items), a->officer, a->actor));
    Print(r);
  });
  auto* sign = result->add_subcommand("sign", "sign a draft (a second officer's signature submits it)");
  sign->add_option("RESULT", a->result_id)->required();
  sign->add_option("--officer", a->officer, "the signing officer's certificate number")->required();
  sign->add_option("--actor", a->actor, "who, in the audit log");
  sign->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result sign");
    Print(Must("result sign", app::SignResult(*db, a->result_id, a->officer, a->actor)));
  });
  auto* ev = result->add_subcommand("evidence", "add an evidence file to a draft (stored by SHA-256)");
  ev->add_option("RESULT", a->result_id)->required();
  ev->add_option("FILE", a->file)->required();
  ev->add_option("--officer", a->officer, "the officer's certificate number")->required();
  ev->add_option("--evidence-dir", a->evidence_dir, "where evidence is kept (default beside a SQLite file, else ./evidence)");
  ev->add_option("--actor", a->actor, "who, in the audit log");
  ev->callback([&globals, a] {
    const std::string cmd = "result evidence";
    auto db = cli::OpenDb(globals, cmd);
    const std::string dir = a->evidence_dir.empty() ? app::DefaultEvidenceDir(globals.db_url) : a->evidence_dir;
    const std::string name = a->file.substr(a->file.find_last_of('/') + 1);
    Print(Must(cmd, app::AddEvidence(*db, dir, a->result_id, name, cli::ReadFile(cmd, a->file), a->officer, a->actor)));
  });
  auto* ret = result->add_subcommand("return", "return a submitted result to its team, with the reason");
  ret->add_option("RESULT", a->result_id)->required();
  ret->add_option("--reason", a->reason, "why")->required();
  ret->add_option("--reviewer-officer", a->reviewer_officer, "the reviewer's own certificate number, if any");
  ret->add_option("--actor", a->actor, "the reviewer, in the audit log");
  ret->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result return");
    Print(Must("result return", app::ReturnResult(*db, a->result_id, a->reason, a->reviewer_officer, a->actor)));
  });
  auto* approve = result->add_subcommand("approve", "approve a submitted result");
  approve->add_option("RESULT", a->result_id)->required();
  approve->add_option("--reviewer-officer", a->reviewer_officer, "the reviewer's own certificate number, if any");
  approve->add_option("--actor", a->actor, "the reviewer, in the audit log");
  approve->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result approve");
    Print(Must("result approve", app::ApproveResult(*db, a->result_id, a->reviewer_officer, a->actor)));
  });
  auto* publish = result->add_subcommand("publish", "publish an approved result; prints the entity's objection code once");
  publish->add_option("RESULT", a->result_id)->required();
  publish->add_option("--actor", a->actor, "who publishes, in the audit log");
  publish->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result publish");
    auto p = Must("result publish", app::PublishResult(*db, a->result_id, a->actor));
    Print(p.record);
    std::cout << "published " << p.record.published_on << (p.on_time ? " (on time" : " (LATE") << ": due "
              << p.record.due_on << ")\n"
              << "objection code (shown once; give it to the entity with the result notice): " << p.objection_code << "\n";
  });
  auto* show = result->add_subcommand("show", "a result: every version and objection");
  show->add_option("RESULT", a->result_id)->required();
  show->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result show");
    store::ResultStore rs(*db);
    auto versions = Must("result show", rs.Versions(a->result_id));
    if (versions.empty()) Fail("result show", "no result " + a->result_id);
    for (const auto& v : versions) Print(v);
    for (const auto& o : Must("result show", rs.Objections(a->result_id)))
      std::cout << "objection " << o.receipt_no << "  v" << o.version << "  " << o.state << "  filed " << o.filed_at
                << (o.decision_reason.empty() ? "" : "  decision: " + o.decision_reason) << "\n";
  });
  auto* list = result->add_subcommand("list", "the latest version of each result");
  list->add_option("--draw", a->draw, "only this draw");
  list->add_option("--state", a->state, "only this state");
  list->callback([&globals, a] {
    auto db = cli::OpenDb(globals, "result list");
    auto rows = Must("result list", store::ResultStore(*db).LatestWhere(a->draw, a->state));
    for (const auto& r : rows)
      std::cout << r.result_id << "  v" << r.version << "  " << r.state << "  " << r.entity_id << "  " << r.result_code
                << "  due " << r.due_on << (r.published_on.empty() ? "" : "  published " + r.published_on) << "\n";
    std::cout << rows.size() << (rows.size() == 1 ? " result\n" : " results\n");
  });
  auto* due = result->add_subcommand("due", "unpublished results due within N working days, and overdue ones");
  due->add_option("--within", a->within, "working days (default 5)");
  due->add_option("--today", a->today, "as of this date (default today)");
  due->callback([&globals, a] {
    const std::string cmd = "result due";
    auto db = cli::OpenDb(globals, cmd);
    const Date today = Must(cmd, ParseDate(a->today.empty() ? db->Now().substr(0, 10) : a->today));
    auto rows = Must(cmd, app::DueResults(*db, Calendar(cmd), today, a->within));
    for (const auto& d : rows)
      std::cout << d.record.result_id << "  " << d.record.state << "  due " << d.record.due_on << "  "
                << (d.working_days_left < 0 ? "OVERDUE by " + std::to_string(-d.working_days_left)
                                            : std::to_string(d.working_days_left) + " left")
                << " working days\n";
    std::cout << rows.size() << " due within " << a->within << " working days of " << FormatDate(today) << "\n";
  });

  auto* objection = app.add_subcommand("objection", "objections (异议) to published results");
  objection->require_subcommand(1);
  auto* file = objection->add_subcommand("file", "the entity objects, with the code from its result notice");
  file->add_option("RESULT", a->result_id)->required();
  file->add_option("--code", a->code, "the objection code")->required();
  file->add_option("--reason", a->reason, "why the result is wrong")->required();
  file->add_option("--contact", a->contact, "how to reach the entity (never published)");
  file->callback([&globals, a] {
    const std::string cmd = "objection file";
    auto db = cli::OpenDb(globals, cmd);
    auto o = Must(cmd, app::FileObjection(*db, Calendar(cmd), a->result_id, a->code, a->reason, a->contact));
    std::cout << "objection " << o.receipt_no << " filed against " << o.result_id << " v" << o.version << " (pending)\n";
  });
  auto* decide = objection->add_subcommand("decide", "reject an objection, or uphold it with the corrected result");
  decide->add_option("RECEIPT", a->code)->required();
  decide->add_option("--decision", a->decision, "rejected or upheld")->required();
  decide->add_option("--reason", a->reason, "the decision's reason (published)")->required();
  AddResultFlags(decide, a, false);  // upheld: the corrected result
  decide->add_option("--actor", a->actor, "the deciding reviewer, in the audit log");
  decide->callback([&globals, a] {
    const std::string cmd = "objection decide";
    auto db = cli::OpenDb(globals, cmd);
    std::optional<app::ResultInput> correction;
    if (a->decision == "upheld") {
      auto o = Must(cmd, store::ResultStore(*db).Objection(a->code));
      if (!o) Fail(cmd, "no objection " + a->code);
      auto cur = Must(cmd, store::ResultStore(*db).Latest(o->result_id));
      std::vector<std::string> items;
      if (cur)
        for (const auto& f : cur->findings) items.push_back(f.item);
      correction = Input(cmd, *a, items);
    }
    auto d = Must(cmd, app::DecideObjection(*db, Calendar(cmd), a->code, a->decision, a->reason, correction, a->actor));
    std::cout << "objection " << d.objection.receipt_no << " " << d.objection.state << ": " << d.objection.decision_reason << "\n";
    if (d.corrected) Print(*d.corrected);
  });
}
