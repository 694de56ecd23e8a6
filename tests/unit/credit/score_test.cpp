#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>

#include "credit/score.h"

namespace suiji::credit {
namespace {

const char* kModel = R"(model: hand
version: "7"
indicators:
  - name: penalties_3y
    transform: cap
    cap: 5
    normalize: {min: 0, max: 5}
    weight: 12
  - name: serious_listed
    weight: 30
  - name: inspection_problem_rate_3y
    normalize: {min: 0, max: 1}
    weight: 20
    missing: {impute: 0.1}
  - name: registration_age_days
    transform: years
    normalize: {min: 0, max: 5}
    weight: -4
    missing: {impute: 0}
classes:
  - {class: A, label: low}
  - {class: B, min_score: 10}
  - {class: C, min_score: 25, label: higher}
  - {class: D, min_score: 45}
)";

IndicatorMatrix Matrix(std::vector<std::string> ids, std::vector<std::string> names) {
  IndicatorMatrix m;
  m.as_of = ParseDate("2024-03-01").value();
  m.entity_ids = std::move(ids);
  m.names = std::move(names);
  m.values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m.entity_ids.size()), static_cast<Eigen::Index>(m.names.size()));
  m.missing = MissingMask::Zero(m.values.rows(), m.values.cols());
  return m;
}

TEST(Score, HandComputedExampleAndExplanation) {
  auto model = rules::ParseCreditModel(kModel, "hand.yaml").value();
  // Columns in a different order than the model, plus one the model does not use.
  auto m = Matrix({"X", "Y"}, {"serious_listed", "complaints_1y", "penalties_3y", "inspection_problem_rate_3y",
                               "registration_age_days"});
  // X: 2 penalties, on the serious list, never inspected (rate missing), 730.5 days = 2 years old.
  m.values.row(0) << 1, 7, 2, 0, 730.5;
  m.missing(0, 3) = 1;
  // Y: 9 penalties (capped at 5), not listed, rate 0.25, unknown age.
  m.values.row(1) << 0, 0, 9, 0.25, 0;
  m.missing(1, 4) = 1;

  auto s = ScoreAll(model, m);
  ASSERT_TRUE(s.ok()) << s.error().message;
  // X: 12*2/5 + 30 + 20*0.1 (imputed) - 4*2/5 = 4.8 + 30 + 2 - 1.6 = 35.2 -> C
  EXPECT_NEAR(s->scores(0), 35.2, 1e-12);
  EXPECT_EQ(s->classes[0], RiskClass::kC);
  // Y: 12 + 0 + 5 - 0 = 17 -> B
  EXPECT_NEAR(s->scores(1), 17.0, 1e-12);
  EXPECT_EQ(s->classes[1], RiskClass::kB);
  EXPECT_EQ(s->class_counts[1], 1);
  EXPECT_EQ(s->class_counts[2], 1);
  EXPECT_EQ(s->model_version, "7");
  EXPECT_EQ(s->as_of, m.as_of);

  auto e = Explain(model, m, 0);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->contributions.size(), 4u);
  EXPECT_EQ(e->contributions[0].indicator, "penalties_3y");
  EXPECT_NEAR(e->contributions[0].contribution, 4.8, 1e-12);
  EXPECT_EQ(e->contributions[1].contribution, 30);
  EXPECT_TRUE(e->contributions[2].missing);
  EXPECT_EQ(e->contributions[2].used, 0.1);
  EXPECT_NEAR(e->contributions[2].contribution, 2.0, 1e-12);
  EXPECT_NEAR(e->contributions[3].transformed, 2.0, 1e-12);
  EXPECT_NEAR(e->contributions[3].contribution, -1.6, 1e-12);
  double sum = 0;
  for (const auto& c : e->contributions) sum += c.contribution;
  EXPECT_EQ(sum, e->score);           // exactly
  EXPECT_EQ(e->score, s->scores(0));  // exactly the batch score
  EXPECT_EQ(e->cls, RiskClass::kC);
  EXPECT_EQ(e->class_label, "higher");
  EXPECT_EQ(e->class_min_score, 25);
  EXPECT_EQ(e->model_digest, model.digest);
  EXPECT_EQ(e->input_digest, InputDigest(m, 0));

  Json j = ExplanationJson(*e);
  EXPECT_EQ(j["class"], "C");
  EXPECT_EQ(j["model"]["version"], "7");
  EXPECT_EQ(j["contributions"][2]["imputed"], 0.1);
  EXPECT_EQ(std::stod(j["score_exact"].get<std::string>()), e->score);
  std::string text = ExplanationText(*e);
  EXPECT_NE(text.find("class C higher"), std::string::npos) << text;
  EXPECT_NE(text.find("missing: imputed"), std::string::npos) << text;
}

TEST(Score, BatchEqualsExplanationBitForBitOnRandomData) {
  const char* model_text = R"(model: r
version: "1"
indicators:
  - {name: penalties_3y, transform: log1p, weight: 3.3}
  - {name: penalty_amount_3y, transform: log1p, normalize: {min: 0, max: 13.8}, weight: 6.1}
  - {name: inspections_3y, transform: cap, cap: 4.5, normalize: {center: 1.1, scale: 0.7}, weight: 1.7}
  - {name: complaints_1y, transform: indicator, threshold: 0.5, weight: 2.9}
  - {name: registration_age_days, transform: years, normalize: {min: 0, max: 7}, weight: -3.1, missing: {impute: 100.5}}
  - {name: ext.court.cases, weight: 0.37, missing: {impute: 0.3}}
classes:
  - {class: A}
  - {class: B, min_score: 3}
  - {class: C, min_score: 6}
  - {class: D, min_score: 9}
)";
  auto model = rules::ParseCreditModel(model_text).value();
  const int n = 5003;  // not a multiple of the block size or of any vector width
  std::vector<std::string> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = "E" + std::to_string(i);
  auto m = Matrix(ids, {"penalties_3y", "penalty_amount_3y", "inspections_3y", "complaints_1y",
                        "registration_age_days", "ext.court.cases"});
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(-2, 9);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 6; ++j) m.values(i, j) = u(rng) * (j == 1 ? 1e5 : j == 4 ? 1000 : 1);
    if (rng() % 7 == 0) { m.missing(i, 4) = 1; m.values(i, 4) = 0; }
    if (rng() % 3 == 0) { m.missing(i, 5) = 1; m.values(i, 5) = 0; }
  }
  auto s = ScoreAll(model, m);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::array<std::int64_t, 4> counts{};
  for (int i = 0; i < n; ++i) {
    auto e = Explain(model, m, static_cast<std::size_t>(i));
    ASSERT_TRUE(e.ok());
    double sum = 0;
    for (const auto& c : e->contributions) sum += c.contribution;
    ASSERT_EQ(sum, e->score) << i;
    ASSERT_EQ(e->score, s->scores(i)) << i;
    ASSERT_EQ(e->cls, s->classes[i]) << i;
    ++counts[static_cast<int>(e->cls)];
  }
  EXPECT_EQ(counts, s->class_counts);
  for (auto c : counts) EXPECT_GT(c, 0);  // the data exercises every class
}

TEST(Score, Errors) {
  auto model = rules::ParseCreditModel(kModel).value();
  auto m = Matrix({"X", "Y"}, {"serious_listed", "penalties_3y", "inspection_problem_rate_3y"});
  auto s = ScoreAll(model, m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "credit.missing_indicator");
  EXPECT_EQ(s.error().field, "registration_age_days");

  m = Matrix({"X", "Y"}, {"serious_listed", "penalties_3y", "inspection_problem_rate_3y", "registration_age_days"});
  m.missing(1, 1) = 1;  // penalties are never missing and the model states no imputation
  s = ScoreAll(model, m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "credit.missing_value");
  EXPECT_NE(s.error().message.find("'Y'"), std::string::npos) << s.error().message;
  EXPECT_FALSE(Explain(model, m, 1).ok());
  EXPECT_TRUE(Explain(model, m, 0).ok());

  m.missing(1, 1) = 0;
  m.values(1, 0) = std::nan("");
  s = ScoreAll(model, m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "credit.not_finite");
  EXPECT_EQ(s.error().field, "serious_listed");
  EXPECT_FALSE(Explain(model, m, 7).ok());

  m.values.resize(3, 4);
  EXPECT_EQ(ScoreAll(model, m).error().code, "credit.matrix_shape");
}


// Every vector path and thread count gives the same bits, equal to Explain's, on data with zeros,
// negatives, huge and tiny values and missing values; the log1p transform is in three columns.
TEST(Score, EveryVectorPathAndThreadCountGivesTheSameBits) {
  const char* model_text = R"(model: paths
version: "1"
indicators:
  - {name: penalties_3y, transform: log1p, weight: 3.3}
  - {name: penalty_amount_3y, transform: log1p, normalize: {min: 0, max: 13.8}, weight: 6.1, missing: {impute: 5000}}
  - {name: complaints_1y, transform: log1p, normalize: {center: -0.5, scale: 2.1}, weight: 1.9}
  - {name: inspections_3y, transform: cap, cap: 4.5, normalize: {center: 1.1, scale: 0.7}, weight: 1.7}
  - {name: not_found_3y, transform: indicator, threshold: 0.5, normalize: {min: -0.3, max: 0.7}, weight: 2.9}
  - {name: severe_penalties_5y, transform: indicator, weight: 1.3}
  - {name: registration_age_days, transform: years, normalize: {min: 0, max: 7}, weight: -3.1, missing: {impute: 100.5}}
  - {name: ext.court.cases, weight: 0.37, missing: {impute: 0.3}}
  - {name: listings_5y, normalize: {min: 0, max: 1}, weight: 0.7}
classes:
  - {class: A}
  - {class: B, min_score: 3}
  - {class: C, min_score: 6}
  - {class: D, min_score: 9}
)";
  auto model = rules::ParseCreditModel(model_text).value();
  const int n = 3 * 2048 + 1001;  // several blocks, a partial one, and a tail no vector width divides
  std::vector<std::string> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = "E" + std::to_string(i);
  auto m = Matrix(ids, {"ext.court.cases", "penalties_3y", "penalty_amount_3y", "complaints_1y", "inspections_3y",
                        "not_found_3y", "registration_age_days", "severe_penalties_5y", "listings_5y"});
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-3, 12);
  const double specials[] = {0.0, -0.0, 1e-310, -1e-300, 0x1p-53, 0.41421356, 1e15, 1e300, -1e300, 4.5, 0.5};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 9; ++j) {
      const auto r = rng() % 10;
      m.values(i, j) = r < 4 ? 0.0 : r == 4 ? specials[rng() % std::size(specials)] : u(rng) * (j == 2 ? 1e5 : 1);
      if ((j == 0 || j == 2 || j == 6) && rng() % 6 == 0) { m.missing(i, j) = 1; m.values(i, j) = 0; }
    }
  auto ref = ScoreAll(model, m, {.threads = 1, .path = VectorPath::kSse2});
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  for (auto path : {VectorPath::kAuto, VectorPath::kSse2, VectorPath::kAvx2, VectorPath::kAvx512}) {
    if (!VectorPathSupported(path)) {
      std::printf("skipping the %s path: not supported by this CPU\n", VectorPathName(path));
      continue;
    }
    for (int threads : {1, 2, 3, 5}) {
      auto s = ScoreAll(model, m, {.threads = threads, .path = path});
      ASSERT_TRUE(s.ok()) << s.error().message;
      for (int i = 0; i < n; ++i)
        ASSERT_EQ(std::bit_cast<std::uint64_t>(s->scores(i)), std::bit_cast<std::uint64_t>(ref->scores(i)))
            << VectorPathName(path) << " threads " << threads << " row " << i;
      EXPECT_EQ(s->classes, ref->classes);
      EXPECT_EQ(s->class_counts, ref->class_counts);
    }
  }
  for (int i = 0; i < n; ++i) {
    auto e = Explain(model, m, static_cast<std::size_t>(i));
    ASSERT_TRUE(e.ok()) << e.error().message;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(e->score), std::bit_cast<std::uint64_t>(ref->scores(i))) << i;
    ASSERT_EQ(e->cls, ref->classes[static_cast<std::size_t>(i)]);
  }
  for (auto c : ref->class_counts) EXPECT_GT(c, 0);
}

// With several threads the error is the one a row-by-row scan meets first, whatever range it is in.
TEST(Score, ErrorsAreTheFirstInRowOrderWithThreads) {
  auto model = rules::ParseCreditModel(kModel).value();
  const int n = 20000;
  std::vector<std::string> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = "E" + std::to_string(i);
  auto m = Matrix(ids, {"serious_listed", "penalties_3y", "inspection_problem_rate_3y", "registration_age_days"});
  m.values(15000, 0) = std::numeric_limits<double>::infinity();  // in the last thread's range
  m.missing(17000, 1) = 1;                                        // later still, no imputation
  for (int threads : {1, 2, 4}) {
    auto s = ScoreAll(model, m, {.threads = threads});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, "credit.not_finite");
    EXPECT_NE(s.error().message.find("'E15000'"), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().field, "serious_listed");
  }
  m.missing(9000, 1) = 1;  // earlier: the missing value now comes first
  m.values(9000, 0) = std::nan("");  // same block, but the missing value is met first (column order)
  for (int threads : {1, 2, 4}) {
    auto s = ScoreAll(model, m, {.threads = threads});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, "credit.missing_value") << s.error().message;
    EXPECT_NE(s.error().message.find("'E9000'"), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().field, "penalties_3y");
  }
}

TEST(Score, UnsupportedPathIsAnError) {
  EXPECT_TRUE(VectorPathSupported(VectorPath::kSse2));
  EXPECT_NE(ResolveVectorPath(VectorPath::kAuto), VectorPath::kAuto);
  auto model = rules::ParseCreditModel(kModel).value();
  auto m = Matrix({"X"}, {"serious_listed", "penalties_3y", "inspection_problem_rate_3y", "registration_age_days"});
  for (auto path : {VectorPath::kAvx2, VectorPath::kAvx512}) {
    auto s = ScoreAll(model, m, {.path = path});
    if (VectorPathSupported(path)) {
      EXPECT_TRUE(s.ok());
    } else {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code, "credit.vector_path");
    }
  }
}

}  // namespace
}  // namespace suiji::credit
