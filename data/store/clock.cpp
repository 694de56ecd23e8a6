#include "data/store/clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace suiji::store {

namespace {

// SUIJI_CLOCK_START=YYYY-MM-DDTHH:MM:SSZ: the clock starts there when the process starts and runs on
// (tests and rehearsals of date rules, e.g. a publication deadline; never set in production).
std::chrono::milliseconds Offset() {
  static const std::chrono::milliseconds offset = [] {
    const char* v = std::getenv("SUIJI_CLOCK_START");
    if (!v || !*v) return std::chrono::milliseconds(0);
    std::tm tm{};
    if (std::sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec) != 6)
      return std::chrono::milliseconds(0);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const auto start = std::chrono::system_clock::from_time_t(timegm(&tm));
    // Rounded up: the first reading is never before the start (a start at midnight stays on its day).
    return std::chrono::ceil<std::chrono::milliseconds>(start - std::chrono::system_clock::now());
  }();
  return offset;
}

}  // namespace

Clock SystemClock() {
  return [] {
    auto now = std::chrono::system_clock::now() + Offset();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return std::string(buf);
  };
}

Clock FixedClock(std::string at) {
  return [at = std::move(at)] { return at; };
}

}  // namespace suiji::store
