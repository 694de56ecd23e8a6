// libFuzzer target: canonical JSON (core/canonical_json.h) against the text of docs/draw-protocol.md
// section 0 and against the audit log's fast string writer (data/store/json_text.h), on any bytes.
//   1. Any bytes as a string: the store's ValidUtf8 agrees with nlohmann's UTF-8 check, and for valid
//      UTF-8 nlohmann's dump, AppendJsonString and Escape() below (the protocol's rules transcribed)
//      write the same bytes.
//   2. Bytes that parse as JSON: every string and key in it (walked) obeys 1; without floats (the
//      canonical form has none), its canonical form re-parses to the same value and is a fixed point.
// fuzz-sources: data/store/json_text.cpp
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/canonical_json.h"
#include "data/store/json_text.h"

namespace {

// docs/draw-protocol.md section 0, word for word: '"' and '\' and the controls U+0008, U+000C, U+000A,
// U+000D, U+0009 by name, every other control below U+0020 as \u00xx in lowercase hex, nothing else.
std::string Escape(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case 0x08: out += "\\b"; break;
      case 0x0c: out += "\\f"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "canonical_json_fuzz: %s\n", what);
    std::abort();
  }
}

void CheckString(const std::string& s) {
  bool nlohmann_ok = true;
  std::string dumped;
  try {
    dumped = suiji::CanonicalJson(suiji::Json(s));
  } catch (const std::exception&) {
    nlohmann_ok = false;
  }
  Check(nlohmann_ok == suiji::store::ValidUtf8(s), "ValidUtf8 and nlohmann disagree on UTF-8");
  if (!nlohmann_ok) return;
  std::string fast;
  suiji::store::AppendJsonString(fast, s);
  Check(dumped == fast, "AppendJsonString differs from CanonicalJson");
  Check(dumped == Escape(s), "CanonicalJson differs from the protocol's escape rules");
}

void Walk(const suiji::Json& j) {
  if (j.is_string()) CheckString(j.get<std::string>());
  if (j.is_object())
    for (const auto& [k, v] : j.items()) {
      CheckString(k);
      Walk(v);
    }
  if (j.is_array())
    for (const auto& v : j) Walk(v);
}

bool HasFloat(const suiji::Json& j) {
  if (j.is_number_float()) return true;
  if (j.is_structured())
    for (const auto& v : j) if (HasFloat(v)) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  CheckString(bytes);
  suiji::Json j = suiji::Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  Walk(j);
  if (HasFloat(j)) return 0;  // the canonical form has no floats (1e400 would even become null)
  std::string canon;
  try {
    canon = suiji::CanonicalJson(j);
  } catch (const std::exception&) {
    Check(false, "a parsed document cannot be canonicalised");
  }
  suiji::Json again = suiji::Json::parse(canon, nullptr, false);
  Check(!again.is_discarded() && again == j, "the canonical form does not re-parse to the same value");
  Check(suiji::CanonicalJson(again) == canon, "the canonical form is not a fixed point");
  return 0;
}
