// WorkingCalendar: China's statutory working days (工作日), from the State Council General Office's
// yearly notice 国务院办公厅关于YYYY年部分节假日安排的通知, shipped as data/reference/calendar/YYYY.csv
// (columns date,kind,name; see the README there for the sources).
//
// Contract: a day is a working day when it is Monday-Friday and not listed as `holiday`, or when it is
// a Saturday/Sunday listed as `workday` (调休上班). Only years that have a file are known: asking about
// a day in any other year is the error calendar.year_missing, never a guess from weekdays. Only the
// days a computation looks at need a known year (AddWorkingDays(d, n) never looks at d itself).
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace suiji {

class WorkingCalendar {
 public:
  // Parses one year's CSV text (label names it in errors). Errors (code "calendar.invalid"): bad header,
  // a line without exactly 3 fields or with an empty name, a bad date, a date outside `year`, a kind
  // other than holiday/workday, a 'workday' that is not a Saturday or Sunday, a date listed twice, a
  // year already added; the message names the line ("label:N: ..."). On error nothing is added.
  Status AddYear(int year, std::string_view csv_text, const std::string& label);
  // Loads every YYYY.csv in `dir`; other .csv names are calendar.invalid, non-.csv files are ignored.
  static Result<WorkingCalendar> LoadDir(const std::string& dir);
  // LoadDir(<data dir>/reference/calendar); the data dir is $SUIJI_DATA_DIR or the build default,
  // as for RegionTable::LoadDefault.
  static Result<WorkingCalendar> LoadDefault();

  bool HasYear(int year) const { return years_.count(year) > 0; }
  std::vector<int> Years() const { return {years_.begin(), years_.end()}; }  // ascending

  // Error calendar.year_missing (field "date") naming the year and the file to add.
  Result<bool> IsWorkingDay(Date d) const;
  // The date n (>= 1) working days after d (d itself not counted; d may be a rest day). n < 1 is
  // calendar.invalid (field "n"); crossing into a year without a calendar is calendar.year_missing.
  Result<Date> AddWorkingDays(Date d, int n) const;
  // Working days in (from, to]: 0 when to <= from. Same errors.
  Result<int> WorkingDaysBetween(Date from, Date to) const;

 private:
  std::set<int> years_;
  std::map<int, bool> listed_;  // Date::days -> working? (holiday: false, workday: true)
};

// 0 = Sunday ... 6 = Saturday.
int Weekday(Date d);

}  // namespace suiji
