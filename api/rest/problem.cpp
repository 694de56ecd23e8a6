#include "api/rest/problem.h"

#include <nlohmann/json.hpp>

namespace suiji::rest {

Response Render(const Problem& p, const std::string& request_id) {
  nlohmann::ordered_json j;
  j["type"] = "urn:suiji:problem:" + p.slug;
  j["title"] = p.title;
  j["status"] = p.status;
  if (!p.detail.empty()) j["detail"] = p.detail;
  if (!p.errors.empty()) {
    j["errors"] = nlohmann::ordered_json::array();
    for (const auto& e : p.errors) j["errors"].push_back({{"field", e.field}, {"reason", e.reason}});
  }
  if (!request_id.empty()) j["request_id"] = request_id;
  Response r;
  r.status = p.status;
  r.content_type = "application/problem+json";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Problem BadRequest(std::string detail, std::vector<FieldError> errors) {
  return {400, "bad-request", "The request is malformed", std::move(detail), std::move(errors)};
}
Problem Unprocessable(std::string detail, std::vector<FieldError> errors) {
  return {422, "invalid", "The request is well-formed but its content is invalid", std::move(detail), std::move(errors)};
}
Problem NotFound(std::string detail) { return {404, "not-found", "No such resource", std::move(detail), {}}; }
Problem Unauthorized(std::string detail) {
  return {401, "unauthorized", "Authentication required", std::move(detail), {}};
}
Problem Forbidden(std::string detail) { return {403, "forbidden", "Not allowed for this role", std::move(detail), {}}; }
Problem Conflict(std::string detail) {
  return {409, "conflict", "The request conflicts with the resource's state", std::move(detail), {}};
}
Problem Unavailable(std::string detail) {
  return {503, "unavailable", "The service cannot answer now", std::move(detail), {}};
}
Problem TooLarge(std::string detail) { return {413, "too-large", "The request body is too large", std::move(detail), {}}; }
Problem Internal() {
  return {500, "internal", "The request failed inside the server",
          "the failure is logged with this request's id; nothing was changed", {}};
}

static bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
static bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

Problem FromError(const Error& e) {
  const std::string& c = e.code;
  std::vector<FieldError> fields;
  if (!e.field.empty()) fields.push_back({e.field, e.message});
  // Storage and I/O failures first: their messages carry driver text (SQL, paths), never sent out,
  // whatever suffix a future code might end with.
  if (StartsWith(c, "store.") || StartsWith(c, "db.") || StartsWith(c, "io.") || c == "csv.open") return Internal();
  if (EndsWith(c, ".not_found") || EndsWith(c, ".unknown") || c == "draw.missing") return NotFound(e.message);
  if (EndsWith(c, ".forbidden")) return Forbidden(e.message);
  if (EndsWith(c, ".state") || EndsWith(c, ".exists") || EndsWith(c, ".conflict") || EndsWith(c, ".population_changed") ||
      EndsWith(c, ".revoked") || EndsWith(c, ".published") || EndsWith(c, ".closed") || c == "draw.live")
    return Conflict(e.message);
  return Unprocessable(e.message, std::move(fields));
}

}  // namespace suiji::rest
