// Fast canonical-JSON text for the bulk write path, byte-identical to core/canonical_json.h's
// CanonicalJson (nlohmann's dump with ensure_ascii=false): only '"', '\\' and control characters are
// escaped, non-ASCII UTF-8 passes through. The input must be valid UTF-8 (see ValidUtf8): the
// verifier re-parses what this writes, and nlohmann rejects invalid UTF-8.
#pragma once
#include <string>
#include <string_view>

namespace suiji::store {

// Appends s as a JSON string literal.
void AppendJsonString(std::string& out, std::string_view s);
bool ValidUtf8(std::string_view s);

}  // namespace suiji::store
