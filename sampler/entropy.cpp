#include "sampler/entropy.h"

namespace suiji::sampler {

Json EntropySourceToJson(const EntropySource& s) {
  if (s.kind == "beacon") return Json{{"kind", "beacon"}, {"name", s.beacon}, {"round", s.round}};
  return Json{{"kind", s.kind}, {"min_digits", s.min_digits}};
}

Status ValidateEntropySource(const EntropySource& s) {
  if (s.kind == "dice") {
    if (s.min_digits < 20)
      return Error{"entropy_source.min_digits", "dice entropy needs at least 20 digits, not " +
                                                    std::to_string(s.min_digits), "min_digits"};
    return OkStatus();
  }
  if (s.kind == "beacon") {
    if (s.beacon.empty()) return Error{"entropy_source.name", "a beacon source must name the beacon", "name"};
    if (s.round < 1) return Error{"entropy_source.round", "a beacon round must be >= 1", "round"};
    return OkStatus();
  }
  return Error{"entropy_source.kind", "unknown entropy source kind '" + s.kind + "' (dice | beacon)", "kind"};
}

Result<EntropySource> EntropySourceFromJson(const Json& j) {
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
    return Error{"entropy_source.kind", "entropy_source must be an object with a string 'kind'", "kind"};
  EntropySource s;
  s.kind = j["kind"].get<std::string>();
  if (s.kind == "dice") {
    if (j.size() != 2 || !j.contains("min_digits") || !j["min_digits"].is_number_integer())
      return Error{"entropy_source.min_digits", "dice source is {kind, min_digits:int}", "min_digits"};
    s.min_digits = j["min_digits"].get<std::int64_t>();
  } else if (s.kind == "beacon") {
    if (j.size() != 3 || !j.contains("name") || !j["name"].is_string() || !j.contains("round") ||
        !j["round"].is_number_integer())
      return Error{"entropy_source.beacon", "beacon source is {kind, name:string, round:int}", "name"};
    s.beacon = j["name"].get<std::string>();
    s.round = j["round"].get<std::int64_t>();
  }
  if (auto st = ValidateEntropySource(s); !st) return st.error();
  return s;
}

Status ValidateEntropy(const EntropySource& source, std::string_view e) {
  if (source.kind == "dice") {
    for (std::size_t i = 0; i < e.size(); ++i)
      if (e[i] < '0' || e[i] > '9')
        return Error{"entropy.digits", "dice entropy must be decimal digits only; character " +
                                           std::to_string(i + 1) + " is '" + std::string(1, e[i]) + "'",
                     "entropy"};
    if (static_cast<std::int64_t>(e.size()) < source.min_digits)
      return Error{"entropy.length", "dice entropy has " + std::to_string(e.size()) +
                                         " digits; the commitment requires at least " +
                                         std::to_string(source.min_digits), "entropy"};
    return OkStatus();
  }
  if (source.kind == "beacon") {
    for (std::size_t i = 0; i < e.size(); ++i) {
      char c = e[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return Error{"entropy.hex", "beacon randomness must be lowercase hex; character " +
                                        std::to_string(i + 1) + " is '" + std::string(1, c) + "'",
                     "entropy"};
    }
    if (e.size() < 32 || e.size() % 2 != 0)
      return Error{"entropy.length", "beacon randomness must be an even number (>= 32) of hex digits, got " +
                                         std::to_string(e.size()), "entropy"};
    return OkStatus();
  }
  return Error{"entropy_source.kind", "unknown entropy source kind '" + source.kind + "'", "kind"};
}

}  // namespace suiji::sampler
