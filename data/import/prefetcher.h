// Prefetcher<T, Prepared>: runs an Importer's NextBatch on a second thread, at most `depth` batches
// ahead of the caller, so reading, decoding and validating the file overlap whatever the caller does
// with the previous batch (e.g. the database COPY). An optional `prepare` step also runs on that
// thread and turns each batch of values into what the caller consumes (e.g. rows already checked,
// hashed and sorted for the store), so the caller's thread is left with the I/O alone.
//
// The OnReject sink and `prepare` run on the reader thread. Do not touch the importer while a
// Prefetcher over it exists; read its report() after the Prefetcher is gone (the destructor stops
// the thread and joins it). Each Batch carries the report's counts as of itself. Exceptions thrown
// by the reader or by `prepare` are rethrown from Next() once the batches before them are consumed.
// Recycle() hands spent batches back so that the reader thread, not the caller's, frees them.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "data/import/importer.h"

namespace suiji::import {

template <typename T, typename Prepared = std::vector<T>>
class Prefetcher {
 public:
  struct Batch {
    Prepared values;
    std::int64_t rows_read = 0, rows_rejected = 0;  // the report's counts when this batch was read
  };
  using Prepare = std::function<Prepared(std::vector<T>&&)>;

  // `prepare` may be empty only when Prepared is std::vector<T> (the values pass through as read).
  explicit Prefetcher(Importer<T>& importer, std::size_t max_records = 10000, std::size_t depth = 2,
                      Prepare prepare = {})
      : state_(std::make_unique<State>()) {
    if (!prepare) {
      if constexpr (std::is_same_v<Prepared, std::vector<T>>)
        prepare = [](std::vector<T>&& v) { return std::move(v); };
      else
        throw std::logic_error("Prefetcher: a prepare step is required for this batch type");
    }
    Start(importer, max_records, max_records, depth,
          [prepare = std::move(prepare)](std::vector<T>&& v, Prepared& acc) { acc = prepare(std::move(v)); }, {});
  }

  // Chunked preparation: each batch of up to `max_records` values is read `chunk` values at a time,
  // and `add(chunk, batch)` runs on every chunk as soon as it is read (while its bytes are still in
  // the CPU cache), then `finish(batch)` once the batch is complete. Prepared must be
  // default-constructible: each batch starts as Prepared{}.
  using Add = std::function<void(std::vector<T>&&, Prepared&)>;
  using Finish = std::function<void(Prepared&)>;
  Prefetcher(Importer<T>& importer, std::size_t max_records, std::size_t chunk, std::size_t depth, Add add,
             Finish finish)
      : state_(std::make_unique<State>()) {
    Start(importer, max_records, chunk, depth, std::move(add), std::move(finish));
  }
  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> l(state_->mu);
      state_->stop = true;
    }
    state_->cv.notify_all();
    state_->thread.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next batch, in file order; false when the file is done. Rethrows what the reader threw.
  bool Next(Batch& out) {
    State& s = *state_;
    std::unique_lock<std::mutex> l(s.mu);
    s.cv.wait(l, [&] { return !s.queue.empty() || s.done; });
    if (s.queue.empty()) {
      if (s.failure) std::rethrow_exception(s.failure);
      return false;
    }
    out = std::move(s.queue.front());
    s.queue.pop_front();
    s.cv.notify_all();
    return true;
  }

  // Hands a consumed batch back to the reader thread, which destroys it before it reads on: freeing
  // a large batch (hundreds of thousands of allocations) then costs the caller's thread nothing.
  void Recycle(Prepared&& spent) {
    std::lock_guard<std::mutex> l(state_->mu);
    state_->spent.push_back(std::move(spent));
  }

 private:
  void Start(Importer<T>& importer, std::size_t max_records, std::size_t chunk, std::size_t depth, Add add,
             Finish finish) {
    state_->depth = depth == 0 ? 1 : depth;
    if (max_records == 0) max_records = 1;
    chunk = chunk == 0 || chunk > max_records ? max_records : chunk;
    state_->thread = std::thread([s = state_.get(), &importer, max_records, chunk, add = std::move(add),
                                  finish = std::move(finish)] { s->Run(importer, max_records, chunk, add, finish); });
  }

  struct State {
    std::size_t depth = 2;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Batch> queue;
    std::vector<Prepared> spent;  // recycled by the caller, destroyed on the reader thread
    bool done = false, stop = false;
    std::exception_ptr failure;
    std::thread thread;

    void Run(Importer<T>& importer, std::size_t max_records, std::size_t chunk, const Add& add,
             const Finish& finish) {
      try {
        std::vector<T> values;
        std::vector<Prepared> freeing;
        for (;;) {
          {
            std::lock_guard<std::mutex> l(mu);
            freeing.swap(spent);
          }
          freeing.clear();
          Batch b;
          std::size_t n = 0;
          while (n < max_records && importer.NextBatch(values, std::min(chunk, max_records - n))) {
            n += values.size();
            add(std::move(values), b.values);
            values = {};
          }
          if (n == 0) break;
          if (finish) finish(b.values);
          b.rows_read = importer.report().rows_read;
          b.rows_rejected = importer.report().rows_rejected;
          std::unique_lock<std::mutex> l(mu);
          cv.wait(l, [&] { return queue.size() < depth || stop; });
          if (stop) break;
          queue.push_back(std::move(b));
          cv.notify_all();
        }
      } catch (...) {
        std::lock_guard<std::mutex> l(mu);
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> l(mu);
      done = true;
      cv.notify_all();
    }
  };
  std::unique_ptr<State> state_;
};

}  // namespace suiji::import
