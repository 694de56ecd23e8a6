// YamlReader: typed fields out of yaml-cpp nodes, every problem a located Error
// ("FILE:LINE: field: reason", with the rule file's error code). Shared by the rule-file parsers
// (credit models, memoranda); internal to rules/.
#pragma once
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/result.h"

namespace suiji::rules {

class YamlReader {
 public:
  YamlReader(std::string_view file, std::string_view code) : file_(file), code_(code) {}

  // Parses `text` into root; a syntax error is located at the line yaml-cpp reports.
  std::optional<Error> Load(std::string_view text, YAML::Node& root) const {
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      return Fail(e.mark.line + 1, "", "YAML syntax: " + e.msg);
    }
    return std::nullopt;
  }

  Error Fail(const YAML::Node& at, const std::string& field, const std::string& reason) const {
    return Fail(at.IsDefined() ? at.Mark().line + 1 : 0, field, reason);
  }
  Error Fail(int line, const std::string& field, const std::string& reason) const {
    std::string where = file_ + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    return Error{code_, where + (field.empty() ? "" : field + ": ") + reason, field};
  }

  // Rejects keys outside `allowed` (catches typos such as "wieght") and duplicated keys, which
  // yaml-cpp would otherwise keep silently, losing one value.
  std::optional<Error> OnlyKeys(const YAML::Node& map, const std::string& field,
                                std::initializer_list<std::string_view> allowed) const {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string key = it->first.Scalar();
      if (!seen.insert(key).second)
        return Fail(it->first, field.empty() ? key : field + "." + key, "appears twice");
      bool known = false;
      for (auto a : allowed) known |= (a == key);
      if (!known) return Fail(it->first, field.empty() ? key : field + "." + key, "unknown field");
    }
    return std::nullopt;
  }

  std::optional<Error> String(const YAML::Node& map, const std::string& key, const std::string& field,
                              std::string& out, bool required) const {
    YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) return Fail(map, field, "is required");
      return std::nullopt;
    }
    if (!n.IsScalar()) return Fail(n, field, "must be a text value");
    out = n.Scalar();
    if (required && out.empty()) return Fail(n, field, "must not be empty");
    return std::nullopt;
  }

 private:
  std::string file_;
  std::string code_;
};

}  // namespace suiji::rules
