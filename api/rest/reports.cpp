// Reports (api/app/reports.h), in any of ?format=html|csv|xlsx|json (default html) and ?lang=zh|en:
//   GET /api/v1/reports/plans/{id}?copy=regulator|public   a plan of the caller's units (404 outside)
//   GET /api/v1/reports/period?from=&to=&copy=             the draws revealed in [from, to] of its units
//   GET /api/v1/reports/audit?from=&to=                    the third-party evaluation (audit.verify)
//   GET /api/v1/public/reports/plans/{id}                  the public copy, anonymous
//   GET /api/v1/public/reports/period?from=&to=            the public copy, anonymous
// The public copies are exactly `suiji report ...` without --regulator: pseudonyms, no credit classes.
#include "api/app/reports.h"
#include "api/rest/handlers.h"
#include "reports/builders.h"

namespace suiji::rest {
namespace {

struct Options {
  std::string format = "html";
  reports::Lang lang = reports::Lang::kZh;
  bool regulator = false;
};

std::optional<Problem> ParseOptions(const Request& req, bool may_choose_copy, Options* o) {
  std::vector<FieldError> bad;
  if (req.HasQuery("format")) {
    o->format = req.Query("format");
    if (o->format != "html" && o->format != "csv" && o->format != "xlsx" && o->format != "json")
      bad.push_back({"format", "html, csv, xlsx or json"});
  }
  if (req.HasQuery("lang")) {
    const std::string l = req.Query("lang");
    if (l == "en") o->lang = reports::Lang::kEn;
    else if (l != "zh") bad.push_back({"lang", "zh or en"});
  }
  if (may_choose_copy) {
    const std::string copy = req.HasQuery("copy") ? req.Query("copy") : "regulator";
    if (copy != "regulator" && copy != "public") bad.push_back({"copy", "regulator or public"});
    o->regulator = copy == "regulator";
  }
  if (!bad.empty()) return Unprocessable("the report options are not valid", bad);
  return std::nullopt;
}

Response Send(Call& c, const reports::Report& report, const Options& o, const std::string& stem) {
  auto r = app::Render(report, o.format, o.lang);
  if (!r) return c.Fail(r.error());
  Response out = Text(200, r->content_type, std::move(r->bytes));
  if (o.format != "html" && o.format != "json")
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stem + "." + r->extension + "\"");
  return out;
}

std::optional<Response> NeedPeriod(Call& c, app::ReportScope* scope) {
  scope->from = c.req.Query("from");
  scope->to = c.req.Query("to");
  std::vector<FieldError> bad;
  for (const char* k : {"from", "to"}) {
    auto d = ParseDate(c.req.Query(k));
    if (!d || FormatDate(d.value()) != c.req.Query(k)) bad.push_back({k, "a date YYYY-MM-DD"});
  }
  if (bad.empty() && scope->from > scope->to) bad.push_back({"to", "on or after from"});
  if (!bad.empty()) return c.Fail(Unprocessable("a period report needs from and to", bad));
  return std::nullopt;
}

Response PlanReport(Call& c, bool anonymous) {
  if (auto p = anonymous ? OnlyQuery(c.req, {"format", "lang"}) : OnlyQuery(c.req, {"format", "lang", "copy"}))
    return c.Fail(*p);
  Options o;
  if (auto p = ParseOptions(c.req, !anonymous, &o)) return c.Fail(*p);
  auto lease = anonymous ? c.svc.PublicLease() : c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  app::ReportScope scope;
  scope.plan_id = c.params.at("id");
  scope.regulator = o.regulator;
  if (!anonymous) scope.sees = [&c](const std::string& unit) { return c.scope.SeesUnit(unit); };
  auto facts = app::GatherFacts(*lease.value(), *c.svc.regions, scope, c.svc.threads);
  if (!facts) return c.Fail(facts.error());
  return Send(c, reports::PlanReport(facts.value(), scope.plan_id), o, "plan-" + scope.plan_id);
}

Response PeriodReport(Call& c, bool anonymous) {
  if (auto p = anonymous ? OnlyQuery(c.req, {"from", "to", "format", "lang"})
                         : OnlyQuery(c.req, {"from", "to", "format", "lang", "copy"}))
    return c.Fail(*p);
  Options o;
  if (auto p = ParseOptions(c.req, !anonymous, &o)) return c.Fail(*p);
  app::ReportScope scope;
  if (auto r = NeedPeriod(c, &scope)) return *r;
  scope.regulator = o.regulator;
  if (!anonymous) scope.sees = [&c](const std::string& unit) { return c.scope.SeesUnit(unit); };
  auto lease = anonymous ? c.svc.PublicLease() : c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  auto facts = app::GatherFacts(*lease.value(), *c.svc.regions, scope, c.svc.threads);
  if (!facts) return c.Fail(facts.error());
  return Send(c, reports::PeriodReport(facts.value()), o, "period-" + scope.from + "_" + scope.to);
}

Response AuditReport(Call& c) {
  if (auto p = OnlyQuery(c.req, {"from", "to", "format", "lang"})) return c.Fail(*p);
  Options o;
  if (auto p = ParseOptions(c.req, false, &o)) return c.Fail(*p);
  app::ReportScope scope;
  if (auto r = NeedPeriod(c, &scope)) return *r;
  auto lease = c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  auto audit = app::GatherAudit(*lease.value(), *c.svc.regions, scope.from, scope.to, c.svc.threads);
  if (!audit) return c.Fail(audit.error());
  return Send(c, reports::AuditReport(audit.value()), o, "audit-" + scope.from + "_" + scope.to);
}

}  // namespace

void AddReportRoutes(Router& r) {
  r.Add({"GET", "/api/v1/reports/plans/{id}", "reports.read", [](Call& c) { return PlanReport(c, false); },
         "a plan's report (html, csv, xlsx, json; regulator or public copy)"});
  r.Add({"GET", "/api/v1/reports/period", "reports.read", [](Call& c) { return PeriodReport(c, false); },
         "statistics and estimates of a period's draws"});
  r.Add({"GET", "/api/v1/reports/audit", "audit.verify", AuditReport,
         "the third-party evaluation of a period: every draw re-verified, the chain checked"});
  r.Add({"GET", "/api/v1/public/reports/plans/{id}", "", [](Call& c) { return PlanReport(c, true); },
         "a plan's public report", true});
  r.Add({"GET", "/api/v1/public/reports/period", "", [](Call& c) { return PeriodReport(c, true); },
         "a period's public statistics report", true});
}

}  // namespace suiji::rest
