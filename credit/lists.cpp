#include "credit/lists.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace suiji::credit {

const char* ListEventKindName(ListEventKind k) {
  switch (k) {
    case ListEventKind::kStarted: return "started";
    case ListEventKind::kWarned: return "warned";
    case ListEventKind::kMoved: return "moved";
    case ListEventKind::kEnded: return "ended";
    case ListEventKind::kRepairRefused: return "repair_refused";
  }
  return "?";
}

namespace {

std::string MoveReason(const rules::ListRules& r) {
  return "列入经营异常名录届满" + std::to_string(r.abnormal_to_serious_years) + "年仍未履行相关义务，列入严重违法失信名单";
}

// Why a repair decision cannot end the membership, or "" when it can.
std::string RepairRefusal(const ListMembership& m, const RepairDecision& r, const rules::ListRules& rules) {
  if (r.decided < m.listed) return "decided before the listing";
  if (m.removal && m.removal->date < r.decided) return "the membership had already ended on " + FormatDate(m.removal->date);
  if (m.list == ListKind::kSerious) {
    Date earliest = AddYears(m.listed, rules.repair_min_years);
    if (r.decided < earliest)
      return "credit repair is possible from " + FormatDate(earliest) + " (" + std::to_string(rules.repair_min_years) +
             " year(s) after listing)";
  }
  return "";
}

}  // namespace

Result<ListAdvance> AdvanceLists(std::vector<ListMembership> ms, const std::vector<RepairDecision>& repairs,
                                 const rules::ListRules& rules, Date from, Date to) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const auto& m = ms[i];
    if (m.id.empty()) return Error{"lists.id", "memberships[" + std::to_string(i) + "]: id is empty", "id"};
    if (!index.emplace(m.id, i).second)
      return Error{"lists.duplicate", "memberships[" + std::to_string(i) + "]: id '" + m.id + "' appears twice", "id"};
    if (m.removal && m.removal->date < m.listed)
      return Error{"lists.removal_date",
                   "membership '" + m.id + "' ends on " + FormatDate(m.removal->date) + ", before its listing on " +
                       FormatDate(m.listed),
                   "removal.date"};
  }
  std::map<std::string, std::vector<const RepairDecision*>> repairs_of;  // by membership, date order
  for (std::size_t k = 0; k < repairs.size(); ++k) {
    if (!index.count(repairs[k].membership_id))
      return Error{"lists.unknown_membership",
                   "repairs[" + std::to_string(k) + "]: membership '" + repairs[k].membership_id + "' does not exist",
                   "repairs[" + std::to_string(k) + "].membership_id"};
    repairs_of[repairs[k].membership_id].push_back(&repairs[k]);
  }
  for (auto& [id, v] : repairs_of)
    std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->decided < b->decided; });

  auto first_valid_repair = [&](const ListMembership& m) -> const RepairDecision* {
    auto it = repairs_of.find(m.id);
    if (it == repairs_of.end()) return nullptr;
    for (const RepairDecision* r : it->second)
      if (RepairRefusal(m, *r, rules).empty()) return r;
    return nullptr;
  };

  // Apply every rule due on or before `to`. The vector grows with moves; new entries are visited too.
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (ms[i].removal || ms[i].listed > to) continue;
    const ListMembership m = ms[i];  // copy: push_back below may reallocate
    const RepairDecision* repair = first_valid_repair(m);
    if (m.list == ListKind::kAbnormal) {
      const Date move = AddYears(m.listed, rules.abnormal_to_serious_years);
      std::optional<Removal> end;
      if (m.cause_fixed && *m.cause_fixed < move)
        end = Removal{*m.cause_fixed + rules.abnormal_removal_days, "列入经营异常名录情形已消除 (cause fixed on " +
                                                                       FormatDate(*m.cause_fixed) + ")",
                      m.authority};
      if (repair && repair->decided < move && (!end || repair->decided < end->date))
        end = Removal{repair->decided, "信用修复: " + repair->reason, repair->authority};
      if (end) {
        if (end->date <= to) ms[i].removal = end;
      } else if (move <= to) {
        ms[i].removal = Removal{move, MoveReason(rules), m.authority};
        const std::string new_id = m.id + "/serious";
        if (!index.count(new_id)) {
          ListMembership s;
          s.id = new_id;
          s.entity_id = m.entity_id;
          s.list = ListKind::kSerious;
          s.reason = MoveReason(rules) + " (" + m.reason + ")";
          s.listed = move;
          s.authority = m.authority;
          s.moved_from = m.id;
          index.emplace(new_id, ms.size());
          ms.push_back(std::move(s));
        }
      }
    } else {
      const Date period_end = AddYears(m.listed, rules.serious_period_years);
      if (repair && repair->decided < period_end) {
        if (repair->decided <= to) ms[i].removal = Removal{repair->decided, "信用修复: " + repair->reason, repair->authority};
      } else if (period_end <= to) {
        ms[i].removal = Removal{period_end,
                                "列入严重违法失信名单届满" + std::to_string(rules.serious_period_years) + "年，移出",
                                m.authority};
      }
    }
  }

  // Events are read off the resulting state, so repeating a window repeats exactly its events.
  ListAdvance out;
  auto in_window = [&](Date d) { return from < d && d <= to; };
  std::set<std::string> moved;
  for (const auto& m : ms)
    if (!m.moved_from.empty()) moved.insert(m.moved_from);
  for (const auto& m : ms) {
    if (in_window(m.listed)) out.events.push_back({ListEventKind::kStarted, m.listed, m.id, m.entity_id, m.list, m.reason});
    if (m.list == ListKind::kAbnormal) {
      const Date move = AddYears(m.listed, rules.abnormal_to_serious_years);
      const Date warn = move + (-rules.move_warning_days);
      if (in_window(warn) && m.listed <= warn && (!m.removal || m.removal->date > warn) &&
          !(m.cause_fixed && *m.cause_fixed <= warn))
        out.events.push_back({ListEventKind::kWarned, warn, m.id, m.entity_id, m.list,
                              "will move to the serious-violation list on " + FormatDate(move)});
    }
    if (m.removal && in_window(m.removal->date)) {
      if (moved.count(m.id))
        out.events.push_back({ListEventKind::kMoved, m.removal->date, m.id, m.entity_id, m.list, m.id + "/serious"});
      else
        out.events.push_back({ListEventKind::kEnded, m.removal->date, m.id, m.entity_id, m.list, m.removal->reason});
    }
    auto it = repairs_of.find(m.id);
    if (it == repairs_of.end()) continue;
    for (const RepairDecision* r : it->second) {
      if (!in_window(r->decided)) continue;
      std::string why = RepairRefusal(m, *r, rules);
      // A repair that lost to an earlier end (cause fixed, another repair) is not a refusal.
      if (!why.empty() && !(m.removal && m.removal->date < r->decided))
        out.events.push_back({ListEventKind::kRepairRefused, r->decided, m.id, m.entity_id, m.list, why});
    }
  }
  std::stable_sort(out.events.begin(), out.events.end(), [](const ListEvent& a, const ListEvent& b) {
    if (a.date != b.date) return a.date < b.date;
    if (a.membership_id != b.membership_id) return a.membership_id < b.membership_id;
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  out.memberships = std::move(ms);
  return out;
}

}  // namespace suiji::credit
