// The list time rules, as pure functions of dates (a simulated calendar is just a sequence of calls).
//
// Given the memberships as they stand and the repair decisions, AdvanceLists applies every rule
// that falls due on or before `to` and reports what happened in the window (from, to]:
//   * abnormal list (经营异常名录): removal once the cause is fixed (ListMembership::cause_fixed,
//     plus ListRules::abnormal_removal_days);
//   * an abnormal membership still open `abnormal_to_serious_years` after listing is MOVED: it ends
//     that day and a serious-violation membership starts (id "<abnormal id>/serious", moved_from set),
//     per 《企业信息公示暂行条例》第十七条; a WARNING is issued `move_warning_days` before;
//   * serious-violation list (严重违法失信名单): removal after `serious_period_years`, or early by
//     credit repair (信用修复) once `repair_min_years` have passed since listing; an earlier
//     application is refused (event kRepairRefused) and the membership continues.
// Nothing is deleted: a membership only gains a Removal, and new memberships are appended.
// Idempotent and composable: advancing a..b then b..c gives the memberships of advancing a..c, and
// the events of the two windows together.
#pragma once
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "credit/records.h"
#include "rules/credit_model.h"

namespace suiji::credit {

// A decided application for credit repair (early removal), abnormal or serious list.
struct RepairDecision {
  std::string membership_id;
  Date decided;
  std::string authority;
  std::string reason;  // e.g. "已履行行政处罚决定并公开作出信用承诺"
};

enum class ListEventKind { kStarted, kWarned, kMoved, kEnded, kRepairRefused };
const char* ListEventKindName(ListEventKind k);  // "started", "warned", "moved", "ended", "repair_refused"

struct ListEvent {
  ListEventKind kind;
  Date date;
  std::string membership_id;
  std::string entity_id;
  ListKind list;
  std::string detail;  // reason; for kMoved the new membership id; for kWarned the move date
  bool operator==(const ListEvent&) const = default;
};

struct ListAdvance {
  std::vector<ListMembership> memberships;  // input order, then the new ones in date order
  std::vector<ListEvent> events;            // in (from, to], sorted by date, then membership id
};

// Errors: duplicate membership ids, a repair naming an unknown membership, a removal before the listing.
Result<ListAdvance> AdvanceLists(std::vector<ListMembership> memberships, const std::vector<RepairDecision>& repairs,
                                 const rules::ListRules& rules, Date from, Date to);

}  // namespace suiji::credit
