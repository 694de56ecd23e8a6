#include "reports/estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace suiji::reports {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Wilson's score interval around the observed rate p on an effective sample size n (> 0, may be
// fractional or infinite). The bounds at p == 0 and p == 1 are set exactly.
Interval WilsonAt(double p, double n, double z) {
  if (std::isinf(n)) return {p, p, p};
  const double z2n = z * z / n;
  const double denom = 1 + z2n;
  const double center = (p + z2n / 2) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / n + z2n / (4 * n));
  Interval r{p, std::max(0.0, center - half), std::min(1.0, center + half)};
  if (p <= 0) r.low = 0;
  if (p >= 1) r.high = 1;
  r.low = std::min(r.low, p);  // rounding never puts the estimate outside its interval
  r.high = std::max(r.high, p);
  return r;
}

// n / fpc, fpc = (N - n) / (N - 1): the effective sample size of n drawn from N without
// replacement; infinite for a census.
double FpcEffectiveN(std::int64_t n, std::int64_t population) {
  if (n >= population) return kInf;
  const double fpc = static_cast<double>(population - n) / static_cast<double>(population - 1);
  return static_cast<double>(n) / fpc;
}

StratumCount Clamped(const StratumCount& c) {
  StratumCount r = c;
  r.population = std::max<std::int64_t>(0, c.population);
  r.inspected = std::clamp<std::int64_t>(c.inspected, 0, r.population);
  r.problems = std::clamp<std::int64_t>(c.problems, 0, r.inspected);
  r.sampled = std::clamp<std::int64_t>(c.sampled, r.inspected, r.population);
  return r;
}

Estimate Nothing(std::string stratum, std::int64_t population, std::int64_t sampled) {
  Estimate e;
  e.stratum = std::move(stratum);
  e.population = population;
  e.sampled = sampled;
  e.rate = {0, 0, 1};
  e.method = "none";
  e.small = true;
  return e;
}

std::string Pct(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::clamp(fraction, 0.0, 1.0) * 100.0);
  return buf;
}

std::string Num(std::int64_t v) { return std::to_string(v); }

std::string Inspections(std::int64_t n, const char* adjective = "") {  // "212 concluded inspections"
  return Num(n) + " " + adjective + (n == 1 ? "inspection" : "inspections");
}

}  // namespace

Interval Wilson(std::int64_t successes, std::int64_t n, double z) {
  if (n <= 0) return {0, 0, 1};
  successes = std::clamp<std::int64_t>(successes, 0, n);
  return WilsonAt(static_cast<double>(successes) / static_cast<double>(n), static_cast<double>(n), z);
}

Interval WilsonFpc(std::int64_t successes, std::int64_t n, std::int64_t population, double z) {
  if (n <= 0) return {0, 0, 1};
  successes = std::clamp<std::int64_t>(successes, 0, n);
  return WilsonAt(static_cast<double>(successes) / static_cast<double>(n), FpcEffectiveN(n, population), z);
}

Estimate EstimateStratum(const StratumCount& count, double z) {
  const StratumCount c = Clamped(count);
  if (c.inspected == 0) return Nothing(c.stratum, c.population, c.sampled);
  Estimate e;
  e.stratum = c.stratum;
  e.population = c.population;
  e.sampled = c.sampled;
  e.inspected = c.inspected;
  e.problems = c.problems;
  e.rate = WilsonFpc(c.problems, c.inspected, c.population, z);
  e.effective_n = FpcEffectiveN(c.inspected, c.population);
  e.method = std::isinf(e.effective_n) ? "census" : "wilson_fpc";
  e.small = e.effective_n < kSmallEffectiveN;
  return e;
}

Estimate EstimateOverall(const std::vector<StratumCount>& strata, double z) {
  std::vector<StratumCount> covered;
  std::int64_t excluded = 0, sampled = 0;
  for (const StratumCount& raw : strata) {
    const StratumCount c = Clamped(raw);
    sampled += c.sampled;
    if (c.inspected > 0) {
      covered.push_back(c);
    } else {
      excluded += c.population;
    }
  }
  if (covered.empty()) {
    Estimate e = Nothing("", 0, sampled);
    e.excluded_population = excluded;
    return e;
  }
  if (covered.size() == 1) {  // one stratum known: the overall estimate is that stratum's
    Estimate e = EstimateStratum(covered[0], z);
    e.stratum.clear();
    e.sampled = sampled;
    e.excluded_population = excluded;
    return e;
  }

  Estimate e;
  e.sampled = sampled;
  e.excluded_population = excluded;
  for (const StratumCount& c : covered) {
    e.population += c.population;
    e.inspected += c.inspected;
    e.problems += c.problems;
  }
  const double total = static_cast<double>(e.population);
  double p = 0, var = 0, kish = 0;  // kish: sum W_h^2 fpc_h / m_h = 1 / (Kish's n_eff)
  double floor = 0;                 // the largest term of a stratum whose inspections came out alike
  for (const StratumCount& c : covered) {
    const double w = static_cast<double>(c.population) / total;
    const double m = static_cast<double>(c.inspected);
    const double n_pop = static_cast<double>(c.population);
    const double ph = static_cast<double>(c.problems) / m;
    const double divisor = c.inspected > 1 ? m - 1 : m;
    p += w * ph;
    if (c.problems > 0 && c.problems < c.inspected) {
      var += w * w * (1 - m / n_pop) * ph * (1 - ph) / divisor;
    } else {  // all alike: no variance of its own; its term at (y + 1/2) / (m + 1) (see the header)
      const double pt = (static_cast<double>(c.problems) + 0.5) / (m + 1);
      floor = std::max(floor, w * w * (1 - m / n_pop) * pt * (1 - pt) / divisor);
    }
    if (c.inspected < c.population) kish += w * w * ((n_pop - m) / (n_pop - 1)) / m;
  }
  var = std::max(var, floor);
  p = std::clamp(p, 0.0, 1.0);
  const double kish_n = kish > 0 ? 1 / kish : kInf;
  if (std::isinf(kish_n)) {
    e.method = "census";
    e.effective_n = kInf;
  } else {
    e.method = "stratified_wilson";
    const double pq = p * (1 - p);
    e.effective_n = pq > 0 && var > 0 ? pq / var : kish_n;
  }
  e.rate = WilsonAt(p, e.effective_n, z);
  e.small = kish_n < kSmallEffectiveN;
  return e;
}

std::string Describe(const Estimate& e, const Text& population, Lang lang) {
  const bool en = lang == Lang::kEn;
  const std::string& label = population.In(lang);
  const std::int64_t open = e.sampled - e.inspected;
  std::string s;

  if (e.method == "none") {
    s = en ? "No concluded inspections of " + label + " yet: no estimate."
           : label + "尚无已办结的检查，无法估计问题比例。";
  } else if (e.method == "census") {
    s = en ? "All " + Num(e.population) + " " + label + " were inspected: " + Pct(e.rate.estimate) +
                 " showed a problem (" + Num(e.problems) + ")."
           : label + "共 " + Num(e.population) + " 个，已全部检查，其中 " + Pct(e.rate.estimate) + "（" +
                 Num(e.problems) + " 个）被发现问题。";
  } else {
    const std::string range = Pct(e.rate.low) + (en ? "-" : "–") + Pct(e.rate.high);
    std::string basis;
    if (open > 0) {
      basis = en ? "from " + Inspections(e.inspected, "concluded ") + " (" + Num(open) +
                       " more not yet concluded)"
                 : "依据 " + Num(e.inspected) + " 次已办结的检查（另有 " + Num(open) + " 项尚未办结）";
    } else {
      basis = en ? "from " + Inspections(e.inspected) : "依据 " + Num(e.inspected) + " 次检查";
    }
    if (!e.small) {
      s = en ? "About " + Pct(e.rate.estimate) + " of " + label + " would show a problem; 95% interval " +
                   range + "; " + basis + "."
             : label + "中约 " + Pct(e.rate.estimate) + " 会被发现问题；95% 区间 " + range + "；" + basis +
                   "。";
    } else if (static_cast<double>(e.inspected) < kSmallEffectiveN) {
      s = en ? "Only " + Inspections(e.inspected) + ": too few to estimate reliably; the problem rate of " +
                   label + " lies somewhere in " + range + " (95% interval)" +
                   (open > 0 ? ", " + Num(open) + " more not yet concluded" : "") + "."
             : "仅 " + Num(e.inspected) + " 次检查，样本太少，无法可靠估计：" + label + "的问题比例在 " +
                   range + " 之间（95% 区间）" + (open > 0 ? "，另有 " + Num(open) + " 项尚未办结" : "") +
                   "。";
    } else {  // enough inspections, but concentrated in a few small strata that carry little weight
      s = en ? "The " + Inspections(e.inspected) +
                   " are spread too unevenly across the strata to estimate reliably; the problem rate of " +
                   label + " lies somewhere in " + range + " (95% interval)."
             : Num(e.inspected) + " 次检查在各分层间分布过于不均，无法可靠估计：" + label + "的问题比例在 " +
                   range + " 之间（95% 区间）。";
    }
  }
  if (e.excluded_population > 0) {
    s += en ? " " + Num(e.excluded_population) +
                  " entities in strata with no concluded inspection are not covered."
            : "另有 " + Num(e.excluded_population) + " 个对象所在的分层尚无已办结的检查，未计入。";
  }
  return s;
}

}  // namespace suiji::reports
