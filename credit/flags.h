// Joint-punishment Flags (联合惩戒标记) from memoranda, list memberships and penalties.
//
// For every memorandum whose trigger an entity meets (a list membership of the named list, or a
// penalty of the named type) each measure gives one Flag: which department applies which measure,
// on which legal basis, from the trigger's start to its end:
//   * duration while_listed: ends when the membership ends (a move from the abnormal to the
//     serious-violation list ends the abnormal one's flags; the serious list's memoranda start anew);
//   * duration {years: N}: ends N years after the start, or earlier when the membership ends.
// A Flag's `end` is empty while no end is known as of `to`. Flags are never deleted, only ended.
//
// ComputeFlags is pure: pass the memberships as AdvanceLists (credit/lists.h) left them as of `to`.
// It returns every flag started on or before `to`, the events in the window (from, to], and one
// Feedback record per event for the implementing department (apply / lift), to be returned with
// the department's confirmation.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "credit/records.h"
#include "rules/memoranda.h"

namespace suiji::credit {

struct Flag {
  std::string id;  // "F" + 16 hex of SHA-256(memorandum, measure, trigger id): stable across runs
  std::string entity_id;
  std::string memorandum_id, memorandum_title, document;
  std::string measure_id, measure, department, legal_basis;
  std::string trigger;     // "list:serious", "list:abnormal", "penalty:<type>"
  std::string trigger_id;  // the membership id or the penalty decision number
  Date start;
  std::optional<Date> end;  // first day the measure no longer applies
  bool ActiveOn(Date d) const { return start <= d && (!end || d < *end); }
};

enum class FlagEventKind { kStarted, kEnded };
const char* FlagEventKindName(FlagEventKind k);  // "started", "ended"

struct FlagEvent {
  FlagEventKind kind;
  Date date;
  std::string flag_id;
  std::string entity_id;
  std::string department;
};

// What an implementing department is asked to do; it sends the record back with its confirmation.
struct Feedback {
  std::string department;
  std::string flag_id;
  std::string entity_id;
  std::string measure;
  std::string legal_basis;
  std::string action;  // "apply" | "lift"
  Date date;
  std::string status = "pending";  // the department sets "done" (or "refused" with a reason) later
};

struct FlagResult {
  std::vector<Flag> flags;          // sorted by entity, start, id
  std::vector<FlagEvent> events;    // in (from, to], sorted by date, flag id, kind
  std::vector<Feedback> feedback;   // sorted by department, date, flag id
};

// Errors: two penalties with the same decision number, a membership without an id.
Result<FlagResult> ComputeFlags(const rules::Memoranda& memoranda, const std::vector<ListMembership>& memberships,
                                const std::vector<Penalty>& penalties, Date from, Date to);

}  // namespace suiji::credit
