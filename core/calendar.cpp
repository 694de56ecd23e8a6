#include "core/calendar.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/region.h"  // DataDir()

namespace suiji {

int Weekday(Date d) { return ((d.days + 4) % 7 + 7) % 7; }  // 1970-01-01 was a Thursday

namespace {

Error Invalid(const std::string& where, const std::string& what) {
  return Error{"calendar.invalid", where + ": " + what, ""};
}

int YearOf(Date d) {
  int y;
  unsigned m, dd;
  YmdFromDate(d, y, m, dd);
  return y;
}

std::vector<std::string_view> Split(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    auto comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

Status WorkingCalendar::AddYear(int year, std::string_view text, const std::string& label) {
  if (HasYear(year)) return Invalid(label, "the calendar for " + std::to_string(year) + " is already loaded");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
  std::map<int, bool> days;
  int n = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::string where = label + ":" + std::to_string(++n);
    if (n == 1) {
      if (line != "date,kind,name") return Invalid(where, "the header must be 'date,kind,name'");
      continue;
    }
    if (line.empty()) continue;
    auto f = Split(line);
    if (f.size() != 3 || f[2].empty()) return Invalid(where, "expected 3 fields date,kind,name: '" + std::string(line) + "'");
    auto date = ParseDate(f[0]);
    if (!date.ok()) return Invalid(where, date.error().message);
    if (YearOf(*date) != year) return Invalid(where, std::string(f[0]) + " is not in " + std::to_string(year));
    if (f[1] != "holiday" && f[1] != "workday")
      return Invalid(where, "kind must be holiday or workday, not '" + std::string(f[1]) + "'");
    const bool working = f[1] == "workday";
    const int wd = Weekday(*date);
    if (working && wd != 0 && wd != 6)
      return Invalid(where, "workday " + std::string(f[0]) + " is not a Saturday or Sunday");
    if (!days.emplace(date->days, working).second) return Invalid(where, std::string(f[0]) + " is listed twice");
  }
  if (n == 0) return Invalid(label + ":1", "the header must be 'date,kind,name'");
  listed_.merge(days);
  years_.insert(year);
  return OkStatus();
}

Result<WorkingCalendar> WorkingCalendar::LoadDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".csv") files.push_back(it->path());
  if (ec) return Error{"calendar.invalid", "cannot read calendar directory " + dir + ": " + ec.message(), dir};
  std::sort(files.begin(), files.end());
  WorkingCalendar cal;
  for (const auto& p : files) {
    const std::string stem = p.stem().string();
    if (stem.size() != 4 || !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Error{"calendar.invalid", p.string() + ": a calendar file must be named YYYY.csv", p.string()};
    std::ifstream in(p, std::ios::binary);
    if (!in) return Error{"calendar.invalid", "cannot open " + p.string(), p.string()};
    std::ostringstream text;
    text << in.rdbuf();
    if (auto st = cal.AddYear(std::stoi(stem), text.str(), p.string()); !st.ok()) return st.error();
  }
  return cal;
}

Result<WorkingCalendar> WorkingCalendar::LoadDefault() { return LoadDir(DataDir() + "/reference/calendar"); }

Result<bool> WorkingCalendar::IsWorkingDay(Date d) const {
  const int year = YearOf(d);
  if (!HasYear(year)) {
    const std::string y = std::to_string(year);
    return Error{"calendar.year_missing",
                 "no working-day calendar for " + y + " (date " + FormatDate(d) + "): add data/reference/calendar/" + y +
                     ".csv from 国务院办公厅关于" + y + "年部分节假日安排的通知",
                 "date"};
  }
  if (auto it = listed_.find(d.days); it != listed_.end()) return it->second;
  const int wd = Weekday(d);
  return wd != 0 && wd != 6;
}

Result<Date> WorkingCalendar::AddWorkingDays(Date d, int n) const {
  if (n < 1) return Error{"calendar.invalid", "the number of working days must be >= 1, not " + std::to_string(n), "n"};
  for (int counted = 0; counted < n;) {
    d = d + 1;
    auto working = IsWorkingDay(d);
    if (!working.ok()) return working.error();
    counted += *working;
  }
  return d;
}

Result<int> WorkingCalendar::WorkingDaysBetween(Date from, Date to) const {
  int count = 0;
  for (Date d = from + 1; d <= to; d = d + 1) {
    auto working = IsWorkingDay(d);
    if (!working.ok()) return working.error();
    count += *working;
  }
  return count;
}

}  // namespace suiji
