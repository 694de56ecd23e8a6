#include "data/import/schema.h"

#include <functional>

#include "data/import/values.h"

namespace suiji::import {
namespace {

std::vector<FieldSpec> Normalised(std::vector<FieldSpec> fields) {
  for (auto& f : fields)
    for (auto& a : f.aliases) a = NormalizeHeaderLabel(a);
  return fields;
}

// Labels from real exports: GSXT-style Chinese headers, provincial 双随机 platforms' templates and the
// database column names such exports carry (pinyin initials: TYXYDM 统一信用代码, ZCH 注册号, QYMC 企业
// 名称, QYLX 企业类型, ZT 状态, DJJG 登记机关, ...). docs/data-formats.md lists them all.
const std::vector<FieldSpec>& EntitySchema() {
  static const auto s = Normalised({
      {"id", "统一社会信用代码", false,
       {"信用代码", "社会信用代码", "统一信用代码", "社会统一信用代码", "统一代码", "统一社会信用代码/注册号",
        "统一社会信用代码(注册号)", "信用代码/注册号", "code", "uscc", "credit_code", "tyxydm", "tyshxydm", "shxydm",
        "uniscid", "xydm"}},
      {"name", "名称", true,
       {"企业名称", "主体名称", "市场主体名称", "单位名称", "企业(机构)名称", "个体工商户名称", "字号名称", "qymc", "ztmc",
        "entname", "mc"}},
      {"region", "登记机关区划", false,
       {"所属区域", "区划代码", "行政区划", "所属区划", "行政区划代码", "登记机关区划代码", "登记区划", "登记区划代码",
        "所属行政区划", "住所所在行政区划", "住所行政区划", "xzqh", "xzqhdm", "djqh", "ssqy"}},
      {"industry", "行业代码", false, {"国民经济行业代码", "行业", "行业分类代码", "所属行业代码", "hydm", "industryco"}},
      {"entity_type", "企业类型", false,
       {"市场主体类型", "主体类型", "类型", "type", "企业类型名称", "企业类型(名称)", "市场主体类型名称", "qylx", "qylxmc",
        "enttype", "ztlx", "lx"}},
      {"status", "登记状态", false, {"经营状态", "状态", "企业状态", "登记状态名称", "zt", "djzt", "jyzt", "entstatus", "qyzt"}},
      {"established", "成立日期", false, {"成立时间", "注册日期", "成立日期(注册日期)", "clrq", "esdate"}},
      {"address", "住所", false,
       {"地址", "经营场所", "住所(经营场所)", "住所/经营场所", "注册地址", "经营地址", "企业地址", "dz", "zs", "dom", "jycs"}},
      {"legal_rep", "法定代表人", false,
       {"法定代表人(负责人)", "法定代表人/负责人", "负责人", "经营者", "经营者姓名", "投资人", "执行事务合伙人", "fddbr",
        "frdb", "lerep", "fzr", "jyz"}},
      {"special_registers", "特殊名录", false, {"特殊监管名录"}},
      {"regno", "注册号", false,
       {"工商注册号", "营业执照注册号", "注册号码", "原注册号", "zch", "regno", "reg_no", "zczh"}},
      {"entity_type_code", "企业类型代码", false,
       {"市场主体类型代码", "主体类型代码", "类型代码", "qylx_zl", "qylxdm", "qylx_dm", "enttype_code", "ztlxdm"}},
      // 登记机关: a name or a code; a 6-digit region code stands in for a missing region column.
      {"authority", "登记机关", false, {"登记机关代码", "登记机关名称", "djjg", "djjgdm", "regorg"}},
      // 组织机构代码: checked against the USCC's characters 9-17, not stored.
      {"org_code", "组织机构代码", false, {"组织机构代码证", "机构代码", "zzjgdm", "orgcode"}},
  });
  return s;
}

const std::vector<FieldSpec>& OfficerSchema() {
  static const auto s = Normalised({
      {"cert_no", "执法证号", true, {"执法证件号", "执法证编号", "证件号", "执法证件号码"}},
      {"name", "姓名", true, {}},
      {"org_unit", "所属单位", false, {"单位", "所在单位"}},
      {"department", "部门", true, {"所属部门"}},
      {"jurisdictions", "辖区", true, {"检查区域", "管辖区域"}},
      {"qualifications", "资质", false, {"执法资质", "专业资质", "专业领域"}},
      {"status", "状态", false, {"人员状态"}},
      {"conflicts", "回避对象", false, {"回避", "回避企业"}},
  });
  return s;
}

// The org-unit register (docs/org-units.md): the labels of the 组织机构 / 执法单位 tables that
// provincial 双随机 platforms export, and plain English names.
const std::vector<FieldSpec>& OrgUnitSchema() {
  static const auto s = Normalised({
      {"code", "单位编码", true,
       {"机构代码", "机构编码", "单位代码", "执法单位编码", "组织机构编码", "unit_id", "unit_code", "unit", "id", "org_unit"}},
      {"name", "单位名称", true, {"机构名称", "执法单位名称", "组织机构名称", "名称", "unit_name"}},
      {"level", "层级", true, {"级别", "机构层级", "单位层级", "机构级别", "单位级别", "行政级别"}},
      {"parent", "上级单位", false,
       {"上级机构", "上级单位编码", "上级机构代码", "上级机构编码", "上级单位代码", "上级", "parent_code", "parent_id",
        "parent_unit"}},
      {"region", "行政区划", true,
       {"区划代码", "行政区划代码", "所属区划", "所属行政区划", "管辖区划", "region_code"}},
      {"department", "部门", false, {"所属部门", "系统", "dept"}},
  });
  return s;
}

std::vector<FieldSpec> ItemFields(bool gov) {
  return Normalised({
      {"department", gov ? "编制单位名称" : "部门", true, {"编制单位", "编制单位名称", "部门"}},
      {"code", "事项编码", !gov, {"编码", "事项代码"}},
      {"category", "抽查类别", false, {}},
      {"name", "抽查事项", true, {"事项名称", "抽查事项名称"}},
      {"target", "检查对象", false, {}},
      {"item_class", "事项类别", false, {"class"}},
      {"methods", "检查方式", false, {}},
      {"subject", "检查主体", false, {}},
      {"legal_basis", "检查依据", false, {}},
      {"industries", "适用行业", false, {"行业"}},
      {"qualification", "所需资质", false, {"资质"}},
      {"seq", "序号", gov, {}},
  });
}

// Columns that are known but carry nothing we keep (no warning).
bool Ignored(const std::string& norm) {
  // Columns real register exports carry that suiji does not keep (contact data, capital, scope).
  static const std::vector<std::string> known = [] {
    std::vector<std::string> v;
    for (const char* l : {"备注", "remarks", "_errors", "联系电话", "电话", "手机", "手机号码", "联系方式", "lxdh", "dh", "sjhm",
                          "注册资本", "注册资本(万元)", "zczb", "经营范围", "jyfw", "核准日期", "hzrq", "邮政编码", "yzbm",
                          "序号", "xh"})
      v.push_back(NormalizeHeaderLabel(l));
    return v;
  }();
  if (norm == NormalizeHeaderLabel(kRejectReasonLabel)) return true;
  for (const auto& k : known)
    if (norm == k) return true;
  return false;
}

}  // namespace

const char* RegisterKindName(RegisterKind k) {
  switch (k) {
    case RegisterKind::kEntities: return "entities";
    case RegisterKind::kOfficers: return "officers";
    case RegisterKind::kItems: return "items";
    case RegisterKind::kItemsGov: return "items_gov";
    case RegisterKind::kOrgUnits: return "org_units";
  }
  return "?";
}

const std::vector<FieldSpec>& Schema(RegisterKind kind) {
  static const auto items = ItemFields(false);
  static const auto gov = ItemFields(true);
  switch (kind) {
    case RegisterKind::kEntities: return EntitySchema();
    case RegisterKind::kOfficers: return OfficerSchema();
    case RegisterKind::kItems: return items;
    case RegisterKind::kItemsGov: return gov;
    case RegisterKind::kOrgUnits: return OrgUnitSchema();
  }
  return EntitySchema();
}

std::string NormalizeHeaderLabel(std::string_view label) {
  auto s = Trim(label);
  while (s.starts_with("*") || s.starts_with("\xEF\xBC\x8A" /*＊*/)) {
    s.remove_prefix(s[0] == '*' ? 1 : 3);
    s = Trim(s);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "\xEF\xBC\x88") == 0) { out += '('; i += 3; continue; }  // （
    if (s.compare(i, 3, "\xEF\xBC\x89") == 0) { out += ')'; i += 3; continue; }  // ）
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) { i += 3; continue; }
    char c = s[i++];
    if (c == ' ' || c == '\t') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

RegisterKind DetectItemKind(const std::vector<std::string>& header) {
  for (const auto& h : header)
    if (NormalizeHeaderLabel(h) == "序号" || NormalizeHeaderLabel(h) == "seq") return RegisterKind::kItemsGov;
  return RegisterKind::kItems;
}

std::string HeaderMap::label(int field) const {
  int c = column_of(field);
  if (c >= 0) return columns[static_cast<std::size_t>(c)];
  return (schema ? *schema : Schema(kind))[static_cast<std::size_t>(field)].name;
}

Result<HeaderMap> MapColumns(const std::vector<FieldSpec>& schema, const std::string& format,
                             const std::vector<std::string>& header, std::vector<RowError>& warnings,
                             const std::function<std::string(const HeaderMap&)>& also_missing) {
  HeaderMap m;
  m.schema = &schema;
  m.columns = header;
  m.field_column.assign(schema.size(), -1);
  m.column_field.assign(header.size(), -1);
  bool any = false;
  for (const auto& h : header)
    if (!Trim(h).empty()) any = true;
  if (!any) return Error{"header.empty", "row 1 must be a header row naming the columns", ""};
  for (std::size_t c = 0; c < header.size(); ++c) {
    std::string norm = NormalizeHeaderLabel(header[c]);
    if (norm.empty()) continue;
    int found = -1;
    for (std::size_t f = 0; f < schema.size() && found < 0; ++f) {
      const auto& spec = schema[f];
      if (norm == spec.name || norm == NormalizeHeaderLabel(spec.label)) found = static_cast<int>(f);
      for (const auto& a : spec.aliases)
        if (found < 0 && norm == a) found = static_cast<int>(f);
    }
    if (found < 0 && Ignored(norm)) continue;
    if (found < 0) {
      warnings.push_back({1, header[c], header[c], "header.unknown",
                          "column '" + header[c] + "' is not part of the " + format + " format; it is ignored"});
      continue;
    }
    int& slot = m.field_column[static_cast<std::size_t>(found)];
    if (slot >= 0)
      return Error{"header.duplicate",
                   "columns '" + header[static_cast<std::size_t>(slot)] + "' and '" + header[c] + "' both name field '" +
                       schema[static_cast<std::size_t>(found)].name + "'; keep one",
                   header[c]};
    slot = static_cast<int>(c);
    m.column_field[c] = found;
  }
  std::string missing;
  for (std::size_t f = 0; f < schema.size(); ++f) {
    if (!schema[f].required || m.field_column[f] >= 0) continue;
    if (!missing.empty()) missing += "; ";
    missing += schema[f].label + " (" + schema[f].name;
    for (const auto& a : schema[f].aliases) missing += ", " + a;
    missing += ")";
  }
  if (also_missing)
    if (std::string more = also_missing(m); !more.empty()) missing += (missing.empty() ? "" : "; ") + more;
  if (!missing.empty())
    return Error{"header.missing", "required column(s) missing from the header row: " + missing, ""};
  return m;
}

Result<HeaderMap> MapHeader(RegisterKind kind, const std::vector<std::string>& header, std::vector<RowError>& warnings) {
  std::function<std::string(const HeaderMap&)> ids;
  if (kind == RegisterKind::kEntities)
    ids = [](const HeaderMap& m) -> std::string {
      if (m.column_of(entity_field::kId) >= 0 || m.column_of(entity_field::kRegNo) >= 0) return "";
      return "统一社会信用代码 or 注册号 (id, uscc, TYXYDM, regno, ZCH, ...): at least one identifier column";
    };
  auto m = MapColumns(Schema(kind), RegisterKindName(kind), header, warnings, ids);
  if (m) m.value().kind = kind;
  return m;
}

}  // namespace suiji::import
