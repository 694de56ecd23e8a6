// The renderers: a Report in, the bytes of one file out, in one language (Lang::kZh by default; a Text
// whose en is empty shows its zh). Pure: no clock, no locale, no network; the same Report renders to the
// same bytes (RenderXlsx: see its one impurity below).
//
// RenderHtml  one self-contained HTML5 page: no script, no external resource (fonts are the system's,
//             charts are inline SVG drawn by svg.h), all CSS in one <style>, printable (A4, a page break
//             before each section after the first, charts never clipped) and readable on a phone.
//             Layout: a header (title, subtitle, the meta as a <dl>); a summary band of key figures — the
//             first section's figures, which that section then does not repeat; a table of contents
//             when there are two sections or more; each section with its paragraphs, figures, charts
//             (each in a <figure> with its title, legend, note and its numbers in a <details> table) and
//             tables (<caption>, <th scope="col">, numeric columns right-aligned).
// RenderCsv   UTF-8 with a BOM (Excel opens it as UTF-8), CRLF line ends, RFC 4180 quoting. Blocks, each
//             a title line (its id, its title[, note]), a header row, its rows and a blank line: first
//             "meta" (the report's title, subtitle, kind, audience and meta pairs, and a line saying how
//             numbers are written), then per section its "<section id>.figures" when it has figures, then
//             every table by its id. Integer and decimal cells with a number are written as that plain
//             number (no grouping: "12345", "0.25"); percent cells as their shown text ("7.2%", which
//             Excel reads as 0.072). A text cell that starts with = + - @ (a formula to a spreadsheet)
//             is written with a leading apostrophe.
// RenderJson  {kind, audience, lang, title, subtitle, meta:[{label,value}], sections:[{id, title,
//             paragraphs, figures:[{label,value,note}], charts:[{id,kind,title,percent,categories,
//             series:[{label,values}], low, high, note}], tables:[{id,title,columns:[{label,kind}],
//             rows:[[...]], note}]}]}, keys in that order, indented by 2. A cell with a number is a JSON
//             number (a percent cell's is the fraction, 0.072), others strings; NaN is null.
// RenderXlsx  a workbook: "摘要"/"Summary" (title, subtitle, meta, each section's figures), then one sheet a
//             table, named after its title (made legal: no []:*?/\, at most 31 characters, unique, case
//             blind), header row bold and frozen with a filter, number cells as numbers (#,##0; decimals as
//             shown; 0.0%; ISO dates as dates, yyyy-mm-dd), column widths from the text (CJK counted 2).
//             The one impurity: libxlsxwriter 1.1.4 (Debian 12) cannot write to memory, so the workbook is
//             written to a private temp directory (mkdtemp under $TMPDIR or /tmp, mode 0700), read back and
//             removed. Its creation time is fixed (2000-01-01), so the bytes depend on the report only.
#pragma once
#include <string>

#include "core/result.h"
#include "reports/report.h"

namespace suiji::reports {

std::string RenderHtml(const Report& report, Lang lang = Lang::kZh);
std::string RenderCsv(const Report& report, Lang lang = Lang::kZh);
std::string RenderJson(const Report& report, Lang lang = Lang::kZh);
// Errors: "report.xlsx" with what failed (temp directory, libxlsxwriter's message, reading back).
Result<std::string> RenderXlsx(const Report& report, Lang lang = Lang::kZh);

}  // namespace suiji::reports
