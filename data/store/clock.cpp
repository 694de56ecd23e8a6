#include "data/store/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace suiji::store {

Clock SystemClock() {
  return [] {
    auto now = std::chrono::system_clock::now();
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
