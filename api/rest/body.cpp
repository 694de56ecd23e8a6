// JSON request bodies (body.h): moved out of dispatch.cpp and results.cpp to be linked alone (by
// tests/fuzz/rest_body_fuzz.cpp), with what that fuzzer found: U+0000, the empty member name, integers wider than an int.
#include "api/rest/body.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

namespace suiji::rest {
namespace {

// How a problem names a member: its name, or "" (quoted) for the empty name, so that no error entry
// has an empty field.
std::string MemberName(const std::string& key) { return key.empty() ? "\"\"" : key; }

// True when a string of `j` (a member name or a value, at any depth) holds U+0000: the raw body's NUL is
// refused (ValidUtf8), and a \u0000 escape must not bring one in (the store passes strings to the
// database as C strings). Iterative: a body may nest millions deep.
bool HasNul(const JsonDoc& j) {
  std::vector<const JsonDoc*> pending{&j};  // values still to visit (depth-first)
  while (!pending.empty()) {
    const JsonDoc* v = pending.back();
    pending.pop_back();
    if (v->is_string() && v->get_ref<const std::string&>().find('\0') != std::string::npos) return true;
    if (v->is_object())
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (it.key().find('\0') != std::string::npos) return true;
        pending.push_back(&it.value());
      }
    if (v->is_array())
      for (const auto& x : *v) pending.push_back(&x);
  }
  return false;
}

// The members of an object body that hold U+0000, as problem entries.
std::vector<FieldError> NulMembers(const JsonDoc& j) {
  std::vector<FieldError> bad;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key().find('\0') != std::string::npos || HasNul(it.value()))
      bad.push_back({MemberName(it.key()), "contains U+0000 (\\u0000), which no text field may hold"});
  return bad;
}

}  // namespace

std::optional<JsonDoc> JsonBody(const Request& req, std::initializer_list<BodyField> fields, Problem* problem) {
  if (!ValidUtf8(req.body)) {
    *problem = BadRequest("the body is not valid UTF-8");
    return std::nullopt;
  }
  JsonDoc j = JsonDoc::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *problem = BadRequest("the body must be a JSON object");
    return std::nullopt;
  }
  std::vector<FieldError> bad = NulMembers(j);
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (const auto& f : fields) known = known || it.key() == f.name;
    if (!known) bad.push_back({MemberName(it.key()), "not a member of this request"});
  }
  for (const auto& f : fields) {
    if (!j.contains(f.name)) {
      if (f.required) bad.push_back({f.name, "required"});
      continue;
    }
    const auto& v = j[f.name];
    if (f.type == BodyField::kString && !v.is_string()) bad.push_back({f.name, "must be a string"});
    if (f.type == BodyField::kInt && !v.is_number_integer()) bad.push_back({f.name, "must be an integer"});
    // Handlers read a kInt member as an int (body->value("reserve", -1)): a wider one would wrap.
    else if (f.type == BodyField::kInt &&
             (v.is_number_unsigned() ? v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT_MAX)
                                     : v.get<std::int64_t>() < INT_MIN || v.get<std::int64_t>() > INT_MAX))
      bad.push_back({f.name, "is out of range"});
  }
  if (!bad.empty()) {
    *problem = BadRequest("the body does not fit this request", bad);
    return std::nullopt;
  }
  return j;
}

std::optional<app::ResultInput> ParseResultInput(const JsonDoc& b, Problem* problem) {
  app::ResultInput in;
  std::vector<FieldError> bad;
  auto str = [&](const JsonDoc& j, const char* k, std::string& out, bool required) {
    if (!j.contains(k)) {
      if (required) bad.push_back({k, "required"});
      return;
    }
    if (!j[k].is_string()) bad.push_back({k, "a string"});
    else out = j[k].get<std::string>();
  };
  str(b, "result", in.result_code, true);
  str(b, "inspected_on", in.inspected_on, true);
  str(b, "concluded_on", in.concluded_on, false);
  if (!b.contains("findings") || !b["findings"].is_array()) bad.push_back({"findings", "an array of {item, outcome, note?}"});
  else
    for (const auto& f : b["findings"]) {
      if (!f.is_object()) {
        bad.push_back({"findings", "each finding is an object"});
        break;
      }
      for (const auto& [k, v] : f.items())
        if (k != "item" && k != "outcome" && k != "note") bad.push_back({"findings." + k, "unknown member"});
      store::Finding x;
      str(f, "item", x.item, true);
      str(f, "outcome", x.outcome, true);
      str(f, "note", x.note, false);
      in.findings.push_back(std::move(x));
    }
  if (b.contains("follow_up")) {
    const auto& f = b["follow_up"];
    if (!f.is_object()) bad.push_back({"follow_up", "an object {kind, deadline?, to?}"});
    else {
      for (const auto& [k, v] : f.items())
        if (k != "kind" && k != "deadline" && k != "to") bad.push_back({"follow_up." + k, "unknown member"});
      str(f, "kind", in.follow_up.kind, true);
      str(f, "deadline", in.follow_up.deadline, false);
      str(f, "to", in.follow_up.to, false);
    }
  }
  if (!bad.empty()) {
    *problem = BadRequest("the result is not well-formed", bad);
    return std::nullopt;
  }
  return in;
}

std::optional<JsonDoc> ObjectBody(const Request& req, std::initializer_list<const char*> allowed, Problem* problem) {
  if (!ValidUtf8(req.body)) {
    *problem = BadRequest("the body is not valid UTF-8");
    return std::nullopt;
  }
  JsonDoc b = JsonDoc::parse(req.body, nullptr, false);
  if (b.is_discarded() || !b.is_object()) {
    *problem = BadRequest("the body is not a JSON object");
    return std::nullopt;
  }
  if (auto nul = NulMembers(b); !nul.empty()) {
    *problem = BadRequest("a string of the body contains U+0000", nul);
    return std::nullopt;
  }
  for (auto it = b.begin(); it != b.end(); ++it) {
    const std::string& k = it.key();  // not a structured binding: clang 14 (the fuzz build) cannot capture one
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end()) {
      *problem = BadRequest("unknown member '" + k + "'", {{MemberName(k), "unknown member"}});
      return std::nullopt;
    }
  }
  return b;
}

}  // namespace suiji::rest
