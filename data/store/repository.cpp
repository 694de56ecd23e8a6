#include "data/store/repository.h"

#include "core/canonical_json.h"
#include "data/store/json_text.h"

namespace suiji::store {

std::string EncodeList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, v[i]);
  }
  return out + "]";
}

Result<std::vector<std::string>> DecodeList(const std::string& text, const std::string& column) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array())
    return Error{"store.decode", "stored value is not a JSON array: " + text, column};
  std::vector<std::string> out;
  for (const Json& e : j) {
    if (!e.is_string()) return Error{"store.decode", "stored list holds a non-string: " + text, column};
    out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace suiji::store
