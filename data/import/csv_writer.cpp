#include "data/import/csv_writer.h"

namespace suiji::import {
namespace {

std::string Join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) {
    if (!out.empty()) out += ';';
    out += x;
  }
  return out;
}

}  // namespace

std::string CsvQuote(std::string_view f) {
  bool quote = f.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!f.empty() && (f.front() == ' ' || f.back() == ' '));
  if (!quote) return std::string(f);
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += CsvQuote(fields[i]);
  }
  return out;
}

CsvWriter::CsvWriter(std::ostream& out, bool bom) : out_(out) {
  if (bom) out_ << "\xEF\xBB\xBF";
}

void CsvWriter::Row(const std::vector<std::string>& fields) {
  out_ << CsvLine(fields) << "\r\n";
  ++rows_;
}

void CsvWriter::RawRow(std::string_view text) {
  out_ << text << "\r\n";
  ++rows_;
}

std::vector<std::string> ExportHeader(RegisterKind kind, HeaderStyle style) {
  std::vector<std::string> out;
  for (const auto& f : Schema(kind)) {
    if (kind == RegisterKind::kItems && f.name == "seq") continue;
    if (kind == RegisterKind::kEntities && (f.name == "authority" || f.name == "org_code")) continue;  // read, not kept
    out.push_back(style == HeaderStyle::kChinese ? f.label : f.name);
  }
  return out;
}

std::vector<std::string> ExportRow(const Entity& e) {
  // The type as the register named it (its label) with its code, so a re-import classifies it again
  // the same way; a status that mapped to "other" as its label.
  return {e.id.value,  e.name,    e.region,
          e.industry,  e.type_label.empty() ? e.entity_type : e.type_label,
          e.status == "other" ? e.status_label : e.status,
          e.established, e.address, e.legal_rep, Join(e.special_registers), e.regno, e.type_code};
}

std::vector<std::string> ExportRow(const Officer& o) {
  return {o.cert_no, o.name, o.org_unit, o.department, Join(o.jurisdictions), Join(o.qualifications), o.status,
          Join(o.conflicts)};
}

std::vector<std::string> ExportRow(const InspectionItem& i) {
  return {i.department, i.code,    i.category,          i.name,           i.target,       i.item_class,
          Join(i.methods), i.subject, Join(i.legal_basis), Join(i.industries), i.qualification};
}

std::vector<std::string> ExportRow(const OrgUnit& u) {
  return {u.code, u.name, u.level, u.parent, u.region, u.department};
}

std::string FormatReasons(const std::vector<RowError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    if (!e.column.empty()) out += "[" + e.column + "] ";
    out += e.code + ": " + e.reason;
  }
  return out;
}

RejectsWriter::RejectsWriter(std::ostream& out, const std::vector<std::string>& header, bool bom) : writer_(out, bom) {
  auto h = header;
  h.emplace_back(kRejectReasonLabel);
  writer_.Row(h);
}

void RejectsWriter::Write(const RejectedRow& row) {
  writer_.RawRow(row.text + "," + CsvQuote(FormatReasons(row.errors)));
}

}  // namespace suiji::import
