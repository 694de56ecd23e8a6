#include "core/date.h"

#include <cstdio>

namespace suiji {

// Howard Hinnant's days_from_civil / civil_from_days.
Date DateFromYmd(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

void YmdFromDate(Date date, int& y, unsigned& m, unsigned& d) {
  int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

static bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

Result<Date> ParseDate(std::string_view s) {
  auto bad = [&] { return Error{"date.format", "'" + std::string(s) + "' is not a date in YYYY-MM-DD form", ""}; };
  if (s.size() != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4]) return bad();
  auto num = [&](std::size_t b, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = b; i < b + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return bad();
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return bad();
  int dim = kDays[m - 1] + (m == 2 && IsLeap(y));
  if (d < 1 || d > dim) return bad();
  return DateFromYmd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string FormatDate(Date date) {
  int y;
  unsigned m, d;
  YmdFromDate(date, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

Date AddYears(Date date, int years) {
  int y;
  unsigned m, d;
  YmdFromDate(date, y, m, d);
  y += years;
  if (m == 2 && d == 29 && !IsLeap(y)) d = 28;
  return DateFromYmd(y, m, d);
}

}  // namespace suiji
