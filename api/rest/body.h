// JSON request bodies: the checks every POST/PUT handler applies to its body before it touches the
// database. Pure (no Services, no store), so tests/fuzz/rest_body_fuzz.cpp links them alone.
#pragma once
#include <initializer_list>
#include <optional>

#include <nlohmann/json.hpp>

#include "api/app/results.h"
#include "api/rest/http.h"
#include "api/rest/problem.h"

namespace suiji::rest {

using JsonDoc = nlohmann::ordered_json;

// A JSON request body: an object with only these members, each of its type (a kInt member fits an
// int). Invalid UTF-8, bad JSON, an unknown member, a wrong type, a missing required member or a string
// holding U+0000 (a \u0000 escape, at any depth) is a 400 naming the member (the empty name as "\"\"").
struct BodyField {
  const char* name;
  enum Type { kString, kInt } type = kString;
  bool required = false;
};
std::optional<JsonDoc> JsonBody(const Request& req, std::initializer_list<BodyField> fields, Problem* problem);

// A JSON object body with only `allowed` members and no U+0000 in any string (nested values are
// checked by the caller) (results.cpp).
std::optional<JsonDoc> ObjectBody(const Request& req, std::initializer_list<const char*> allowed, Problem* problem);

// An inspection result as POST /api/v1/results and an upheld objection's correction give it: "result",
// "inspected_on", "concluded_on"?, "findings": [{item, outcome, note?}], "follow_up"?: {kind, deadline?, to?}.
// Members other than these are the caller's to refuse. nullopt and a 400 naming every bad member.
std::optional<app::ResultInput> ParseResultInput(const JsonDoc& b, Problem* problem);

}  // namespace suiji::rest
