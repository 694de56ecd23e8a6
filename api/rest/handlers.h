// What a route handler gets (Call) and the route groups, one file each: ops.cpp (health, readiness,
// metrics), org_units.cpp, entities.cpp, draws.cpp. A handler parses and checks its request, calls
// the use case, maps the answer; authentication, the role check and problem+json for thrown errors
// are the dispatcher's (dispatch.cpp), never a handler's.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/rest/auth.h"
#include "api/rest/body.h"
#include "api/rest/problem.h"
#include "api/rest/router.h"
#include "api/rest/services.h"
#include "rules/plan_parse.h"

namespace suiji::rest {

struct Call {
  const Request& req;
  const Params& params;
  const Principal* who;  // null on anonymous routes
  Scope scope;
  Services& svc;

  Response Fail(const Problem& p) const { return Render(p, req.request_id); }
  Response Fail(const Error& e) const { return Render(FromError(e), req.request_id); }
  Response Ok(const JsonDoc& body, int status = 200) const;
};

// Keyset paging: ?limit=1..500 (default 50) and ?after=<the previous page's next_after>.
struct PageParams {
  std::int64_t limit = 50;
  std::string after;
};
// nullopt and `problem` set when a parameter is out of range or not a number.
std::optional<PageParams> ParsePage(const Request& req, Problem* problem);
// Rejects query parameters a route does not know (a typo must not silently widen a query).
std::optional<Problem> OnlyQuery(const Request& req, std::initializer_list<const char*> known);

// A sampling plan's errors as a 422, one entry per error ("plan:LINE field" -> reason) (plans.cpp).
Problem PlanProblem(const rules::PlanParse& parsed);

// The entity `raw` names (its USCC, registration number or a pre-换照 id, resolved to its current
// record) when it lies in the caller's region; otherwise nullopt with `*fail` set (404 as if it did
// not exist, or the store's error) (entities.cpp).
std::optional<Entity> VisibleEntity(Call& c, store::Database& db, const std::string& raw, Response* fail);

// The region a listing filters by, bounded by the caller's unit: the requested region (validated by the
// caller) when the unit covers it, the unit's own region when the request is wider or empty, and nullopt
// (an empty page, not an error) when the request lies outside the unit (entities.cpp).
std::optional<std::string> ScopedRegion(const Call& c, const std::string& requested);

// "api:<client id>": who a write is recorded as in the audit log.
std::string Actor(const Call& c);

void AddOpsRoutes(Router& r);
void AddOrgUnitRoutes(Router& r);
void AddEntityRoutes(Router& r);
void AddDrawRoutes(Router& r);
void AddPlanRoutes(Router& r);
void AddRegisterRoutes(Router& r);
void AddAuditRoutes(Router& r);
void AddUploadRoutes(Router& r);
void AddCreditRoutes(Router& r);
void AddResultRoutes(Router& r);
void AddPublicRoutes(Router& r);
void AddReportRoutes(Router& r);
// Every route of the API, in one table.
Router ApiRouter();

// Match, authenticate, check the role, call the handler; any exception becomes a 500 problem.
Response Dispatch(Services& svc, const Request& req, std::string* route_template);

}  // namespace suiji::rest
