// Reports over the store (reports/builders.h does the rest): gathers the facts for a plan, a period or
// an audit, fitted to the audience, and renders them. Every adapter (CLI `suiji report`, REST
// /api/v1/reports/*, /api/v1/public/reports/*) calls these.
//
//   GatherFacts   plans, draws (N and n per stratum, substitutions, pairings) and tasks with their
//                 results. Scope: one plan (plan_id), or the draws revealed in [from, to]. A public
//                 copy carries officer pseudonyms, sole traders' names masked, no credit class and no
//                 stratum of a class-stratified draw; a regulator copy the certificate numbers and
//                 the class each entity was drawn under.
//   GatherAudit   the period's facts plus every revealed draw recomputed from its bundle by suiji's own
//                 verifier (sampler::VerifyBundle, in a temporary directory), the audit chain walked and
//                 the registers' rows checked against it.
//   Render        a Report into one format: html | csv | xlsx | json (its bytes and content type).
// Errors: report.scope (no plan and no period, or a bad date), plan.unknown, report.format.
#pragma once
#include <functional>
#include <string>

#include "core/region.h"
#include "core/result.h"
#include "data/store/database.h"
#include "reports/facts.h"
#include "reports/report.h"

namespace suiji::app {

struct ReportScope {
  std::string plan_id;             // one plan; or
  std::string from, to;            // draws revealed in [from, to] (YYYY-MM-DD)
  bool regulator = false;          // false: the public copy
  std::function<bool(const std::string& org_unit)> sees;  // only plans of units it sees (empty = all)
};

Result<reports::ReportFacts> GatherFacts(store::Database& db, const RegionTable& regions, const ReportScope& scope,
                                         unsigned threads = 1);
Result<reports::AuditFacts> GatherAudit(store::Database& db, const RegionTable& regions, const std::string& from,
                                        const std::string& to, unsigned threads = 1);

struct Rendered {
  std::string bytes, content_type, extension;
};
Result<Rendered> Render(const reports::Report& report, const std::string& format, reports::Lang lang);

}  // namespace suiji::app
