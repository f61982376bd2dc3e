#include "track/tracking_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "track/test_util.h"

namespace ember::track {
namespace {

using testing::TempDir;

TEST(TrackingStoreTest, OpenCreatesLayout) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir / "runs");
  EXPECT_EQ(store.root(), dir / "runs");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "runs/ember.db"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "runs/artifacts"));
  EXPECT_TRUE(std::filesystem::exists(dir / "runs/ember.db-wal"));  // WAL mode
}

TEST(TrackingStoreTest, RunLifecycle) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const RunInfo run = store.CreateRun("churn", "first");
  EXPECT_EQ(run.run_id.size(), 32u);
  EXPECT_EQ(run.run_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(run.experiment_name, "churn");
  EXPECT_EQ(run.experiment_id, "1");
  EXPECT_EQ(run.pid, ::getpid());
  const RunInfo got = store.GetRun(run.run_id);
  EXPECT_EQ(got.status, RunStatus::kRunning);
  EXPECT_EQ(got.name, "first");
  EXPECT_EQ(got.end_ms, 0);
  EXPECT_EQ(got.artifact_dir, dir.path() + "/artifacts/" + run.run_id);
  // A unique prefix finds the run.
  EXPECT_EQ(store.GetRun(run.run_id.substr(0, 6)).run_id, run.run_id);

  store.EndRun(run.run_id, RunStatus::kFailed, "label column missing");
  const RunInfo ended = store.GetRun(run.run_id);
  EXPECT_EQ(ended.status, RunStatus::kFailed);
  EXPECT_EQ(ended.error, "label column missing");
  EXPECT_GE(ended.end_ms, ended.start_ms);
  EXPECT_THROW(store.EndRun(run.run_id, RunStatus::kFinished), InvalidArgument);
  EXPECT_THROW(store.GetRun("0123456789abcdef0123456789abcdef"), NotFound);
  EXPECT_THROW(store.GetRun("not-hex"), NotFound);
  // A second experiment gets the next id; "" is Default.
  EXPECT_EQ(store.CreateRun("other", "x").experiment_id, "2");
  EXPECT_EQ(store.CreateRun("", "y").experiment_name, "Default");
  EXPECT_EQ(store.ListExperiments().size(), 3u);
}

TEST(TrackingStoreTest, ParamsAreImmutable) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  store.LogParam(id, "maxDepth", "5");
  store.LogParam(id, "maxDepth", "5");  // same value again: fine
  try {
    store.LogParam(id, "maxDepth", "6");
    FAIL() << "changing a param must throw";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("maxDepth"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("'5'"), std::string::npos);
  }
  // A batch with one conflicting param logs nothing.
  EXPECT_THROW(store.LogParams(id, {{"stepSize", "0.1"}, {"maxDepth", "7"}}), InvalidArgument);
  const auto params = store.Params(id);
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"maxDepth", "5"}}));
  EXPECT_THROW(store.LogParam("0123456789abcdef0123456789abcdef", "a", "b"), NotFound);
  EXPECT_THROW(store.LogParam(id, "", "b"), InvalidArgument);
}

TEST(TrackingStoreTest, MetricsWithStepsAndTimestamps) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  store.LogMetrics(id, {{"loss", 0.9, 0, 1000}, {"loss", 0.5, 2, 3000}, {"loss", 0.7, 1, 2000}});
  store.LogMetric(id, "auc", 0.8);
  store.LogMetric(id, "nan_metric", std::nan(""));
  const auto loss = store.MetricHistory(id, "loss");
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_EQ(loss[0].step, 0);
  EXPECT_EQ(loss[0].timestamp_ms, 1000);
  EXPECT_DOUBLE_EQ(loss[1].value, 0.7);
  EXPECT_EQ(loss[2].step, 2);
  const auto auc = store.MetricHistory(id, "auc");
  ASSERT_EQ(auc.size(), 1u);
  EXPECT_GT(auc[0].timestamp_ms, 1600000000000);  // 0 means now
  EXPECT_EQ(store.MetricHistory(id).size(), 5u);
  const auto latest = store.LatestMetrics(id);
  EXPECT_DOUBLE_EQ(latest.at("loss"), 0.5);  // highest step, not last logged
  EXPECT_DOUBLE_EQ(latest.at("auc"), 0.8);
  EXPECT_TRUE(std::isnan(latest.at("nan_metric")));
}

TEST(TrackingStoreTest, TagsAndInputs) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  store.SetTag(id, "stage", "dev");
  store.SetTag(id, "stage", "prod");  // tags are mutable
  store.SetTags(id, {{"owner", "ana"}});
  EXPECT_EQ(store.Tags(id), (std::map<std::string, std::string>{{"owner", "ana"}, {"stage", "prod"}}));
  store.LogInput(id, {"train", "/data/train.csv", 1234, "0123456789abcdef", R"({"a":"double"})", 99});
  store.LogInput(id, {"test", "/data/test.csv", 10, "fedcba9876543210", "{}", 3});
  const auto inputs = store.Inputs(id);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].role, "test");
  EXPECT_EQ(inputs[1].path, "/data/train.csv");
  EXPECT_EQ(inputs[1].size_bytes, 1234u);
  EXPECT_EQ(inputs[1].fingerprint, "0123456789abcdef");
  EXPECT_EQ(inputs[1].schema_json, R"({"a":"double"})");
  EXPECT_EQ(inputs[1].rows, 99);
}

TEST(TrackingStoreTest, ListAndFilter) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string a = store.CreateRun("churn", "a").run_id;
  const std::string b = store.CreateRun("churn", "b").run_id;
  const std::string c = store.CreateRun("credit", "c").run_id;
  store.LogMetric(a, "auc", 0.75);
  store.LogMetric(b, "auc", 0.85);
  store.LogMetric(c, "auc", 0.95);
  store.SetTag(b, "team", "x");
  store.SetTag(c, "team", "x");
  auto ids = [](const std::vector<RunInfo>& runs) {
    std::set<std::string> out;
    for (const RunInfo& r : runs) out.insert(r.name);
    return out;
  };
  EXPECT_EQ(ids(store.ListRuns({})), (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ids(store.ListRuns({.experiment = "churn"})), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(ids(store.ListRuns({.metric = "metric.auc>0.8"})), (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(ids(store.ListRuns({.metric = "auc<=0.85"})), (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(ids(store.ListRuns({.metric = "auc!=0.85"})), (std::set<std::string>{"a", "c"}));
  EXPECT_EQ(ids(store.ListRuns({.experiment = "churn", .tag_key = "team", .tag_value = "x", .metric = "auc>0.5"})),
            (std::set<std::string>{"b"}));
  EXPECT_EQ(store.ListRuns({.limit = 2}).size(), 2u);
  EXPECT_THROW(store.ListRuns({.metric = "auc>>1"}), InvalidArgument);
  EXPECT_THROW(store.ListRuns({.metric = "auc>high"}), InvalidArgument);
  try {
    store.ListRuns({.experiment = "chrn"});
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'churn'"), std::string::npos) << e.what();
  }
  const auto values = store.ValuesOf({c, "0123456789abcdef0123456789abcdef", a});
  ASSERT_EQ(values.size(), 3u);
  EXPECT_DOUBLE_EQ(values[0].metrics.at("auc"), 0.95);
  EXPECT_TRUE(values[1].metrics.empty());
  EXPECT_DOUBLE_EQ(values[2].metrics.at("auc"), 0.75);
  // Newest first.
  const auto all = store.ListRuns({});
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].start_ms, all[i].start_ms);
}

TEST(TrackingStoreTest, DeleteRemovesRecordsAndArtifacts) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  const std::string keep = store.CreateRun("e", "keep", id).run_id;
  store.LogParam(id, "p", "1");
  store.LogMetric(id, "m", 1);
  const std::string art = store.ArtifactDir(id);
  std::ofstream(art + "/spec.yaml") << "x: 1\n";
  store.DeleteRun(id);
  EXPECT_THROW(store.GetRun(id), NotFound);
  EXPECT_THROW(store.Params(id), NotFound);
  EXPECT_FALSE(std::filesystem::exists(art));
  EXPECT_EQ(store.ListRuns({}).size(), 1u);
  EXPECT_EQ(store.GetRun(keep).parent_run_id, "");
  EXPECT_THROW(store.DeleteRun(id), NotFound);
}

TEST(TrackingStoreTest, ResolveStoreLocation) {
  EXPECT_EQ(ResolveStoreLocation("/x/y"), "/x/y");
  ::setenv("EMBER_TRACKING_URI", "file:///srv/runs", 1);
  EXPECT_EQ(ResolveStoreLocation(""), "/srv/runs");
  EXPECT_EQ(ResolveStoreLocation("here"), "here");
  ::unsetenv("EMBER_TRACKING_URI");
  EXPECT_EQ(ResolveStoreLocation(""), "ember-runs");
}

TEST(TrackingStoreTest, StaleRunOfDeadProcessIsKilledOnOpen) {
  TempDir dir;
  TrackingStore::Open(dir.path());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      TrackingStore store = TrackingStore::Open(dir.path());
      const std::string id = store.CreateRun("e", "crash").run_id;
      [[maybe_unused]] ssize_t n = ::write(fds[1], id.data(), id.size());
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);  // gone without ending the run
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  char buf[32];
  ASSERT_EQ(::read(fds[0], buf, 32), 32);
  ::close(fds[0]);
  ::close(fds[1]);
  const std::string id(buf, 32);
  TrackingStore store = TrackingStore::Open(dir.path());
  const RunInfo run = store.GetRun(id);
  EXPECT_EQ(run.status, RunStatus::kKilled);
  EXPECT_NE(run.error.find(std::to_string(child)), std::string::npos) << run.error;
  EXPECT_GT(run.end_ms, 0);
  // A run of this (live) process stays RUNNING across opens.
  const std::string live = store.CreateRun("e", "live").run_id;
  EXPECT_EQ(TrackingStore::Open(dir.path()).GetRun(live).status, RunStatus::kRunning);
}

TEST(TrackingStoreTest, InterruptGuardEndsRunKilled) {
  TempDir dir;
  TrackingStore::Open(dir.path());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      TrackingStore store = TrackingStore::Open(dir.path());
      const std::string id = store.CreateRun("e", "interrupted").run_id;
      [[maybe_unused]] ssize_t n = ::write(fds[1], id.data(), id.size());
      RunInterruptGuard guard(dir.path(), id);
      ::raise(SIGTERM);
      for (int i = 0; i < 500; ++i) ::usleep(10000);  // the watcher exits the process
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  char buf[32];
  ASSERT_EQ(::read(fds[0], buf, 32), 32);
  ::close(fds[0]);
  ::close(fds[1]);
  const RunInfo run = TrackingStore::Open(dir.path()).GetRun(std::string(buf, 32));
  EXPECT_EQ(run.status, RunStatus::kKilled);
  EXPECT_EQ(run.error, "interrupted by SIGTERM");
}

TEST(TrackingStoreTest, InterruptGuardRestoresHandlers) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  { RunInterruptGuard guard(dir.path(), id); }
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(before.sa_handler, after.sa_handler);
  EXPECT_EQ(store.GetRun(id).status, RunStatus::kRunning);
}

}  // namespace
}  // namespace ember::track
