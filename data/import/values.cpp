#include "data/import/values.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>

#include "core/date.h"

namespace suiji::import {
namespace {

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> xs) {
  return std::find(xs.begin(), xs.end(), s) != xs.end();
}

std::vector<std::string> Split(std::string_view cell, std::initializer_list<std::string_view> seps) {
  std::vector<std::string> out;
  std::size_t start = 0, i = 0;
  auto emit = [&](std::size_t end) {
    auto part = Trim(cell.substr(start, end - start));
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) out.emplace_back(part);
  };
  while (i < cell.size()) {
    std::size_t len = 0;
    for (auto sep : seps)
      if (cell.compare(i, sep.size(), sep) == 0) {
        len = sep.size();
        break;
      }
    if (len) {
      emit(i);
      i += len;
      start = i;
    } else {
      ++i;
    }
  }
  emit(cell.size());
  return out;
}

bool ParseUint(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  for (;;) {
    if (s.empty()) return s;
    unsigned char c = s.front();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') s.remove_prefix(1);
    else if (s.starts_with("\xE3\x80\x80")) s.remove_prefix(3);
    else if (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
    else break;
  }
  for (;;) {
    if (s.empty()) return s;
    unsigned char c = s.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') s.remove_suffix(1);
    else if (s.ends_with("\xE3\x80\x80")) s.remove_suffix(3);
    else if (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
    else break;
  }
  return s;
}

std::vector<std::string> SplitList(std::string_view cell) {
  return Split(cell, {";", "\xEF\xBC\x9B" /*；*/, "|", "\xE3\x80\x81" /*、*/, ",", "\xEF\xBC\x8C" /*，*/, "\n"});
}

std::vector<std::string> SplitCitations(std::string_view cell) {
  return Split(cell, {";", "\xEF\xBC\x9B", "|", "\n"});
}

Result<std::string> NormalizeDate(std::string_view cell, bool* excel_serial) {
  if (excel_serial) *excel_serial = false;
  auto s = Trim(cell);
  auto bad = [&] {
    return Error{"date.format", "'" + std::string(s) + "' is not a date (use YYYY-MM-DD, e.g. 2015-03-07)", ""};
  };
  if (auto sp = s.find(' '); sp != std::string_view::npos) s = s.substr(0, sp);  // "2015/3/7 0:00"
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {  // already canonical: the common case
    if (ParseDate(s).ok()) return std::string(s);
    return bad();
  }
  int y = 0, m = 0, d = 0;
  bool all_digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits && s.size() == 8) {
    ParseUint(s.substr(0, 4), y);
    ParseUint(s.substr(4, 2), m);
    ParseUint(s.substr(6, 2), d);
  } else if (all_digits && s.size() == 5) {
    // Excel's 1900 date system: serial 25569 is 1970-01-01 (valid for serials after 1900-02-28).
    int serial = 0;
    for (char c : s) serial = serial * 10 + (c - '0');
    if (excel_serial) *excel_serial = true;
    return FormatDate(Date{serial - 25569});
  } else {
    // Y sep M sep D, where sep is one of - / . or 年 月 (日 optional at the end).
    std::string t(s);
    for (std::string_view cjk : {"\xE5\xB9\xB4" /*年*/, "\xE6\x9C\x88" /*月*/}) {
      for (std::size_t p; (p = t.find(cjk)) != std::string::npos;) t.replace(p, cjk.size(), "-");
    }
    if (auto p = t.find("\xE6\x97\xA5" /*日*/); p != std::string::npos && p + 3 == t.size()) t.erase(p);
    for (char& c : t)
      if (c == '/' || c == '.') c = '-';
    auto a = t.find('-');
    auto b = a == std::string::npos ? a : t.find('-', a + 1);
    if (b == std::string::npos || t.find('-', b + 1) != std::string::npos) return bad();
    std::string_view tv(t);
    if (a != 4 || !ParseUint(tv.substr(0, a), y) || !ParseUint(tv.substr(a + 1, b - a - 1), m) ||
        !ParseUint(tv.substr(b + 1), d) || b - a - 1 > 2 || t.size() - b - 1 > 2)
      return bad();
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  auto parsed = ParseDate(buf);
  if (!parsed.ok()) return bad();
  return std::string(buf);
}

Result<std::string> NormalizeEntityStatus(std::string_view cell) {
  auto s = Trim(cell);
  std::string l = Lower(s);
  if (s.empty() || OneOf(l, {"active", "在业", "存续", "开业", "在营", "正常", "存续（在营、开业、在册）"}))
    return std::string("active");
  if (OneOf(l, {"deregistered", "revoked", "abnormal"})) return l;
  // Order matters: "吊销，未注销" is revoked, "注销" alone deregistered.
  if (Contains(s, "未注销")) return std::string("revoked");
  if (Contains(s, "注销")) return std::string("deregistered");  // 吊销，已注销: revoked, then deregistered
  if (Contains(s, "吊销") || Contains(s, "撤销")) return std::string("revoked");
  if (Contains(s, "异常")) return std::string("abnormal");
  if (Contains(s, "存续") || Contains(s, "在业") || Contains(s, "开业")) return std::string("active");
  return Error{"status.unknown",
               "'" + std::string(s) + "' is not an entity status (active/存续, deregistered/注销, revoked/吊销, abnormal/经营异常)", ""};
}

Result<std::string> NormalizeEntityType(std::string_view cell) {
  auto s = Trim(cell);
  std::string l = Lower(s);
  if (s.empty()) return std::string();
  if (OneOf(l, {"company", "branch", "partnership", "sole_proprietorship", "sole_proprietor", "cooperative", "other"}))
    return l;
  if (Contains(s, "分公司") || Contains(s, "分支机构") || Contains(s, "分店")) return std::string("branch");
  if (Contains(s, "个人独资")) return std::string("sole_proprietorship");
  if (Contains(s, "合伙")) return std::string("partnership");
  if (Contains(s, "合作社")) return std::string("cooperative");
  if (Contains(s, "个体")) return std::string("sole_proprietor");
  if (Contains(s, "公司") || Contains(s, "企业法人") || Contains(s, "企业")) return std::string("company");
  if (Contains(s, "其他")) return std::string("other");
  return Error{"entity_type.unknown",
               "'" + std::string(s) +
                   "' is not a known entity type (company, branch, partnership, sole_proprietorship, sole_proprietor, cooperative, other or the Chinese 企业类型)",
               ""};
}

EntityTypeMatch ClassifyEntityType(std::string_view label, std::string_view code) {
  const auto& table = EntityTypeTable::Default();
  EntityTypeMatch m;
  auto l = Trim(label), c = Trim(code);
  const EntityTypeEntry* by_code = c.empty() ? nullptr : table.ByCode(c);
  const EntityTypeEntry* by_label = l.empty() ? nullptr : table.ByLabel(l);
  m.code_unknown = !c.empty() && !by_code;
  if (by_code && by_label && by_code->cls != by_label->cls) m.disagree = true;
  if (const EntityTypeEntry* e = by_code ? by_code : by_label) {
    m.cls = e->cls;
    m.code = e->code;
    m.label = l.empty() ? e->label : std::string(l);
    m.in_table = true;
    return m;
  }
  if (l.empty() && c.empty()) return m;  // no type at all: stays empty, nothing to flag
  for (const auto& cls : EntityClasses())
    if (Lower(l) == cls && !by_code) {  // suiji's own class names (its exports, generated registers)
      m.cls = cls;
      m.in_table = true;
      return m;
    }
  // Without a label, the text of an unknown code is kept as the label: classify that same text, or the
  // export (which writes the label) would re-import as another class.
  m.label = l.empty() ? std::string(c) : std::string(l);
  auto worded = NormalizeEntityType(m.label);
  m.cls = worded.ok() && !worded.value().empty() ? worded.value() : "other";
  return m;
}

Result<std::string> NormalizeOfficerStatus(std::string_view cell) {
  auto s = Trim(cell);
  std::string l = Lower(s);
  if (s.empty() || OneOf(l, {"active", "在职", "在岗", "正常", "有效"})) return std::string("active");
  if (OneOf(l, {"suspended", "暂停", "停用", "暂扣"})) return std::string("suspended");
  if (OneOf(l, {"retired", "退休", "离职", "调离", "注销"})) return std::string("retired");
  return Error{"status.unknown", "'" + std::string(s) + "' is not an officer status (active/在职, suspended/暂停, retired/退休)", ""};
}

Result<std::string> NormalizeItemClass(std::string_view cell) {
  auto s = Trim(cell);
  std::string l = Lower(s);
  if (s.empty() || l == "general" || Contains(s, "一般")) return std::string("general");
  if (l == "key" || Contains(s, "重点")) return std::string("key");
  return Error{"item_class.unknown", "'" + std::string(s) + "' is not an item class (general/一般, key/重点)", ""};
}

Result<std::string> NormalizeOrgLevel(std::string_view cell) {
  auto s = Trim(cell);
  std::string l = Lower(s);
  if (OneOf(l, {"national", "国家", "国家级", "中央", "全国"})) return std::string("national");
  if (OneOf(l, {"province", "provincial", "省", "省级", "省局", "省级局", "自治区", "直辖市"})) return std::string("province");
  if (OneOf(l, {"city", "prefecture", "市", "市级", "地市", "地市级", "市局", "州", "盟"})) return std::string("city");
  if (OneOf(l, {"county", "district", "县", "县级", "区县", "县区", "县(区)", "县（区）", "区", "县局", "分局"}))
    return std::string("county");
  if (OneOf(l, {"station", "所", "监管所", "市场监管所", "市场监督管理所", "基层所", "工商所"})) return std::string("station");
  return Error{"level.unknown",
               "'" + std::string(s) +
                   "' is not an org-unit level (national/国家, province/省级, city/市级, county/县级, station/所)",
               ""};
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace suiji::import
