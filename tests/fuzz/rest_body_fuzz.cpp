// libFuzzer target: the JSON request bodies of the REST API (api/rest/body.h), the checks every POST
// handler applies before it takes a database connection: JsonBody with the member tables of real
// routes, ObjectBody, and ParseResultInput (POST /api/v1/results and an upheld objection's correction).
// Input: the first byte picks the route (table below), the rest is the body as received. What it asserts:
//   1. JsonBody accepts exactly what an independent check accepts: valid UTF-8 JSON (nlohmann::json,
//      not the ordered form) that is an object, only declared members, each of its type, the required
//      ones present.
//   2. An accepted body is an object of declared members only; every string in it (keys and values,
//      at any depth) is valid UTF-8 without U+0000 (the raw body's NUL refusal is not bypassed by a
//      \u0000 escape: PostgreSQL text cannot hold it); a kInt member reads as the int the handler reads
//      (`body->value("reserve", -1)`) with the same value (the independent check takes only integers
//      that fit an int). Re-serialised, it is accepted again, equal,
//      and its serialisation is a fixed point.
//   3. A refused body is a 400 bad-request with a detail; when the body is a JSON object the problem
//      names at least one member, every entry with a non-empty field and reason, every unknown member of
//      the body is named, and the problem renders (Render) to JSON that parses back with those errors.
//   4. Result bodies (ObjectBody + ParseResultInput): an accepted result has as many findings as the
//      body, and the result rebuilt as JSON parses to the same ResultInput; a refused one names every
//      bad member (non-empty field and reason).
// fuzz-sources: api/rest/body.cpp api/rest/problem.cpp api/rest/http.cpp
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/rest/body.h"
#include "tests/fuzz/fuzz_util.h"

namespace rest = suiji::rest;
using rest::BodyField;
using rest::JsonDoc;
using suiji::fuzz::Check;

namespace {

// The member tables of the routes that call JsonBody (api/rest/draws.cpp, plans.cpp, public.cpp, results.cpp).
struct Route {
  const char* name;
  std::vector<BodyField> fields;
};
const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"POST /api/v1/draws",
       {{"plan", BodyField::kString, false}, {"plan_id", BodyField::kString, false},
        {"as_of", BodyField::kString, false}, {"reserve", BodyField::kInt, false},
        {"redraw_reason", BodyField::kString, false}}},
      {"POST /api/v1/draws/{id}/reveal", {{"entropy", BodyField::kString, true}}},
      {"POST /api/v1/draws/{id}/substitutions",
       {{"entity_id", BodyField::kString, true}, {"reason", BodyField::kString, true},
        {"stratum", BodyField::kString, false}}},
      {"POST /api/v1/recusals",
       {{"entity_id", BodyField::kString, true}, {"cert_no", BodyField::kString, true},
        {"reason", BodyField::kString, true}}},
      {"POST /api/v1/plans", {{"plan", BodyField::kString, true}}},
      {"POST /api/v1/public/objections",
       {{"result_id", BodyField::kString, true}, {"code", BodyField::kString, true},
        {"reason", BodyField::kString, true}, {"contact", BodyField::kString, false}}},
      {"POST /api/v1/results/{id}/return", {{"reason", BodyField::kString, true}}},
      {"POST /api/v1/draws/{id}/pairings", {}},
  };
  return routes;
}

// JsonBody takes an initializer_list; rebuild one from the table (up to 5 members).
std::optional<JsonDoc> CallJsonBody(const rest::Request& req, const std::vector<BodyField>& f, rest::Problem* p) {
  switch (f.size()) {
    case 0: return rest::JsonBody(req, {}, p);
    case 1: return rest::JsonBody(req, {f[0]}, p);
    case 2: return rest::JsonBody(req, {f[0], f[1]}, p);
    case 3: return rest::JsonBody(req, {f[0], f[1], f[2]}, p);
    case 4: return rest::JsonBody(req, {f[0], f[1], f[2], f[3]}, p);
    default: return rest::JsonBody(req, {f[0], f[1], f[2], f[3], f[4]}, p);
  }
}

bool Utf8NoNul(const std::string& s) { return rest::ValidUtf8(s) && s.find('\0') == std::string::npos; }

template <class J>
bool CleanStrings(const J& j) {
  if (j.is_string()) return Utf8NoNul(j.template get_ref<const std::string&>());
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!Utf8NoNul(it.key()) || !CleanStrings(it.value())) return false;
  }
  if (j.is_array())
    for (const auto& v : j)
      if (!CleanStrings(v)) return false;
  return true;
}

const BodyField* Declared(const std::vector<BodyField>& fields, const std::string& key) {
  for (const auto& f : fields)
    if (key == f.name) return &f;
  return nullptr;
}

void CheckProblem(const rest::Problem& p, const nlohmann::json& oracle, bool names_members) {
  Check(p.status == 400 && p.slug == "bad-request", "a refused body is not a 400 bad-request");
  Check(!p.title.empty() && !p.detail.empty(), "a refused body's problem has no title or detail");
  if (names_members) Check(!p.errors.empty(), "a refused JSON object names no member");
  for (const auto& e : p.errors) {
    Check(!e.field.empty(), "a problem entry with an empty field");
    Check(!e.reason.empty(), "a problem entry with an empty reason");
  }
  const rest::Response r = rest::Render(p, "req-1");
  Check(r.status == 400 && r.content_type == "application/problem+json", "Render: status or type");
  nlohmann::json rendered = nlohmann::json::parse(r.body, nullptr, false);
  Check(!rendered.is_discarded() && rendered.is_object(), "Render gives no JSON object");
  Check(rendered.value("status", 0) == 400 && rendered.value("request_id", "") == "req-1", "Render: members");
  if (!p.errors.empty()) {
    Check(rendered.contains("errors") && rendered["errors"].size() == p.errors.size(), "Render loses errors");
    for (std::size_t i = 0; i < p.errors.size(); ++i)
      Check(rendered["errors"][i].value("field", "") == p.errors[i].field &&
                rendered["errors"][i].value("reason", "") == p.errors[i].reason,
            "Render changes an error");
  }
  (void)oracle;
}

void CheckJsonBody(const Route& route, const std::string& body) {
  rest::Request req;
  req.method = "POST";
  req.body = body;
  rest::Problem problem;
  auto got = CallJsonBody(req, route.fields, &problem);

  // The independent check.
  const bool utf8 = rest::ValidUtf8(body);
  nlohmann::json oracle = utf8 ? nlohmann::json::parse(body, nullptr, false) : nlohmann::json(nlohmann::json::value_t::discarded);
  const bool object = !oracle.is_discarded() && oracle.is_object();
  bool fits = object && CleanStrings(oracle);
  if (object) {
    for (auto it = oracle.begin(); it != oracle.end(); ++it) fits = fits && Declared(route.fields, it.key());
    for (const auto& f : route.fields) {
      if (!oracle.contains(f.name)) {
        fits = fits && !f.required;
        continue;
      }
      const auto& v = oracle[f.name];
      const bool int_fits = v.is_number_unsigned() ? v.template get<std::uint64_t>() <= INT_MAX
                                                   : v.is_number_integer() && v.template get<std::int64_t>() >= INT_MIN &&
                                                         v.template get<std::int64_t>() <= INT_MAX;
      fits = fits && (f.type == BodyField::kString ? v.is_string() : int_fits);
    }
  }
  if (got.has_value() != fits) {
    std::fprintf(stderr, "route %s: JsonBody %s, the independent check %s\n", route.name,
                 got ? "accepts" : "refuses", fits ? "accepts" : "refuses");
    Check(false, "JsonBody and the independent check disagree");
  }

  if (!got) {
    CheckProblem(problem, oracle, object);
    if (object)
      for (auto it = oracle.begin(); it != oracle.end(); ++it) {
        if (Declared(route.fields, it.key())) continue;
        bool named = false;
        for (const auto& e : problem.errors) named = named || e.field == (it.key().empty() ? "\"\"" : it.key());
        Check(named, "an unknown member is not named");
      }
    return;
  }
  const JsonDoc& j = *got;
  Check(j.is_object(), "an accepted body is not an object");
  for (auto it = j.begin(); it != j.end(); ++it) Check(Declared(route.fields, it.key()) != nullptr, "an undeclared member accepted");
  for (const auto& f : route.fields) {
    if (!j.contains(f.name)) {
      Check(!f.required, "a required member missing");
      continue;
    }
    if (f.type == BodyField::kInt) {
      const JsonDoc& v = j[f.name];
      Check(v.is_number_integer(), "a kInt member is not an integer");
      // The handler reads it as an int (draws.cpp: body->value("reserve", -1)).
      const int read = j.value(f.name, -1);
      const bool same = v.is_number_unsigned() ? v.get<std::uint64_t>() == static_cast<std::uint64_t>(read) && read >= 0
                                               : v.get<std::int64_t>() == read;
      Check(same, "an accepted integer member is not the int the handler reads");
    }
  }
  Check(CleanStrings(j), "an accepted body holds a string with invalid UTF-8 or U+0000");
  std::string dumped;
  try {
    dumped = j.dump();
  } catch (const std::exception&) {
    Check(false, "an accepted body does not serialise");
  }
  rest::Request again = req;
  again.body = dumped;
  rest::Problem p2;
  auto back = CallJsonBody(again, route.fields, &p2);
  Check(back.has_value(), "an accepted body, re-serialised, is refused");
  Check(*back == j, "an accepted body, re-serialised, parses to another value");
  Check(back->dump() == dumped, "the serialisation of an accepted body is not a fixed point");
}

JsonDoc ResultInputJson(const suiji::app::ResultInput& in) {
  JsonDoc findings = JsonDoc::array();
  for (const auto& f : in.findings) findings.push_back({{"item", f.item}, {"outcome", f.outcome}, {"note", f.note}});
  return {{"result", in.result_code},
          {"inspected_on", in.inspected_on},
          {"concluded_on", in.concluded_on},
          {"findings", findings},
          {"follow_up", {{"kind", in.follow_up.kind}, {"deadline", in.follow_up.deadline}, {"to", in.follow_up.to}}}};
}

bool SameInput(const suiji::app::ResultInput& a, const suiji::app::ResultInput& b) {
  if (a.result_code != b.result_code || a.inspected_on != b.inspected_on || a.concluded_on != b.concluded_on ||
      a.findings.size() != b.findings.size() || a.follow_up.kind != b.follow_up.kind ||
      a.follow_up.deadline != b.follow_up.deadline || a.follow_up.to != b.follow_up.to)
    return false;
  for (std::size_t i = 0; i < a.findings.size(); ++i)
    if (a.findings[i].item != b.findings[i].item || a.findings[i].outcome != b.findings[i].outcome ||
        a.findings[i].note != b.findings[i].note)
      return false;
  return true;
}

void CheckResultInput(const JsonDoc& b) {
  rest::Problem problem;
  auto in = rest::ParseResultInput(b, &problem);
  if (!in) {
    CheckProblem(problem, nullptr, true);
    return;
  }
  Check(b.contains("findings") && b["findings"].is_array() && b["findings"].size() == in->findings.size(),
        "an accepted result has another number of findings than its body");
  const JsonDoc j = ResultInputJson(*in);
  Check(CleanStrings(j), "an accepted result holds a string with invalid UTF-8 or U+0000");
  rest::Problem p2;
  auto again = rest::ParseResultInput(JsonDoc::parse(j.dump()), &p2);
  Check(again.has_value(), "an accepted result, rebuilt as JSON, is refused");
  Check(SameInput(*in, *again), "an accepted result, rebuilt as JSON, parses to another result");
}

// POST /api/v1/results (Enter) and POST /api/v1/objections/{receipt}/decision (Decide), results.cpp.
void CheckResultBody(bool decision, const std::string& body) {
  rest::Request req;
  req.method = "POST";
  req.body = body;
  rest::Problem problem;
  auto b = decision ? rest::ObjectBody(req, {"decision", "reason", "correction"}, &problem)
                    : rest::ObjectBody(req, {"draw_id", "entity_id", "result", "findings", "inspected_on", "concluded_on",
                                             "follow_up"},
                                       &problem);
  const nlohmann::json oracle = rest::ValidUtf8(body) ? nlohmann::json::parse(body, nullptr, false)
                                                      : nlohmann::json(nlohmann::json::value_t::discarded);
  if (!b) {
    CheckProblem(problem, oracle, !oracle.is_discarded() && oracle.is_object());
    return;
  }
  Check(!oracle.is_discarded() && oracle.is_object() && CleanStrings(oracle),
        "ObjectBody accepts what is not a JSON object of clean strings");
  Check(CleanStrings(*b), "an accepted body holds a string with invalid UTF-8 or U+0000");
  if (!decision) {
    CheckResultInput(*b);
    return;
  }
  if (b->contains("correction") && (*b)["correction"].is_object()) CheckResultInput((*b)["correction"]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t n = Routes().size();
  const std::size_t pick = data[0] % (n + 2);
  if (pick < n) CheckJsonBody(Routes()[pick], body);
  else CheckResultBody(pick == n + 1, body);
  return 0;
}
