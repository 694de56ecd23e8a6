#include "credit/flags.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/sha256.h"

namespace suiji::credit {

const char* FlagEventKindName(FlagEventKind k) { return k == FlagEventKind::kStarted ? "started" : "ended"; }

namespace {

std::string FlagId(const rules::Memorandum& mo, const rules::Measure& me, const std::string& trigger_id) {
  // Unit separators keep ("a","bc") and ("ab","c") apart.
  return "F" + Sha256Hex(mo.id + '\x1f' + me.id + '\x1f' + trigger_id).substr(0, 16);
}

Flag MakeFlag(const rules::Memorandum& mo, const rules::Measure& me, const std::string& entity,
              const std::string& trigger, const std::string& trigger_id, Date start) {
  Flag f;
  f.id = FlagId(mo, me, trigger_id);
  f.entity_id = entity;
  f.memorandum_id = mo.id;
  f.memorandum_title = mo.title;
  f.document = mo.document;
  f.measure_id = me.id;
  f.measure = me.measure;
  f.department = me.department;
  f.legal_basis = me.legal_basis;
  f.trigger = trigger;
  f.trigger_id = trigger_id;
  f.start = start;
  return f;
}

}  // namespace

Result<FlagResult> ComputeFlags(const rules::Memoranda& memoranda, const std::vector<ListMembership>& memberships,
                                const std::vector<Penalty>& penalties, Date from, Date to) {
  std::set<std::string> decisions;
  for (std::size_t k = 0; k < penalties.size(); ++k)
    if (!penalties[k].decision_no.empty() && !decisions.insert(penalties[k].decision_no).second)
      return Error{"flags.duplicate_penalty",
                   "penalties[" + std::to_string(k) + "]: decision '" + penalties[k].decision_no + "' appears twice",
                   "penalties[" + std::to_string(k) + "].decision_no"};
  for (std::size_t k = 0; k < memberships.size(); ++k)
    if (memberships[k].id.empty())
      return Error{"flags.membership_id", "memberships[" + std::to_string(k) + "]: id is empty", "id"};

  FlagResult out;
  for (const auto& mo : memoranda.memoranda) {
    if (mo.trigger.list) {
      for (const auto& m : memberships) {
        if (m.list != *mo.trigger.list || m.listed > to) continue;
        std::optional<Date> left;
        if (m.removal && m.removal->date <= to) left = m.removal->date;
        for (const auto& me : mo.measures) {
          Flag f = MakeFlag(mo, me, m.entity_id, std::string("list:") + rules::ListKindName(m.list), m.id, m.listed);
          if (me.while_listed) {
            f.end = left;
          } else {
            Date planned = AddYears(m.listed, me.years);
            f.end = left && *left < planned ? *left : planned;
          }
          out.flags.push_back(std::move(f));
        }
      }
    } else {
      for (std::size_t k = 0; k < penalties.size(); ++k) {
        const auto& p = penalties[k];
        if (p.type != mo.trigger.penalty_type || p.date > to) continue;
        // A penalty without a decision number still needs a stable trigger id.
        std::string tid = p.decision_no.empty() ? p.entity_id + "@" + FormatDate(p.date) + "#" + p.type : p.decision_no;
        for (const auto& me : mo.measures) {
          Flag f = MakeFlag(mo, me, p.entity_id, "penalty:" + p.type, tid, p.date);
          f.end = AddYears(p.date, me.years);
          out.flags.push_back(std::move(f));
        }
      }
    }
  }
  std::sort(out.flags.begin(), out.flags.end(), [](const Flag& a, const Flag& b) {
    return std::tie(a.entity_id, a.start, a.id) < std::tie(b.entity_id, b.start, b.id);
  });

  auto in_window = [&](Date d) { return from < d && d <= to; };
  for (const auto& f : out.flags) {
    auto feed = [&](FlagEventKind kind, Date d) {
      out.events.push_back({kind, d, f.id, f.entity_id, f.department});
      out.feedback.push_back({f.department, f.id, f.entity_id, f.measure, f.legal_basis,
                              kind == FlagEventKind::kStarted ? "apply" : "lift", d, "pending"});
    };
    if (in_window(f.start)) feed(FlagEventKind::kStarted, f.start);
    if (f.end && in_window(*f.end)) feed(FlagEventKind::kEnded, *f.end);
  }
  std::sort(out.events.begin(), out.events.end(), [](const FlagEvent& a, const FlagEvent& b) {
    return std::tuple(a.date, a.flag_id, static_cast<int>(a.kind)) < std::tuple(b.date, b.flag_id, static_cast<int>(b.kind));
  });
  std::sort(out.feedback.begin(), out.feedback.end(), [](const Feedback& a, const Feedback& b) {
    return std::tie(a.department, a.date, a.flag_id, a.action) < std::tie(b.department, b.date, b.flag_id, b.action);
  });
  return out;
}

}  // namespace suiji::credit
