// Clock: where the store gets "now" for audit events and updated_at stamps. Injected so tests and
// replays are deterministic. The value is an RFC 3339 UTC timestamp, e.g. "2026-03-01T08:00:00.000Z".
#pragma once
#include <functional>
#include <string>

namespace suiji::store {

using Clock = std::function<std::string()>;

// The system clock, UTC, millisecond precision; shifted to start at $SUIJI_CLOCK_START (RFC 3339, e.g.
// 2026-12-07T09:00:00Z) when that is set: for tests and rehearsals of date rules, never in production.
Clock SystemClock();

// Always the same instant (tests).
Clock FixedClock(std::string at);

}  // namespace suiji::store
