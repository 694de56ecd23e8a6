// WorkingCalendar (core/calendar.h): the shipped 2025/2026 calendars, deadline walks counted by hand,
// the year_missing rule and every AddYear error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/calendar.h"
#include "core/region.h"

namespace suiji {
namespace {

Date D(const char* s) { return ParseDate(s).value(); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Exactly the shipped 2025 and 2026 files, so adding 2027.csv later does not change these tests.
const WorkingCalendar& Cal() {
  static const WorkingCalendar cal = [] {
    WorkingCalendar c;
    for (int y : {2025, 2026}) {
      const std::string path = DataDir() + "/reference/calendar/" + std::to_string(y) + ".csv";
      auto st = c.AddYear(y, ReadFile(path), path);
      EXPECT_TRUE(st.ok()) << st.error().message;
    }
    return c;
  }();
  return cal;
}

bool Working(const char* s) {
  auto r = Cal().IsWorkingDay(D(s));
  EXPECT_TRUE(r.ok()) << s << ": " << r.error().message;
  return r.ok() && *r;
}

TEST(WorkingCalendar, ShippedFilesLoad) {
  auto cal = WorkingCalendar::LoadDefault();
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  EXPECT_TRUE(cal->HasYear(2025));
  EXPECT_TRUE(cal->HasYear(2026));
  EXPECT_EQ(Cal().Years(), (std::vector<int>{2025, 2026}));
}

TEST(WorkingCalendar, WeekdaysAndWeekends) {
  EXPECT_EQ(Weekday(D("1970-01-01")), 4);  // Thursday
  EXPECT_EQ(Weekday(D("2026-02-14")), 6);  // Saturday
  EXPECT_EQ(Weekday(D("1969-12-28")), 0);  // Sunday, before the epoch
  EXPECT_TRUE(Working("2026-03-10"));      // Tuesday
  EXPECT_TRUE(Working("2025-07-04"));      // Friday
  EXPECT_FALSE(Working("2026-03-07"));     // Saturday
  EXPECT_FALSE(Working("2025-07-06"));     // Sunday
}

// Written out from the notices independently of the CSV files (data/reference/calendar/README.md).
TEST(WorkingCalendar, MakeUpDaysWorkHolidayWeekdaysRest) {
  for (const char* d : {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04",
                        "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"})
    EXPECT_TRUE(Working(d)) << d;
  for (const char* d :
       {"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
        "2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02", "2025-10-01", "2025-10-02",
        "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08", "2026-01-01", "2026-01-02", "2026-02-16",
        "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23", "2026-04-06", "2026-05-01",
        "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02", "2026-10-05",
        "2026-10-06", "2026-10-07"})
    EXPECT_FALSE(Working(d)) << d;
  // Mon-Fri rest days per year, period by period: 2025: 1+6+1+3+1+6 = 18; 2026: 2+6+1+3+1+1+5 = 19.
  // Each is the 13 statutory holidays (全国年节及纪念日放假办法, from 2025) plus one per make-up day (5, 6).
  for (auto [year, want] : {std::pair{2025, 18}, std::pair{2026, 19}}) {
    int rest = 0;
    for (Date d = DateFromYmd(year, 1, 1); d <= DateFromYmd(year, 12, 31); d = d + 1)
      rest += Weekday(d) != 0 && Weekday(d) != 6 && !*Cal().IsWorkingDay(d);
    EXPECT_EQ(rest, want) << year;
  }
}

TEST(WorkingCalendar, SpringFestival2026Deadline) {
  // 20 working days after Tue 2026-02-10:
  //   Feb 11 W 1, 12 T 2, 13 F 3, Sat 14 (make-up) 4, Feb 15-23 春节 rest,
  //   24 T 5, 25 W 6, 26 T 7, 27 F 8, Sat 28 (make-up) 9, Mar 1 Sun rest,
  //   Mar 2-6 10-14, Mar 9-13 15-19, Mon Mar 16 20.
  auto due = Cal().AddWorkingDays(D("2026-02-10"), 20);
  ASSERT_TRUE(due.ok()) << due.error().message;
  EXPECT_EQ(FormatDate(*due), "2026-03-16");
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2026-02-10"), D("2026-03-16")), 20);
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2026-02-14"), D("2026-02-24")), 1);  // only the 24th
  EXPECT_EQ(FormatDate(*Cal().AddWorkingDays(D("2026-02-13"), 1)), "2026-02-14");
  EXPECT_EQ(FormatDate(*Cal().AddWorkingDays(D("2026-02-14"), 1)), "2026-02-24");
}

TEST(WorkingCalendar, MidAutumnAndNationalDay2026Deadline) {
  // 20 working days after Fri 2026-09-18:
  //   Sat 19 rest, Sun 20 (make-up) 1, Sep 21-24 2-5, Sep 25-27 中秋 rest, Sep 28-30 6-8,
  //   Oct 1-7 国庆 rest, Oct 8 T 9, 9 F 10, Sat 10 (make-up) 11, Sun 11 rest,
  //   Oct 12-16 12-16, Oct 19 M 17, 20 T 18, 21 W 19, Thu Oct 22 20.
  auto due = Cal().AddWorkingDays(D("2026-09-18"), 20);
  ASSERT_TRUE(due.ok()) << due.error().message;
  EXPECT_EQ(FormatDate(*due), "2026-10-22");
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2026-09-18"), D("2026-10-22")), 20);
}

TEST(WorkingCalendar, CrossesFrom2025Into2026) {
  // Tue 2025-12-30: Wed 31 1, Jan 1-3 元旦 rest, Sun Jan 4 (make-up) 2, Mon Jan 5 3.
  EXPECT_EQ(FormatDate(*Cal().AddWorkingDays(D("2025-12-30"), 3)), "2026-01-05");
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2025-12-30"), D("2026-01-05")), 3);
  // 2025's Spring Festival seen from late 2024 only looks at 2025 days.
  EXPECT_EQ(FormatDate(*Cal().AddWorkingDays(D("2024-12-31"), 1)), "2025-01-02");
}

TEST(WorkingCalendar, UnknownYearIsAnErrorNotAGuess) {
  for (const char* d : {"2024-06-03", "2027-01-04"}) {
    auto r = Cal().IsWorkingDay(D(d));
    ASSERT_FALSE(r.ok()) << d;
    EXPECT_EQ(r.error().code, "calendar.year_missing");
    EXPECT_EQ(r.error().field, "date");
    const std::string year(d, 4);
    EXPECT_NE(r.error().message.find("data/reference/calendar/" + year + ".csv"), std::string::npos)
        << r.error().message;
  }
  auto add = Cal().AddWorkingDays(D("2026-12-28"), 10);  // runs off the end of 2026
  ASSERT_FALSE(add.ok());
  EXPECT_EQ(add.error().code, "calendar.year_missing");
  EXPECT_NE(add.error().message.find("2027"), std::string::npos);
  auto between = Cal().WorkingDaysBetween(D("2024-12-20"), D("2025-01-10"));
  ASSERT_FALSE(between.ok());
  EXPECT_EQ(between.error().code, "calendar.year_missing");
  EXPECT_NE(between.error().message.find("2024"), std::string::npos);
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2027-05-01"), D("2027-05-01")), 0);  // empty range: nothing looked at
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2026-03-16"), D("2026-02-10")), 0);
  EXPECT_EQ(Cal().AddWorkingDays(D("2026-03-16"), 0).error().code, "calendar.invalid");
}

// The message of AddYear(2026, text, "t.csv"), which must fail with calendar.invalid.
std::string AddYearError(const std::string& text) {
  WorkingCalendar cal;
  auto st = cal.AddYear(2026, text, "t.csv");
  EXPECT_FALSE(st.ok()) << text;
  if (st.ok()) return "";
  EXPECT_EQ(st.error().code, "calendar.invalid");
  EXPECT_FALSE(cal.HasYear(2026));  // nothing added
  return st.error().message;
}

TEST(WorkingCalendar, AddYearErrors) {
  const std::string h = "date,kind,name\n";
  auto has = [](const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; };
  EXPECT_TRUE(has(AddYearError(""), "t.csv:1: the header"));
  EXPECT_TRUE(has(AddYearError("date,type,name\n2026-01-01,holiday,元旦\n"), "t.csv:1: the header"));
  EXPECT_TRUE(has(AddYearError(h + "2026-01-01,holiday,元旦\n2026-13-01,holiday,元旦\n"), "t.csv:3: "));
  EXPECT_TRUE(has(AddYearError(h + "2026-02-30,holiday,春节\n"), "t.csv:2: "));
  EXPECT_TRUE(has(AddYearError(h + "2025-12-31,holiday,元旦\n"), "t.csv:2: 2025-12-31 is not in 2026"));
  EXPECT_TRUE(has(AddYearError(h + "2026-01-01,rest,元旦\n"), "t.csv:2: kind must be holiday or workday"));
  EXPECT_TRUE(has(AddYearError(h + "2026-01-05,workday,元旦\n"), "t.csv:2: workday 2026-01-05 is not a Saturday"));
  EXPECT_TRUE(has(AddYearError(h + "2026-02-14,workday,春节\n2026-02-15,holiday,春节\n2026-02-14,holiday,春节\n"),
                  "t.csv:4: 2026-02-14 is listed twice"));
  EXPECT_TRUE(has(AddYearError(h + "2026-01-01,holiday\n"), "t.csv:2: expected 3 fields"));
  EXPECT_TRUE(has(AddYearError(h + "2026-01-01,holiday,\n"), "t.csv:2: expected 3 fields"));

  WorkingCalendar cal;
  ASSERT_TRUE(cal.AddYear(2026, "\xEF\xBB\xBF" "date,kind,name\r\n2026-01-01,holiday,元旦\r\n\r\n", "t.csv").ok());
  EXPECT_FALSE(*cal.IsWorkingDay(D("2026-01-01")));
  EXPECT_TRUE(*cal.IsWorkingDay(D("2026-01-02")));  // this toy calendar lists only one day
  EXPECT_FALSE(cal.AddYear(2026, h, "again.csv").ok());  // a year is added once
}

TEST(WorkingCalendar, LoadDirErrors) {
  EXPECT_EQ(WorkingCalendar::LoadDir("/nonexistent/calendar").error().code, "calendar.invalid");
  const std::string dir = ::testing::TempDir() + "/suiji_calendar_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/2026.csv") << "date,kind,name\n2026-01-01,holiday,元旦\n";
  std::ofstream(dir + "/README.md") << "ignored\n";
  auto ok = WorkingCalendar::LoadDir(dir);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->Years(), std::vector<int>{2026});
  std::ofstream(dir + "/holidays.csv") << "date,kind,name\n";
  auto bad = WorkingCalendar::LoadDir(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("YYYY.csv"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// AddWorkingDays and WorkingDaysBetween agree on every start day of 2025-2026 and every n up to 25.
TEST(WorkingCalendar, AddAndBetweenAgree) {
  int checked = 0;
  for (Date d = D("2025-01-01"); d <= D("2026-12-31"); d = d + 1) {
    for (int n = 1; n <= 25; ++n) {
      auto e = Cal().AddWorkingDays(d, n);
      if (!e.ok()) {  // only by running past 2026-12-31
        EXPECT_EQ(e.error().code, "calendar.year_missing") << FormatDate(d) << " + " << n;
        break;
      }
      ASSERT_LE(*e, D("2026-12-31"));
      EXPECT_EQ(*Cal().WorkingDaysBetween(d, *e), n) << FormatDate(d) << " + " << n;
      EXPECT_EQ(*Cal().WorkingDaysBetween(d, Date{e->days - 1}), n - 1) << FormatDate(d) << " + " << n;
      EXPECT_TRUE(*Cal().IsWorkingDay(*e));
      ++checked;
    }
  }
  EXPECT_GT(checked, 700 * 25 - 25 * 25);
}

}  // namespace
}  // namespace suiji
