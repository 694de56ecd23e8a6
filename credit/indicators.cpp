#include "credit/indicators.h"

#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/canonical_json.h"
#include "core/sha256.h"
#include "rules/credit_model.h"

namespace suiji::credit {

int IndicatorMatrix::Column(std::string_view name) const {
  for (std::size_t j = 0; j < names.size(); ++j)
    if (names[j] == name) return static_cast<int>(j);
  return -1;
}

Status IndicatorMatrix::Validate() const {
  const auto n = static_cast<Eigen::Index>(entity_ids.size());
  const auto k = static_cast<Eigen::Index>(names.size());
  if (values.rows() != n || values.cols() != k || missing.rows() != n || missing.cols() != k)
    return Error{"credit.matrix_shape",
                 "indicator matrix is " + std::to_string(values.rows()) + "x" + std::to_string(values.cols()) +
                     " with a mask of " + std::to_string(missing.rows()) + "x" + std::to_string(missing.cols()) +
                     ", expected " + std::to_string(n) + "x" + std::to_string(k),
                 "values"};
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (!std::isfinite(values(i, j)))
        return Error{"credit.not_finite",
                     "indicator '" + names[j] + "' of entity '" + entity_ids[i] + "' is not a finite number; "
                     "mark it missing instead",
                     names[j]};
  return OkStatus();
}

std::string ExactDecimal(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? p : buf);
}

std::string CanonicalInputs(const IndicatorMatrix& m, std::size_t row) {
  Json inds = Json::array();
  const auto i = static_cast<Eigen::Index>(row);
  for (std::size_t j = 0; j < m.names.size(); ++j) {
    const auto c = static_cast<Eigen::Index>(j);
    if (m.missing(i, c))
      inds.push_back({{"name", m.names[j]}, {"missing", true}});
    else
      inds.push_back({{"name", m.names[j]}, {"value", ExactDecimal(m.values(i, c))}});
  }
  Json j = {{"as_of", FormatDate(m.as_of)}, {"entity_id", m.entity_ids[row]}, {"indicators", std::move(inds)}};
  return CanonicalJson(j);
}

std::string InputDigest(const IndicatorMatrix& m, std::size_t row) { return Sha256Hex(CanonicalInputs(m, row)); }

namespace {

// Column index per catalogue indicator (or -1 when not requested).
struct Columns {
  int inspections_3y = -1, problems_3y = -1, problem_rate_3y = -1, not_found_3y = -1;
  int penalties_3y = -1, penalty_amount_3y = -1, severe_5y = -1;
  int abnormal = -1, serious = -1, listings_5y = -1, complaints_1y = -1;
  int age_days = -1, not_active = -1, reports_missing = -1, reports_late = -1;
};

Error UnknownEntity(const std::string& kind, std::size_t index, const std::string& id) {
  return Error{"credit.unknown_entity",
               kind + "[" + std::to_string(index) + "]: entity '" + id + "' is not in the register",
               kind + "[" + std::to_string(index) + "].entity_id"};
}

Date Deadline(int report_year) { return DateFromYmd(report_year + 1, 6, 30); }

}  // namespace

Result<IndicatorMatrix> AssembleIndicators(const std::vector<Entity>& entities, const CreditRecords& records,
                                           const std::vector<std::string>& requested, Date as_of) {
  IndicatorMatrix m;
  m.as_of = as_of;
  if (requested.empty()) {
    for (const auto& info : rules::IndicatorCatalogue()) m.names.emplace_back(info.name);
  } else {
    m.names = requested;
  }
  Columns col;
  std::unordered_map<std::string, int> ext_cols;  // "source.name" -> column
  std::unordered_map<std::string, int> name_seen;
  for (std::size_t j = 0; j < m.names.size(); ++j) {
    const std::string& n = m.names[j];
    const int c = static_cast<int>(j);
    if (!name_seen.emplace(n, c).second)
      return Error{"credit.duplicate_indicator", "indicator '" + n + "' is requested twice", n};
    if (rules::IsExternalIndicator(n)) { ext_cols[n.substr(4)] = c; continue; }
    int* slot = n == "inspections_3y"               ? &col.inspections_3y
                : n == "inspection_problems_3y"     ? &col.problems_3y
                : n == "inspection_problem_rate_3y" ? &col.problem_rate_3y
                : n == "not_found_3y"               ? &col.not_found_3y
                : n == "penalties_3y"               ? &col.penalties_3y
                : n == "penalty_amount_3y"          ? &col.penalty_amount_3y
                : n == "severe_penalties_5y"        ? &col.severe_5y
                : n == "abnormal_listed"            ? &col.abnormal
                : n == "serious_listed"             ? &col.serious
                : n == "listings_5y"                ? &col.listings_5y
                : n == "complaints_1y"              ? &col.complaints_1y
                : n == "registration_age_days"      ? &col.age_days
                : n == "status_not_active"          ? &col.not_active
                : n == "annual_reports_missing_3y"  ? &col.reports_missing
                : n == "annual_reports_late_3y"     ? &col.reports_late
                                                    : nullptr;
    if (!slot) return Error{"credit.unknown_indicator", "'" + n + "' is not a catalogue indicator", n};
    *slot = c;
  }

  const auto rows = static_cast<Eigen::Index>(entities.size());
  const auto cols = static_cast<Eigen::Index>(m.names.size());
  m.values = Eigen::MatrixXd::Zero(rows, cols);
  m.missing = MissingMask::Zero(rows, cols);
  m.entity_ids.reserve(entities.size());
  std::unordered_map<std::string, Eigen::Index> row_of;
  row_of.reserve(entities.size());
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const auto& id = entities[i].id.value;
    if (!row_of.emplace(id, static_cast<Eigen::Index>(i)).second)
      return Error{"credit.duplicate_entity", "register[" + std::to_string(i) + "]: entity '" + id + "' appears twice",
                   "register[" + std::to_string(i) + "].id"};
    m.entity_ids.push_back(id);
  }
  auto add = [&](int c, Eigen::Index i, double v) {
    if (c >= 0) m.values(i, c) += v;
  };

  const Date y1 = AddYears(as_of, -1), y3 = AddYears(as_of, -3), y5 = AddYears(as_of, -5);
  auto within = [&](Date d, Date from) { return from < d && d <= as_of; };

  // Inspections: counts and, when asked, the problem rate (missing for never-inspected entities).
  std::vector<std::int64_t> inspected(col.problem_rate_3y >= 0 ? entities.size() : 0, 0);
  for (std::size_t k = 0; k < records.inspections.size(); ++k) {
    const auto& r = records.inspections[k];
    auto it = row_of.find(r.entity_id);
    if (it == row_of.end()) return UnknownEntity("inspections", k, r.entity_id);
    if (!within(r.date, y3)) continue;
    add(col.inspections_3y, it->second, 1);
    if (r.HasProblem()) add(col.problems_3y, it->second, 1);
    if (r.outcome == "not_found") add(col.not_found_3y, it->second, 1);
    if (col.problem_rate_3y >= 0) {
      add(col.problem_rate_3y, it->second, r.HasProblem() ? 1 : 0);  // numerator; divided below
      ++inspected[static_cast<std::size_t>(it->second)];
    }
  }
  if (col.problem_rate_3y >= 0) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      const auto cnt = inspected[static_cast<std::size_t>(i)];
      if (cnt == 0) m.missing(i, col.problem_rate_3y) = 1;
      else m.values(i, col.problem_rate_3y) /= static_cast<double>(cnt);
    }
  }

  for (std::size_t k = 0; k < records.penalties.size(); ++k) {
    const auto& p = records.penalties[k];
    auto it = row_of.find(p.entity_id);
    if (it == row_of.end()) return UnknownEntity("penalties", k, p.entity_id);
    if (!std::isfinite(p.amount_yuan) || p.amount_yuan < 0)
      return Error{"credit.bad_amount",
                   "penalties[" + std::to_string(k) + "]: amount " + ExactDecimal(p.amount_yuan) +
                       " of decision '" + p.decision_no + "' is not a non-negative number",
                   "penalties[" + std::to_string(k) + "].amount_yuan"};
    if (within(p.date, y3)) {
      add(col.penalties_3y, it->second, 1);
      add(col.penalty_amount_3y, it->second, p.amount_yuan);
    }
    if (within(p.date, y5) && p.Severe()) add(col.severe_5y, it->second, 1);
  }

  for (std::size_t k = 0; k < records.lists.size(); ++k) {
    const auto& l = records.lists[k];
    auto it = row_of.find(l.entity_id);
    if (it == row_of.end()) return UnknownEntity("lists", k, l.entity_id);
    if (l.ActiveOn(as_of)) {
      int c = l.list == ListKind::kAbnormal ? col.abnormal : col.serious;
      if (c >= 0) m.values(it->second, c) = 1;
    }
    // A move from the abnormal list is the same case continuing: count the original listing only.
    if (within(l.listed, y5) && l.moved_from.empty()) add(col.listings_5y, it->second, 1);
  }

  for (std::size_t k = 0; k < records.complaints.size(); ++k) {
    const auto& c = records.complaints[k];
    auto it = row_of.find(c.entity_id);
    if (it == row_of.end()) return UnknownEntity("complaints", k, c.entity_id);
    if (c.substantiated && within(c.date, y1)) add(col.complaints_1y, it->second, 1);
  }

  // Register fields: age, status; and which report years were due.
  int as_of_year;
  unsigned mo, dd;
  YmdFromDate(as_of, as_of_year, mo, dd);
  const int last_due_year = Deadline(as_of_year - 1) < as_of ? as_of_year - 1 : as_of_year - 2;
  const int first_due_year = last_due_year - 2;
  std::vector<std::optional<Date>> established(entities.size());
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const auto& e = entities[i];
    const auto r = static_cast<Eigen::Index>(i);
    if (!e.established.empty()) {
      auto d = ParseDate(e.established);
      if (!d.ok())
        return Error{"credit.bad_date", "register[" + std::to_string(i) + "] (" + e.id.value + "): established: " +
                                            d.error().message,
                     "register[" + std::to_string(i) + "].established"};
      established[i] = *d;
    }
    if (col.age_days >= 0) {
      if (established[i] && *established[i] <= as_of) {
        m.values(r, col.age_days) = static_cast<double>(as_of - *established[i]);
      } else {
        m.missing(r, col.age_days) = 1;  // unknown, or established after the as-of date
      }
    }
    if (col.not_active >= 0) m.values(r, col.not_active) = e.status == "active" ? 0 : 1;
  }
  if (col.reports_missing >= 0 || col.reports_late >= 0) {
    // filed[i][y - first_due_year]: earliest filing on or before as_of.
    std::vector<std::array<std::optional<Date>, 3>> filed(entities.size());
    for (std::size_t k = 0; k < records.annual_reports.size(); ++k) {
      const auto& a = records.annual_reports[k];
      auto it = row_of.find(a.entity_id);
      if (it == row_of.end()) return UnknownEntity("annual_reports", k, a.entity_id);
      if (a.year < first_due_year || a.year > last_due_year || a.filed > as_of) continue;
      auto& slot = filed[static_cast<std::size_t>(it->second)][static_cast<std::size_t>(a.year - first_due_year)];
      if (!slot || a.filed < *slot) slot = a.filed;
    }
    for (std::size_t i = 0; i < entities.size(); ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      for (int y = first_due_year; y <= last_due_year; ++y) {
        // An entity reports from the year after it was established; an unknown date counts as due.
        if (established[i] && *established[i] > DateFromYmd(y, 12, 31)) continue;
        const auto& f = filed[i][static_cast<std::size_t>(y - first_due_year)];
        if (!f) add(col.reports_missing, r, 1);
        else if (*f > Deadline(y)) add(col.reports_late, r, 1);
      }
    }
  } else {
    for (std::size_t k = 0; k < records.annual_reports.size(); ++k)
      if (!row_of.count(records.annual_reports[k].entity_id))
        return UnknownEntity("annual_reports", k, records.annual_reports[k].entity_id);
  }

  // External feeds: the latest value dated on or before as_of; missing when there is none.
  std::unordered_map<std::int64_t, std::pair<Date, double>> latest;
  for (std::size_t k = 0; k < records.external.size(); ++k) {
    const auto& x = records.external[k];
    auto it = row_of.find(x.entity_id);
    if (it == row_of.end()) return UnknownEntity("external", k, x.entity_id);
    if (!std::isfinite(x.value))
      return Error{"credit.not_finite", "external[" + std::to_string(k) + "]: value is not a finite number",
                   "external[" + std::to_string(k) + "].value"};
    auto c = ext_cols.find(x.source + "." + x.name);
    if (c == ext_cols.end() || x.as_of > as_of) continue;
    const std::int64_t key = it->second * cols + c->second;
    auto [slot, fresh] = latest.emplace(key, std::make_pair(x.as_of, x.value));
    if (fresh) continue;
    if (x.as_of > slot->second.first) {
      slot->second = {x.as_of, x.value};
    } else if (x.as_of == slot->second.first && x.value != slot->second.second) {
      return Error{"credit.conflicting_feed",
                   "external[" + std::to_string(k) + "]: ext." + x.source + "." + x.name + " of '" + x.entity_id +
                       "' has two different values dated " + FormatDate(x.as_of),
                   "external[" + std::to_string(k) + "].value"};
    }
  }
  for (const auto& [name, c] : ext_cols) {
    (void)name;
    for (Eigen::Index i = 0; i < rows; ++i) m.missing(i, c) = 1;
  }
  for (const auto& [key, v] : latest) {
    const Eigen::Index i = key / cols, c = key % cols;
    m.values(i, c) = v.second;
    m.missing(i, c) = 0;
  }
  return m;
}

}  // namespace suiji::credit
