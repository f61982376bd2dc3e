// The `ember` binary as a user runs it: exit codes, one-line errors, many
// `ember run`s logging to one store at the same time, and a run whose
// artifact disk is full.
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>

#include <algorithm>
#include <cstdlib>
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

/// Runs `ember args...` to the end with `extra_env` ("NAME=value") added to
/// (and overriding) the environment, stdout to `out` and stderr to `err`;
/// returns the exit code.
int RunEmber(const std::vector<std::string>& args, const std::vector<std::string>& extra_env, const std::string& out,
             const std::string& err) {
  std::vector<std::string> argv_storage = {EMBER_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = extra_env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('=') + 1);
    const bool overridden = std::any_of(extra_env.begin(), extra_env.end(),
                                        [&](const std::string& x) { return x.starts_with(name); });
    if (!overridden) env_storage.push_back(entry);
  }
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot start " << EMBER_BINARY;
  return rc == 0 ? Wait(pid) : -1;
}

/// Regular files anywhere under `dir`, as paths relative to it.
std::vector<std::string> FilesUnder(const std::filesystem::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(std::filesystem::relative(entry.path(), dir).string());
  }
  return files;
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

TEST(CliEndToEndTest, FullArtifactDiskFailsTheRunAndLeavesNoFile) {
  TempDir dir;
  runner::testing::WriteToyCsv(dir / "toy.csv", 200, 31);
  WriteFileAtomically(dir / "spec.yaml", runner::testing::ToySpec("toy.csv", "register: {name: toy}"));
  const std::filesystem::path store = dir / "store";
  (void)track::TrackingStore::Open(store.string());  // creates <store>/artifacts
  const std::filesystem::path artifacts = std::filesystem::canonical(store / "artifacts");

  // Every write under the artifact folder fails as on a full disk; the
  // store's database beside it is written as usual. A sanitizer runtime
  // linked as a shared library would insist on being preloaded first.
  std::string asan_options = "verify_asan_link_order=0";
  if (const char* given = std::getenv("ASAN_OPTIONS"); given != nullptr) asan_options += std::string(":") + given;
  const std::vector<std::string> full_disk = {std::string("LD_PRELOAD=") + EMBER_ENOSPC_PRELOAD,
                                              "EMBER_TEST_ENOSPC_DIR=" + artifacts.string(),
                                              "ASAN_OPTIONS=" + asan_options};
  const int code = RunEmber({"run", dir / "spec.yaml", "--store", store.string(), "--threads", "1"}, full_disk,
                            dir / "out", dir / "err");
  const std::string err = ReadFileToString(dir / "err");
  EXPECT_EQ(code, 1) << err << ReadFileToString(dir / "out");
  // One line naming the file that could not be written and why.
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_TRUE(err.starts_with("ember: ")) << err;
  EXPECT_THAT(err, HasSubstr(artifacts.string() + "/"));
  EXPECT_THAT(err, HasSubstr("No space left on device"));

  // Nothing under a final name, and no temporary file left behind.
  const std::vector<std::string> left = FilesUnder(artifacts);
  EXPECT_TRUE(left.empty()) << left.size() << " files left, the first " << left.front();

  // The run ended FAILED with the error, as `ember runs show` says too.
  track::TrackingStore opened = track::TrackingStore::Open(store.string());
  const auto runs = opened.ListRuns({});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, track::RunStatus::kFailed);
  EXPECT_THAT(runs[0].error, HasSubstr("No space left on device"));
  EXPECT_ANY_THROW(opened.ListModelVersions("toy"));  // nothing was registered
  EXPECT_EQ(RunEmber({"runs", "show", runs[0].run_id, "--store", store.string()}, {}, dir / "show", dir / "show_err"), 0)
      << ReadFileToString(dir / "show_err");
  EXPECT_THAT(ReadFileToString(dir / "show"), HasSubstr("FAILED"));

  // The store is still usable: the same run with space to write finishes.
  EXPECT_EQ(RunEmber({"run", dir / "spec.yaml", "--store", store.string(), "--threads", "1", "--quiet"}, {}, dir / "out2",
                     dir / "err2"),
            0)
      << ReadFileToString(dir / "err2");
  const auto after = opened.ListRuns({});
  ASSERT_EQ(after.size(), 2u);
  for (const auto& run : after) {
    if (run.run_id == runs[0].run_id) continue;
    EXPECT_EQ(run.status, track::RunStatus::kFinished) << run.error;
    EXPECT_TRUE(std::filesystem::exists(artifacts / run.run_id / "model" / "metadata.json"));
  }
  EXPECT_EQ(opened.ListModelVersions("toy").size(), 1u);
}

}  // namespace
}  // namespace ember::cli
