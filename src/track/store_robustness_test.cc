// Concurrency and damaged or read-only stores.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.h"
#include "track/test_util.h"
#include "track/tracking_store.h"

namespace ember::track {
namespace {

using testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `body` in a forked child; returns its exit code (or -1 on a signal).
template <typename F>
pid_t Spawn(F body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    int code = 0;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child failed: %s\n", e.what());
      code = 3;
    }
    ::_exit(code);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(StoreConcurrencyTest, EightProcessesLogCompletely) {
  TempDir dir;
  const std::string root = dir / "store";  // created by the children themselves, all at once
  std::vector<pid_t> children;
  for (int p = 0; p < 8; ++p) {
    children.push_back(Spawn([&, p] {
      TrackingStore store = TrackingStore::Open(root);
      const std::string id = store.CreateRun("concurrent", "proc" + std::to_string(p)).run_id;
      for (int i = 0; i < 100; ++i) {
        store.LogParam(id, "p" + std::to_string(i), std::to_string(p * 1000 + i));
        store.LogMetric(id, "m", p + i * 0.5, i);
      }
      store.EndRun(id, RunStatus::kFinished);
      return 0;
    }));
  }
  for (pid_t c : children) EXPECT_EQ(Wait(c), 0);
  TrackingStore store = TrackingStore::Open(root);
  const auto runs = store.ListRuns({.experiment = "concurrent"});
  ASSERT_EQ(runs.size(), 8u);
  std::set<std::string> names;
  for (const RunInfo& r : runs) {
    names.insert(r.name);
    EXPECT_EQ(r.status, RunStatus::kFinished);
    const int p = std::stoi(r.name.substr(4));
    const auto params = store.Params(r.run_id);
    ASSERT_EQ(params.size(), 100u);
    EXPECT_EQ(params.at("p42"), std::to_string(p * 1000 + 42));
    const auto history = store.MetricHistory(r.run_id, "m");
    ASSERT_EQ(history.size(), 100u);
    EXPECT_DOUBLE_EQ(history[99].value, p + 99 * 0.5);
    EXPECT_EQ(history[99].step, 99);
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_EQ(store.ListExperiments().size(), 1u);
}

TEST(StoreConcurrencyTest, SimultaneousRegistrationsGetDistinctVersions) {
  TempDir dir;
  std::vector<std::string> ids;
  {
    TrackingStore store = TrackingStore::Open(dir.path());
    for (int i = 0; i < 2; ++i) {
      ids.push_back(store.CreateRun("e", "r").run_id);
      std::filesystem::create_directories(store.ArtifactDir(ids.back()) + "/model");
    }
  }
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    children.push_back(Spawn([&, i] {
      TrackingStore store = TrackingStore::Open(dir.path());
      char c;
      if (::read(go[0], &c, 1) != 1) return 4;  // start together
      return static_cast<int>(store.RegisterModel("churn", ids[i]).version) + 10;
    }));
  }
  const char start[2] = {'g', 'g'};
  ASSERT_EQ(::write(go[1], start, 2), 2);
  std::set<int> versions;
  for (pid_t c : children) versions.insert(Wait(c) - 10);
  ::close(go[0]);
  ::close(go[1]);
  EXPECT_EQ(versions, (std::set<int>{1, 2}));
  TrackingStore store = TrackingStore::Open(dir.path());
  const auto listed = store.ListModelVersions("churn");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_NE(listed[0].run_id, listed[1].run_id);
}

TEST(StoreRobustnessTest, NotADatabaseIsRefusedUntouched) {
  TempDir dir;
  std::string garbage;
  for (int i = 0; i < 300; ++i) garbage += "this is not a database. ";
  std::ofstream(dir / "ember.db", std::ios::binary) << garbage;
  try {
    TrackingStore::Open(dir.path());
    FAIL() << "a garbage database must be refused";
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find(dir / "ember.db"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ReadAll(dir / "ember.db"), garbage);
  EXPECT_FALSE(std::filesystem::exists(dir / "ember.db-wal"));
}

TEST(StoreRobustnessTest, ForeignOrNewerDatabaseIsRefusedUntouched) {
  TempDir dir;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "ember.db").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE songs (title TEXT)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  const std::string before = ReadAll(dir / "ember.db");
  EXPECT_THROW(TrackingStore::Open(dir.path()), CorruptData);
  EXPECT_EQ(ReadAll(dir / "ember.db"), before);

  TempDir newer;
  TrackingStore::Open(newer.path());
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((newer / "ember.db").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  try {
    TrackingStore::Open(newer.path());
    FAIL();
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST(StoreRobustnessTest, DamagedPagesAreReported) {
  TempDir dir;
  std::string id;
  {
    TrackingStore store = TrackingStore::Open(dir.path());
    id = store.CreateRun("e", "r").run_id;
    for (int i = 0; i < 50; ++i) store.LogParam(id, "p" + std::to_string(i), std::string(200, 'x'));
  }
  {
    // Fold the WAL into the file, then scribble over everything after page 1.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "ember.db").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  std::string bytes = ReadAll(dir / "ember.db");
  ASSERT_GT(bytes.size(), 8192u);
  for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5 ^ (i * 7));
  std::ofstream(dir / "ember.db", std::ios::binary | std::ios::trunc) << bytes;
  try {
    TrackingStore store = TrackingStore::Open(dir.path());
    store.Params(id);
    FAIL() << "damaged pages must be reported";
  } catch (const CorruptData& e) {
    EXPECT_NE(std::string(e.what()).find("ember.db"), std::string::npos) << e.what();
  }
}

// Opening a store in `dir` as a user that cannot write there: as root, a
// forked child drops to nobody first (root ignores permission bits).
std::string OpenErrorAsUnprivileged(const std::string& dir) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(5);
    std::string message = "opened";
    try {
      TrackingStore::Open(dir);
    } catch (const IoError& e) {
      message = std::string("IoError: ") + e.what();
    } catch (const std::exception& e) {
      message = std::string("other: ") + e.what();
    }
    [[maybe_unused]] ssize_t n = ::write(fds[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return out;
}

TEST(StoreRobustnessTest, ReadOnlyDirectoryIsAClearError) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  // An empty read-only directory, and an existing store made read-only.
  std::filesystem::create_directories(dir / "empty");
  TrackingStore::Open(dir / "existing").CreateRun("e", "r");
  for (const std::string name : {"empty", "existing"}) {
    ::chmod((dir / name).c_str(), 0555);
    const std::string message = OpenErrorAsUnprivileged(dir / name);
    EXPECT_EQ(message.rfind("IoError: ", 0), 0u) << message;
    EXPECT_NE(message.find(dir / name), std::string::npos) << message;
    EXPECT_NE(message.find("not writable"), std::string::npos) << message;
    ::chmod((dir / name).c_str(), 0755);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "empty/ember.db"));
}

}  // namespace
}  // namespace ember::track
