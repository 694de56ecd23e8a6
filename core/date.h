// Civil dates as days since 1970-01-01 (proleptic Gregorian), parsed from and printed as YYYY-MM-DD.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"

namespace suiji {

struct Date {
  int days = 0;  // since 1970-01-01
  auto operator<=>(const Date&) const = default;
  Date operator+(int n) const { return Date{days + n}; }
  int operator-(Date o) const { return days - o.days; }
};

Date DateFromYmd(int y, unsigned m, unsigned d);
void YmdFromDate(Date date, int& y, unsigned& m, unsigned& d);
Result<Date> ParseDate(std::string_view s);  // YYYY-MM-DD (also accepts YYYY/MM/DD)
std::string FormatDate(Date d);
Date AddYears(Date d, int years);  // Feb 29 -> Feb 28 in a non-leap year

}  // namespace suiji
