// The three reports suiji writes, built from facts (facts.h) into a Report (report.h) that render.h
// turns into HTML, CSV, XLSX or JSON. Pure: the same facts give the same report.
//
//   PlanReport    one plan: what was drawn (with the bundle's digest and how to check it), who
//                 inspected (pseudonyms in public copies), the results, publication dates and
//                 timeliness, objections and corrections, and the estimated problem rate with its
//                 95% interval from the draw's known inclusion probabilities.
//   PeriodReport  every plan of a period: statistics by department, region, industry, credit class
//                 (regulator copies only), stratum and month; coverage of the register, completion,
//                 problem rates, publication on time versus late, objections, the annual cap.
//   AuditReport   the third-party evaluation (第三方评估) of a period: every draw re-verified, the
//                 audit chain and rows checked, every re-draw, substitution, re-pairing, late
//                 publication and correction listed with its reason, and a one-page summary first.
// A public copy (facts.audience == "public") never shows a credit class or a stratum of a plan
// stratified by class (its size would tell how many entities hold each class), whatever it is handed.
#pragma once
#include <string>

#include "reports/facts.h"
#include "reports/report.h"

namespace suiji::reports {

// Error-free by design: a plan id the facts do not hold gives a report saying so.
Report PlanReport(const ReportFacts& facts, const std::string& plan_id);
Report PeriodReport(const ReportFacts& facts);
Report AuditReport(const AuditFacts& audit);

// True when the draw's strata are credit classes (A..D, unclassified) rather than the one "all".
bool ClassStratified(const DrawFacts& draw);

}  // namespace suiji::reports
