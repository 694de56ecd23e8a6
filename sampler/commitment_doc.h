// Internal: the envelope every commitment document shares — a JSON object in canonical form, a
// protocol version, a kind, the committed entropy source and a string-valued context. The draw and
// the pairing parsers read their own fields after this.
#pragma once
#include <map>
#include <string>

#include "sampler/entropy.h"
#include "sampler/json_fields.h"

namespace suiji::sampler::internal {

struct CommitmentEnvelope {
  Json j;
  EntropySource entropy_source;
  std::map<std::string, std::string> context;
};

// `what` names the document in errors ("draw", "pairing").
inline Result<CommitmentEnvelope> ParseCommitmentEnvelope(const std::string& document, const std::string& what,
                                                          const std::string& protocol_expected,
                                                          const std::string& kind_expected) {
  CommitmentEnvelope env;
  env.j = Json::parse(document, nullptr, /*allow_exceptions=*/false);
  const Json& j = env.j;
  if (j.is_discarded() || !j.is_object())
    return Error{"document.json", "the " + what + " commitment is not a JSON object", ""};
  auto canon = TryCanonical(j);
  if (!canon || canon.value() != document)
    return Error{"document.canonical", "the " + what + " commitment is not in canonical form (sorted keys, no spaces)", ""};
  std::string protocol, kind;
  if (auto st = ReadString(j, "protocol", "$", protocol); !st) return st.error();
  if (protocol != protocol_expected)
    return Error{"document.protocol", "unsupported protocol '" + protocol + "' (expected " + protocol_expected + ")",
                 "protocol"};
  if (auto st = ReadString(j, "kind", "$", kind); !st) return st.error();
  if (kind != kind_expected) return FieldError("$.kind", "expected \"" + kind_expected + "\"");
  if (!j.contains("entropy_source")) return FieldError("$.entropy_source", "missing");
  auto src = EntropySourceFromJson(j["entropy_source"]);
  if (!src) return src.error();
  env.entropy_source = src.value();
  if (!j.contains("context") || !j["context"].is_object()) return FieldError("$.context", "expected an object");
  for (const auto& [k, v] : j["context"].items()) {
    if (!v.is_string()) return FieldError("$.context." + k, "expected a string");
    env.context[k] = v.get<std::string>();
  }
  return env;
}

}  // namespace suiji::sampler::internal
