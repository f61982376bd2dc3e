// The `ember` binary as a user runs it: exit codes, one-line errors, and
// many `ember run`s logging to one store at the same time.
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "runner/runner_test_util.h"
#include "track/tracking_store.h"

extern char** environ;

namespace ember::cli {
namespace {

using ::testing::HasSubstr;
using runner::testing::TempDir;

/// Starts `ember args...` with stdout and stderr sent to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv_storage = {EMBER_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot start " << EMBER_BINARY;
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(CliEndToEndTest, EightConcurrentRunsAllLandComplete) {
  TempDir dir;
  runner::testing::WriteToyCsv(dir / "toy.csv", 200, 31);
  WriteFileAtomically(dir / "spec.yaml", runner::testing::ToySpec("toy.csv", "register: {name: toy}"));
  std::vector<pid_t> pids;
  for (int i = 0; i < 8; ++i) {
    pids.push_back(Spawn({"run", dir / "spec.yaml", "--store", dir / "store", "--threads", "1", "--quiet",
                          "--set", "pipeline.3.regParam=0.0" + std::to_string(i + 1)},
                         dir / ("log" + std::to_string(i))));
  }
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(Wait(pids[i]), 0) << ReadFileToString(dir / ("log" + std::to_string(i)));
  }
  track::TrackingStore store = track::TrackingStore::Open(dir / "store");
  const auto runs = store.ListRuns({});
  ASSERT_EQ(runs.size(), 8u);
  std::set<std::string> reg_params;
  for (const auto& run : runs) {
    EXPECT_EQ(run.status, track::RunStatus::kFinished) << run.run_id << " " << run.error;
    EXPECT_TRUE(store.LatestMetrics(run.run_id).count("test_areaUnderROC")) << run.run_id;
    reg_params.insert(store.Params(run.run_id).at("pipeline.3.regParam"));
  }
  EXPECT_EQ(reg_params.size(), 8u);
  // Eight registrations of one name: versions 1..8, each distinct.
  const auto versions = store.ListModelVersions("toy");
  ASSERT_EQ(versions.size(), 8u);
  for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i].version, static_cast<int64_t>(i + 1));
}

TEST(CliEndToEndTest, ErrorsAreOneLineWithExitCodeOne) {
  TempDir dir;
  WriteFileAtomically(dir / "spec.yaml", "data:\n  train: missing.csv\nlabel: y\npipeline: [{stage: Binarizer}]\n");
  EXPECT_EQ(Wait(Spawn({"run", dir / "spec.yaml", "--store", dir / "store"}, dir / "log")), 1);
  const std::string log = ReadFileToString(dir / "log");
  EXPECT_THAT(log, HasSubstr("ember: "));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;

  WriteFileAtomically(dir / "bad.yaml", "data: [unclosed\n");
  EXPECT_EQ(Wait(Spawn({"run", dir / "bad.yaml"}, dir / "log2")), 1);
  EXPECT_THAT(ReadFileToString(dir / "log2"), HasSubstr("bad.yaml:"));
}

}  // namespace
}  // namespace ember::cli
