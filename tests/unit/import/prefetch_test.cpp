// Prefetcher: the same batches, in the same order, as calling NextBatch directly; per-batch report
// snapshots; early destruction while the reader thread is blocked or busy does not hang.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "data/import/prefetcher.h"
#include "test_util.h"

namespace suiji::import {
namespace {

using testing::Regions;
using testing::Uscc;

const std::string kHeader = "统一社会信用代码,名称,登记机关区划,行业代码,企业类型,登记状态,成立日期,住所,法定代表人,特殊名录\n";

// n rows; every 7th has a bad region code (rejected).
std::string File(int n) {
  std::string text = kHeader;
  for (int i = 0; i < n; ++i) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "91510104MA%07d", i);
    text += Uscc(first17) + ",企业" + std::to_string(i) + "," + (i % 7 == 3 ? "999999" : "510104") +
            ",F5212,有限责任公司,存续,2015-03-07,成都市,张伟,\n";
  }
  return text;
}

std::vector<std::vector<std::string>> DirectBatches(const std::string& text, std::size_t size, ImportReport& rep) {
  auto imp = EntityImporter::FromString(text, Regions());
  EXPECT_TRUE(imp.ok());
  std::vector<std::vector<std::string>> out;
  std::vector<Entity> batch;
  while (imp.value().NextBatch(batch, size)) {
    out.emplace_back();
    for (const Entity& e : batch) out.back().push_back(e.id.value);
  }
  rep = imp.value().report();
  return out;
}

TEST(Prefetcher, SameBatchesInOrderWithReportSnapshots) {
  const std::string text = File(1000);
  ImportReport direct_report;
  auto direct = DirectBatches(text, 64, direct_report);
  ASSERT_GT(direct.size(), 10u);

  auto imp = EntityImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  std::int64_t sunk = 0;
  imp.value().OnReject([&](const RejectedRow&) { ++sunk; });  // runs on the reader thread
  std::vector<std::vector<std::string>> got;
  std::int64_t last_read = 0, last_rejected = 0;
  {
    Prefetcher<Entity> p(imp.value(), 64, 3);
    Prefetcher<Entity>::Batch b;
    while (p.Next(b)) {
      got.emplace_back();
      for (const Entity& e : b.values) got.back().push_back(e.id.value);
      EXPECT_GT(b.rows_read, last_read);
      EXPECT_GE(b.rows_rejected, last_rejected);
      last_read = b.rows_read;
      last_rejected = b.rows_rejected;
    }
    EXPECT_FALSE(p.Next(b)) << "stays done";
  }
  EXPECT_EQ(got, direct);
  const ImportReport& rep = imp.value().report();
  EXPECT_EQ(rep.rows_read, 1000);
  EXPECT_EQ(rep.rows_rejected, direct_report.rows_rejected);
  EXPECT_GT(rep.rows_rejected, 100);
  EXPECT_EQ(sunk, rep.rows_rejected);
  EXPECT_EQ(last_read, rep.rows_read);
  EXPECT_EQ(last_rejected, rep.rows_rejected);
}

TEST(Prefetcher, StoppingEarlyDoesNotHang) {
  const std::string text = File(5000);
  for (int taken : {0, 1, 2}) {
    auto imp = EntityImporter::FromString(text, Regions());
    ASSERT_TRUE(imp.ok());
    Prefetcher<Entity> p(imp.value(), 10, 1);
    Prefetcher<Entity>::Batch b;
    for (int i = 0; i < taken; ++i) ASSERT_TRUE(p.Next(b));
  }  // destroyed with the reader blocked on a full queue
}

TEST(Prefetcher, PrepareRunsOnTheReaderThreadInOrder) {
  const std::string text = File(500);
  ImportReport direct_report;
  auto direct = DirectBatches(text, 50, direct_report);
  auto imp = EntityImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  const auto caller = std::this_thread::get_id();
  bool on_caller = false;
  std::vector<std::vector<std::string>> got;
  {
    using Ids = std::vector<std::string>;
    Prefetcher<Entity, Ids> p(imp.value(), 50, 2, [&](std::vector<Entity>&& batch) {
      on_caller = on_caller || std::this_thread::get_id() == caller;
      Ids ids;
      for (const Entity& e : batch) ids.push_back(e.id.value);
      return ids;
    });
    Prefetcher<Entity, Ids>::Batch b;
    while (p.Next(b)) got.push_back(std::move(b.values));
  }
  EXPECT_EQ(got, direct);
  EXPECT_FALSE(on_caller);
}

TEST(Prefetcher, ChunkedAddAndFinishBuildTheSameBatches) {
  const std::string text = File(1000);
  ImportReport direct_report;
  auto direct = DirectBatches(text, 64, direct_report);
  auto imp = EntityImporter::FromString(text, Regions());
  ASSERT_TRUE(imp.ok());
  struct Ids {
    std::vector<std::string> ids;
    int chunks = 0;
    bool finished = false;
  };
  std::vector<Ids> got;
  {
    Prefetcher<Entity, Ids> p(
        imp.value(), 64, 10, 2,
        [](std::vector<Entity>&& chunk, Ids& into) {
          EXPECT_LE(chunk.size(), 10u);
          EXPECT_FALSE(into.finished);
          ++into.chunks;
          for (const Entity& e : chunk) into.ids.push_back(e.id.value);
        },
        [](Ids& batch) { batch.finished = true; });
    Prefetcher<Entity, Ids>::Batch b;
    while (p.Next(b)) got.push_back(std::move(b.values));
  }
  ASSERT_EQ(got.size(), direct.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].ids, direct[i]) << i;
    EXPECT_TRUE(got[i].finished);
    EXPECT_GE(got[i].chunks, static_cast<int>((got[i].ids.size() + 9) / 10));
  }
}

TEST(Prefetcher, PrepareFailureIsRethrownAfterEarlierBatches) {
  auto imp = EntityImporter::FromString(File(300), Regions());
  ASSERT_TRUE(imp.ok());
  int calls = 0;
  Prefetcher<Entity, int> p(imp.value(), 100, 2, [&](std::vector<Entity>&&) {
    if (++calls == 2) throw std::runtime_error("prepare failed");
    return calls;
  });
  Prefetcher<Entity, int>::Batch b;
  ASSERT_TRUE(p.Next(b));
  EXPECT_EQ(b.values, 1);
  EXPECT_THROW(p.Next(b), std::runtime_error);
}

// Records the thread it is destroyed on (a moved-from Tracer records nothing).
struct Tracer {
  std::shared_ptr<std::mutex> mu;
  std::shared_ptr<std::vector<std::thread::id>> freed_on;
  Tracer() = default;
  Tracer(std::shared_ptr<std::mutex> m, std::shared_ptr<std::vector<std::thread::id>> f)
      : mu(std::move(m)), freed_on(std::move(f)) {}
  Tracer(Tracer&& o) noexcept : mu(std::move(o.mu)), freed_on(std::move(o.freed_on)) {}
  Tracer& operator=(Tracer&& o) noexcept {
    Record();
    mu = std::move(o.mu);
    freed_on = std::move(o.freed_on);
    return *this;
  }
  ~Tracer() { Record(); }
  void Record() {
    if (!freed_on) return;
    std::lock_guard<std::mutex> l(*mu);
    freed_on->push_back(std::this_thread::get_id());
    freed_on.reset();
  }
};

TEST(Prefetcher, RecycledBatchesAreFreedOnTheReaderThread) {
  auto imp = EntityImporter::FromString(File(400), Regions());
  ASSERT_TRUE(imp.ok());
  auto mu = std::make_shared<std::mutex>();
  auto freed_on = std::make_shared<std::vector<std::thread::id>>();
  std::thread::id reader;
  int batches = 0;
  {
    Prefetcher<Entity, Tracer> p(imp.value(), 50, 2, [&](std::vector<Entity>&&) {
      reader = std::this_thread::get_id();
      return Tracer(mu, freed_on);
    });
    Prefetcher<Entity, Tracer>::Batch b;
    while (p.Next(b)) {
      ++batches;
      p.Recycle(std::move(b.values));
    }
  }
  ASSERT_EQ(batches, 7);  // 343 valid rows (every 7th is rejected) in 50s
  std::lock_guard<std::mutex> l(*mu);
  ASSERT_EQ(freed_on->size(), 7u);
  // Every batch recycled before the reader's last read was freed there; only the last few (the
  // reader runs up to 2 batches ahead, then ends) go with the Prefetcher, on this thread.
  int on_reader = 0;
  for (auto id : *freed_on) on_reader += id == reader;
  EXPECT_GE(on_reader, 4);
}

TEST(Prefetcher, EmptyFileEndsAtOnce) {
  auto imp = EntityImporter::FromString(kHeader, Regions());
  ASSERT_TRUE(imp.ok());
  Prefetcher<Entity> p(imp.value());
  Prefetcher<Entity>::Batch b;
  EXPECT_FALSE(p.Next(b));
}

}  // namespace
}  // namespace suiji::import
