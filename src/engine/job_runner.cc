#include "engine/job_runner.h"

#include <algorithm>

namespace tenantdb {

namespace {

int64_t PeriodMicros(std::chrono::milliseconds period) {
  return std::chrono::duration_cast<std::chrono::microseconds>(period).count();
}

}  // namespace

JobRunner::JobRunner(size_t history, const Clock* clock)
    : history_limit_(std::max<size_t>(1, history)), clock_(clock) {}

JobRunner::~JobRunner() {
  Stop();
}

void JobRunner::AddPeriodic(std::string name, std::chrono::milliseconds period, Task task) {
  std::lock_guard<std::mutex> lock(mu_);
  periodic_.push_back(
      {std::move(name), period, std::move(task), clock_->MonotonicMicros() + PeriodMicros(period)});
}

void JobRunner::Trigger(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Periodic& p : periodic_) {
      if (p.name == name) p.next_micros = clock_->MonotonicMicros();
    }
    rescheduled_ = true;
  }
  wake_.notify_all();
}

void JobRunner::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void JobRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JobRunner::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (periodic_.empty()) {
      wake_.wait(lock, [this] { return stopping_; });
      break;
    }
    auto due = std::min_element(
        periodic_.begin(), periodic_.end(),
        [](const Periodic& a, const Periodic& b) { return a.next_micros < b.next_micros; });
    const int64_t now = clock_->MonotonicMicros();
    if (now < due->next_micros) {
      const auto wait = std::min<std::chrono::microseconds>(
          std::chrono::microseconds(due->next_micros - now), kMaxWait);
      if (wake_.wait_for(lock, wait, [this] { return stopping_ || rescheduled_; })) {
        if (stopping_) break;
        rescheduled_ = false;  // Trigger(): pick the earliest task again
      }
      continue;
    }
    const std::string name = due->name;
    const Task task = due->task;
    due->next_micros = now + PeriodMicros(due->period);
    lock.unlock();
    (void)RunRecorded(
        name, [&task](const Progress&) { return task(); }, /*record_idle=*/false,
        /*visible=*/false);
    lock.lock();
  }
}

Result<std::string> JobRunner::RunNow(const std::string& name, const Task& task) {
  return RunRecorded(
      name, [&task](const Progress&) { return task(); }, /*record_idle=*/true,
      /*visible=*/false);
}

Result<std::string> JobRunner::RunNow(const std::string& name, const ProgressTask& task) {
  return RunRecorded(name, task, /*record_idle=*/true, /*visible=*/true);
}

Result<std::string> JobRunner::RunRecorded(const std::string& name, const ProgressTask& task,
                                           bool record_idle, bool visible) {
  std::lock_guard<std::mutex> running(run_mu_);
  JobRecord record;
  record.task = name;
  record.started_at_micros = clock_->NowUnixMicros();
  if (visible) {
    std::lock_guard<std::mutex> lock(mu_);
    record.job_id = next_job_id_++;
    running_ = record;
    running_->running = true;
  }
  const Progress progress = [this, visible](std::string detail) {
    if (!visible) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (running_.has_value()) running_->detail = std::move(detail);
  };
  Result<std::string> result = task(progress);
  record.finished_at_micros = clock_->NowUnixMicros();
  if (result.ok()) {
    if (result->empty() && !record_idle) return result;
    record.detail = result->empty() ? "nothing to do" : *result;
  } else {
    record.status = result.status();
  }
  std::lock_guard<std::mutex> lock(mu_);
  running_.reset();  // in the same lock as the record: never listed twice or not at all
  if (record.job_id == 0) record.job_id = next_job_id_++;
  history_.push_back(std::move(record));
  while (history_.size() > history_limit_)
    history_.pop_front();
  return result;
}

std::vector<JobRecord> JobRunner::History() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobRecord> out(history_.begin(), history_.end());
  if (running_.has_value()) out.push_back(*running_);
  return out;
}

}  // namespace tenantdb
