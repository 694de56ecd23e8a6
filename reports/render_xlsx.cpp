// RenderXlsx: a workbook with a summary sheet and one sheet a table (see render.h). libxlsxwriter 1.1.4
// writes only to a file, so this is the renderers' one brush with the file system: a private temp
// directory, removed before returning.
#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>

#include "core/date.h"
#include "reports/render.h"
#include "reports/render_util.h"

namespace suiji::reports {

using detail::Say;

namespace {

constexpr int kMaxName = 31;                 // Excel's sheet name limit (characters)
constexpr int kMaxString = 32767;            // and cell text limit
constexpr lxw_row_t kMaxRows = LXW_ROW_MAX;  // rows in a sheet, the header included
constexpr int kExcelEpoch1970 = 25569;       // Excel's serial day of 1970-01-01
constexpr time_t kCreated = 946684800;       // 2000-01-01T00:00:00Z: fixed, so the bytes are too

Error Fail(std::string what) { return Error{"report.xlsx", std::move(what), ""}; }

// A directory only this process uses; it and whatever is left in it go when this goes.
class TempDir {
 public:
  TempDir() {
    const char* env = std::getenv("TMPDIR");
    std::string templ = std::string(env && *env ? env : "/tmp") + "/suiji-xlsx-XXXXXX";
    if (::mkdtemp(templ.data())) path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Excel is case blind about sheet names in ASCII; good enough for uniqueness.
std::string Fold(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A legal, unique sheet name from a title: no []:*?/\ (each becomes "_"), no leading or trailing
// apostrophe, at most 31 characters, not "History" (Excel's own), " (2)", " (3)"... on a clash.
std::string SheetName(std::string want, const std::string& fallback, std::vector<std::string>& used) {
  for (char& c : want)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos || static_cast<unsigned char>(c) < 0x20) c = '_';
  auto trim = [](std::string t) {
    while (!t.empty() && (t.front() == '\'' || t.front() == ' ')) t.erase(0, 1);
    while (!t.empty() && (t.back() == '\'' || t.back() == ' ')) t.pop_back();
    return t;
  };
  want = trim(std::move(want));
  if (want.empty()) want = fallback.empty() ? "Sheet" : fallback;
  const std::string base = trim(detail::TruncateCodePoints(want, kMaxName));
  std::string name = base;
  for (int k = 2; Fold(name) == "history" || std::find(used.begin(), used.end(), Fold(name)) != used.end(); ++k) {
    const std::string suffix = " (" + std::to_string(k) + ")";
    name = detail::TruncateCodePoints(base, kMaxName - static_cast<int>(suffix.size())) + suffix;
  }
  used.push_back(Fold(name));
  return name;
}

// Digits after the decimal point in a shown number ("7.25%" → 2, "1,234" → 0).
int ShownDecimals(const std::string& text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos) return 0;
  int n = 0;
  for (std::size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++n;
  return std::min(n, 10);
}

// "212", "-3.5", "7.2%" (→ 0.072) as a number; anything else is not one.
std::optional<double> ParseShown(const std::string& s, bool& percent) {
  percent = !s.empty() && s.back() == '%';
  const std::string_view v(s.data(), s.size() - (percent ? 1 : 0));
  if (v.empty() || v.find_first_not_of("-.0123456789") != std::string_view::npos) return std::nullopt;
  // "96.2%" reads as "96.2e-2": the nearest double to 0.962, where 96.2 / 100 would miss it by an ulp.
  const std::string text = std::string(v) + (percent ? "e-2" : "");
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return d;
}

std::string Clip(const std::string& s) {
  return detail::CodePoints(s) > kMaxString ? detail::TruncateCodePoints(s, kMaxString) : s;
}

class Book {
 public:
  explicit Book(lxw_workbook* wb) : wb_(wb) {
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    title_ = workbook_add_format(wb_);
    format_set_bold(title_);
    format_set_font_size(title_, 16);
    format_set_font_color(title_, 0x0B3D91);
    heading_ = workbook_add_format(wb_);
    format_set_bold(heading_);
    format_set_font_size(heading_, 12);
    header_ = workbook_add_format(wb_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xE9EEF5);
    format_set_bottom(header_, LXW_BORDER_MEDIUM);
    format_set_bottom_color(header_, 0x0B3D91);
    header_num_ = workbook_add_format(wb_);
    format_set_bold(header_num_);
    format_set_bg_color(header_num_, 0xE9EEF5);
    format_set_bottom(header_num_, LXW_BORDER_MEDIUM);
    format_set_bottom_color(header_num_, 0x0B3D91);
    format_set_align(header_num_, LXW_ALIGN_RIGHT);
    note_ = workbook_add_format(wb_);
    format_set_italic(note_);
    format_set_font_color(note_, 0x4B5563);
  }

  // The format for a number cell of a kind, its decimals taken from how it is shown.
  lxw_format* NumberFormat(ColumnKind kind, const std::string& shown) {
    std::string code;
    const int dec = ShownDecimals(shown);
    const std::string frac = dec > 0 ? "." + std::string(static_cast<std::size_t>(dec), '0') : "";
    switch (kind) {
      case ColumnKind::kInteger: code = "#,##0"; break;
      case ColumnKind::kDecimal: code = "#,##0" + frac; break;
      case ColumnKind::kPercent: code = "0" + frac + "%"; break;
      case ColumnKind::kDate: code = "yyyy-mm-dd"; break;
      case ColumnKind::kText: return nullptr;
    }
    auto it = formats_.find(code);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    format_set_num_format(f, code.c_str());
    return formats_[code] = f;
  }

  lxw_error Text(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f = nullptr) {
    Widen(ws, c, s, f == bold_ || f == header_ || f == header_num_ || f == heading_);
    if (s.empty()) return f ? worksheet_write_blank(ws, r, c, f) : LXW_NO_ERROR;
    return worksheet_write_string(ws, r, c, Clip(s).c_str(), f);
  }
  lxw_error Number(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, double v, const std::string& shown, lxw_format* f) {
    Widen(ws, c, shown, false);
    return worksheet_write_number(ws, r, c, v, f);
  }
  // The cell of a table column: numbers as numbers, ISO dates as dates, the rest as text.
  lxw_error Cell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const reports::Cell& cell, ColumnKind kind) {
    if (cell.number) return Number(ws, r, c, *cell.number, cell.text, NumberFormat(kind, cell.text));
    if (kind == ColumnKind::kDate && cell.text.size() == 10) {
      if (Result<Date> d = ParseDate(cell.text); d.ok())
        return Number(ws, r, c, d->days + kExcelEpoch1970, cell.text, NumberFormat(kind, ""));
    }
    return Text(ws, r, c, cell.text);
  }
  // A figure's value: a plain number or percentage becomes a number cell, anything else stays text.
  lxw_error FigureValue(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& value) {
    bool percent = false;
    if (std::optional<double> v = ParseShown(value, percent))
      return Number(ws, r, c, *v, value,
                    NumberFormat(percent                ? ColumnKind::kPercent
                                 : ShownDecimals(value) ? ColumnKind::kDecimal
                                                        : ColumnKind::kInteger,
                                 value));
    return Text(ws, r, c, value);
  }

  lxw_format* bold() const { return bold_; }
  lxw_format* title() const { return title_; }
  lxw_format* heading() const { return heading_; }
  lxw_format* header(bool numeric) const { return numeric ? header_num_ : header_; }
  lxw_format* note() const { return note_; }

  // Column widths from the widest text, CJK counted 2, between 6 and a cap: caps[i] for column i, the
  // last cap for the columns after.
  void SetWidths(lxw_worksheet* ws, const std::vector<int>& caps = {60}) {
    for (const auto& [col, w] : widths_[ws])
      worksheet_set_column(ws, col, col, std::clamp(w + 2, 6, caps[std::min<std::size_t>(col, caps.size() - 1)]),
                           nullptr);
  }

 private:
  void Widen(lxw_worksheet* ws, lxw_col_t c, const std::string& s, bool is_bold) {
    int& w = widths_[ws][c];
    w = std::max(w, detail::DisplayWidth(s) + (is_bold ? 1 : 0));
  }

  lxw_workbook* wb_;
  lxw_format *bold_, *title_, *heading_, *header_, *header_num_, *note_;
  std::map<std::string, lxw_format*> formats_;
  std::map<lxw_worksheet*, std::map<lxw_col_t, int>> widths_;
};

// Returns the first error of a sequence of writes (the writes go on: a later one may still succeed).
struct FirstError {
  lxw_error e = LXW_NO_ERROR;
  void operator=(lxw_error x) {
    if (e == LXW_NO_ERROR) e = x;
  }
};

void Summary(Book& b, lxw_worksheet* ws, const Report& r, Lang lang,
             const std::vector<std::pair<std::string, std::string>>& index, FirstError& err) {
  lxw_row_t row = 0;
  worksheet_set_row(ws, 0, 24, nullptr);
  // The title is long: it is left out of the column width, where it would widen column A for nothing.
  err = worksheet_write_string(ws, row++, 0, Clip(r.title.In(lang)).c_str(), b.title());
  if (!r.subtitle.In(lang).empty())
    err = worksheet_write_string(ws, row++, 0, Clip(r.subtitle.In(lang)).c_str(), nullptr);
  std::string line = detail::KindWords(r.kind, lang);
  if (!r.audience.empty()) line += (line.empty() ? "" : " · ") + detail::AudienceWords(r.audience, lang);
  if (!line.empty()) err = worksheet_write_string(ws, row++, 0, line.c_str(), b.note());
  ++row;
  if (!r.meta.empty()) {
    err = b.Text(ws, row, 0, Say(lang, "项目", "Item"), b.header(false));
    err = b.Text(ws, row++, 1, Say(lang, "内容", "Value"), b.header(false));
    for (const auto& [label, value] : r.meta) {
      err = b.Text(ws, row, 0, label.In(lang), b.bold());
      err = b.Text(ws, row++, 1, value);
    }
    ++row;
  }
  for (const Section& s : r.sections) {
    if (s.figures.empty()) continue;
    err = worksheet_write_string(ws, row++, 0, Clip(s.title.In(lang)).c_str(), b.heading());
    err = b.Text(ws, row, 0, Say(lang, "指标", "Figure"), b.header(false));
    err = b.Text(ws, row, 1, Say(lang, "数值", "Value"), b.header(true));
    err = b.Text(ws, row++, 2, Say(lang, "说明", "Note"), b.header(false));
    for (const Figure& f : s.figures) {
      err = b.Text(ws, row, 0, f.label.In(lang));
      err = b.FigureValue(ws, row, 1, f.value);
      err = b.Text(ws, row++, 2, f.note.In(lang));
    }
    ++row;
  }
  if (!index.empty()) {
    err = worksheet_write_string(ws, row++, 0, Say(lang, "表格", "Tables"), b.heading());
    err = b.Text(ws, row, 0, Say(lang, "工作表", "Sheet"), b.header(false));
    err = b.Text(ws, row++, 1, Say(lang, "标题", "Title"), b.header(false));
    for (const auto& [sheet, title] : index) {
      err = b.Text(ws, row, 0, sheet);
      err = b.Text(ws, row++, 1, title);
    }
  }
  b.SetWidths(ws, {36, 72, 48});  // labels; values, where digests (64 hex digits) fit; notes
}

void TableSheet(Book& b, lxw_worksheet* ws, const Table& t, Lang lang, FirstError& err) {
  const auto cols = static_cast<lxw_col_t>(std::min<std::size_t>(t.columns.size(), LXW_COL_MAX));
  for (lxw_col_t c = 0; c < cols; ++c)
    err = b.Text(ws, 0, c, t.columns[c].label.In(lang), b.header(detail::IsNumeric(t.columns[c].kind)));
  lxw_row_t row = 1;
  for (const auto& cells : t.rows) {
    for (lxw_col_t c = 0; c < cols; ++c) err = b.Cell(ws, row, c, detail::CellAt(cells, c), t.columns[c].kind);
    ++row;
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (cols > 0) err = worksheet_autofilter(ws, 0, 0, row - 1, cols - 1);
  if (!t.note.In(lang).empty()) err = worksheet_write_string(ws, row + 1, 0, Clip(t.note.In(lang)).c_str(), b.note());
  b.SetWidths(ws);
}

}  // namespace

Result<std::string> RenderXlsx(const Report& r, Lang lang) {
  for (const Section& s : r.sections)
    for (const Table& t : s.tables)
      if (t.rows.size() + 1 > kMaxRows)
        return Fail("table " + t.id + " has " + std::to_string(t.rows.size()) + " rows; a sheet holds " +
                    std::to_string(kMaxRows - 1));
  TempDir dir;
  if (dir.path().empty()) return Fail("cannot create a temp directory");
  const std::string path = dir.path() + "/report.xlsx";
  std::string tmpdir = dir.path();
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = tmpdir.data();
  options.use_zip64 = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return Fail("libxlsxwriter cannot create the workbook");

  std::string title = r.title.In(lang), subject = r.subtitle.In(lang), author = "suiji";
  lxw_doc_properties props{};
  props.title = title.data();
  props.subject = subject.data();
  props.author = author.data();
  props.created = kCreated;
  workbook_set_properties(wb, &props);

  FirstError err;
  {
    Book book(wb);
    std::vector<std::string> used;
    const std::string summary_name = SheetName(Say(lang, "摘要", "Summary"), "Summary", used);
    lxw_worksheet* summary = workbook_add_worksheet(wb, summary_name.c_str());
    std::vector<std::pair<std::string, std::string>> index;
    std::vector<std::pair<lxw_worksheet*, const Table*>> sheets;
    for (const Section& s : r.sections)
      for (const Table& t : s.tables) {
        std::string name = SheetName(t.title.In(lang), t.id, used);
        lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
        if (!ws) {  // a title libxlsxwriter still refuses: the table's id then
          name = SheetName(t.id, "table", used);
          ws = workbook_add_worksheet(wb, name.c_str());
        }
        if (!ws) {
          workbook_close(wb);
          return Fail("libxlsxwriter cannot add a sheet for table " + t.id);
        }
        index.emplace_back(name, t.title.In(lang));
        sheets.emplace_back(ws, &t);
      }
    if (!summary) {
      workbook_close(wb);
      return Fail("libxlsxwriter cannot add the summary sheet");
    }
    Summary(book, summary, r, lang, index, err);
    for (const auto& [ws, t] : sheets) TableSheet(book, ws, *t, lang, err);
  }
  const lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  if (err.e != LXW_NO_ERROR) return Fail(std::string("libxlsxwriter: ") + lxw_strerror(err.e));
  if (closed != LXW_NO_ERROR) return Fail(std::string("libxlsxwriter: ") + lxw_strerror(closed));

  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return Fail("cannot read back " + path);
  std::string out = std::move(bytes).str();
  if (out.size() < 4) return Fail("libxlsxwriter wrote no workbook");
  return out;
}

}  // namespace suiji::reports
