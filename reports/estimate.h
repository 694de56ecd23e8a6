// Problem rates estimated from a draw's inspections: per stratum and overall, each with a 95%
// interval and a sentence a non-statistician reads. Pure: counts in, numbers and words out.
//
// The design. A draw takes, in each stratum h, a simple random sample without replacement of n_h of
// the stratum's N_h entities. m_h <= n_h of those inspections are concluded so far, and y_h of them
// found a problem. The concluded ones are treated as a simple random sample of m_h from N_h, i.e.
// tasks still open are assumed to be open for reasons unrelated to what they will find; if the
// tasks with problems take longer, early estimates are too low. Describe() says how many are open.
//
// Per stratum (method "wilson_fpc"): p_h = y_h / m_h with the Wilson score interval on the
// effective sample size m_h / fpc_h, fpc_h = (N_h - m_h) / (N_h - 1): the finite-population
// correction narrows the interval as the sample covers more of the stratum, down to zero width for a
// census (m_h == N_h, method "census"). The interval's coverage, computed exactly over the
// hypergeometric distribution, stays within about 91-98% for rates 0.5-30% and m_h of 50-200 (the
// Wilson interval's known oscillation), averaging 95%.
//
// Overall (method "stratified_wilson"): the stratified estimator p = sum W_h p_h, W_h = N_h / N,
// with variance v = sum W_h^2 (1 - m_h/N_h) p_h (1 - p_h) / (m_h - 1) (divisor m_h when m_h == 1),
// and the Wilson score interval on the effective sample size n_eff = p (1 - p) / v: the approach of
// Korn & Graubard (1998, "Confidence intervals for proportions with small expected number of
// positive counts estimated from survey data", Survey Methodology 24:193-201), with Wilson's score
// interval in place of their Clopper-Pearson one (compared in that form by Dean & Pagano 2015,
// "Evaluating confidence interval methods for binomial proportions in clustered surveys", Journal
// of Survey Statistics and Methodology 3:484-503). At a 2% rate the normal interval p +- z sqrt(v)
// covers the truth in only ~90% of draws; this one stays near 95% (estimate_test.cpp measures both).
// n_eff is not capped at the number of inspections: the finite-population correction and the
// stratification legitimately make it larger.
//
// One adjustment of ours, not from those papers: a stratum whose inspections all came out alike
// (y_h == 0 or y_h == m_h) adds zero to v, so a heavily weighted stratum with 0 problems in 10
// inspections would make the interval as narrow as if its rate were known exactly (coverage 0.1% in
// such a design, measured). So v is never taken below the term any one such stratum would add at
// p~_h = (y_h + 1/2) / (m_h + 1). Where no stratum dominates like that the floor stays below v and
// changes nothing. When no problem was found anywhere (p == 0, or p == 1), n_eff is Kish's effective
// sample size of the design, 1 / sum W_h^2 fpc_h / m_h (m / fpc for one stratum), as for Wilson's
// 0 of n. With one stratum inspected the overall estimate is that stratum's own.
//
// Strata with m_h == 0 contribute nothing known. They are left out: the overall estimate is the
// rate among the strata with concluded inspections, `population` is their size, and
// `excluded_population` (stated by Describe) the size of the strata left out. Nothing is imputed.
//
// "Small": fewer than 30 effective inspections (Kish's n_eff of the design above; the US NCHS Data
// Presentation Standards for Proportions, 2017, call an estimate unreliable below 30). A census is
// never small. A small estimate still carries its interval; Describe() says plainly that it is too
// few to say much.
//
// Counts are expected to satisfy 0 <= problems <= inspected <= sampled <= population; counts out of
// that order are clamped into it (problems and inspected first, sampled last), so a bad row never
// yields NaN. Callers that care should check their rows before.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "reports/report.h"

namespace suiji::reports {

inline constexpr double kZ95 = 1.959963984540054;  // the 97.5% normal quantile: 95% two-sided
inline constexpr double kSmallEffectiveN = 30;     // below this an estimate is "small" (see above)

struct StratumCount {
  std::string stratum;
  std::int64_t population = 0;  // N_h: entities in the stratum when drawn
  std::int64_t sampled = 0;     // n_h: drawn
  std::int64_t inspected = 0;   // m_h: drawn and concluded
  std::int64_t problems = 0;    // y_h: concluded with a problem found
};

struct Interval {
  double estimate = 0, low = 0, high = 0;  // fractions in [0, 1], low <= estimate <= high
};

struct Estimate {
  std::string stratum;                   // "" for the overall estimate
  std::int64_t population = 0;           // covered: the strata with inspections (all, for a stratum)
  std::int64_t excluded_population = 0;  // overall only: strata with no concluded inspection
  std::int64_t sampled = 0, inspected = 0, problems = 0;
  Interval rate;           // the problem rate with its interval; {0, 0, 1} when nothing is known
  double effective_n = 0;  // the n the interval was computed on; +infinity for a census
  std::string method;      // "wilson_fpc" | "stratified_wilson" | "census" | "none" (no inspection)
  bool small = false;      // fewer than kSmallEffectiveN effective inspections (or none)
};

// The Wilson score interval for `successes` of `n` (independent trials, or a sample from an
// infinite population). n <= 0 gives {0, 0, 1}; successes is clamped into [0, n].
Interval Wilson(std::int64_t successes, std::int64_t n, double z = kZ95);

// Wilson's interval for a simple random sample of n from `population` without replacement: the
// effective sample size n / fpc, fpc = (N - n) / (N - 1). n >= N (a census) gives the exact rate
// with zero width; n small against N approaches Wilson(successes, n).
Interval WilsonFpc(std::int64_t successes, std::int64_t n, std::int64_t population, double z = kZ95);

// One stratum's estimate (method "wilson_fpc", "census" or "none").
Estimate EstimateStratum(const StratumCount& count, double z = kZ95);

// The overall estimate over the strata (method "stratified_wilson", "wilson_fpc" when only one
// stratum has inspections, "census" when every covered stratum was inspected in full, "none" when
// no stratum has any). z other than kZ95 gives another level; the sentences of Describe() still say
// 95%, so only tests pass it.
Estimate EstimateOverall(const std::vector<StratumCount>& strata, double z = kZ95);

// One sentence (or two) in `lang` about `estimate`, with `population` naming the entities, e.g.
// {"江阳区食品经营主体", "food-service entities in 江阳区"} (en falls back to zh):
//   "江阳区食品经营主体中约 7.2% 会被发现问题；95% 区间 5.1%–9.8%；依据 212 次检查。"
//   "About 7.2% of food-service entities in 江阳区 would show a problem; 95% interval 5.1%-9.8%;
//    from 212 inspections."
// Percentages have one decimal. Small estimates say so first ("Only 4 inspections: too few to
// estimate reliably; ..."), open tasks and strata left out are stated, a census is stated as exact.
std::string Describe(const Estimate& estimate, const Text& population, Lang lang);

}  // namespace suiji::reports
