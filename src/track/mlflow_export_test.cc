#include "track/mlflow_export.h"

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "track/test_util.h"

namespace ember::track {
namespace {

using nlohmann::json;
using testing::TempDir;
namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small store: experiment "churn" (id 1) with a finished parent run and a
// failed child, and one run in "Default".
struct Fixture {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir / "store");
  RunInfo parent, child, other;

  Fixture() {
    parent = store.CreateRun("churn", "gbt depth 5");
    store.LogParams(parent.run_id, {{"maxDepth", "5"}, {"stages/0.stepSize", "0.1"}});
    store.LogMetrics(parent.run_id, {{"loss", 0.5, 0, 1700000000000}, {"loss", 0.25, 1, 1700000000500},
                                     {"auc", 1.0, 0, 1700000001000}});
    store.SetTags(parent.run_id, {{std::string(kTagSourceName), "specs/churn.yaml"},
                                  {std::string(kTagGitCommit), std::string(40, 'a')}});
    store.LogInput(parent.run_id, {"train", "/d/train.csv", 2048, "00112233aabbccdd", "{}", 100});
    std::ofstream(store.ArtifactDir(parent.run_id) + "/spec.yaml") << "label: y\n";
    fs::create_directories(store.ArtifactDir(parent.run_id) + "/model/data");
    std::ofstream(store.ArtifactDir(parent.run_id) + "/model/data/w.bin") << "weights";
    store.EndRun(parent.run_id, RunStatus::kFinished);
    child = store.CreateRun("churn", "child", parent.run_id);
    store.EndRun(child.run_id, RunStatus::kFailed, "boom");
    other = store.CreateRun("", "plain");
    parent = store.GetRun(parent.run_id);
    child = store.GetRun(child.run_id);
    other = store.GetRun(other.run_id);
  }
};

TEST(MlflowExportTest, FileStoreLayoutFieldByField) {
  Fixture f;
  const fs::path out = f.dir / "mlruns";
  EXPECT_EQ(ExportMlflowDir(f.store, f.store.ListRuns({}), out.string()), 3u);

  const std::string created = std::to_string(f.store.ListExperiments()[0].created_ms);
  EXPECT_EQ(Slurp(out / "1/meta.yaml"), "artifact_location: file://" + (out / "1").string() + "\ncreation_time: " +
                                            created + "\nexperiment_id: '1'\nlast_update_time: " + created +
                                            "\nlifecycle_stage: active\nname: churn\n");
  // ember's Default experiment is MLflow's experiment 0.
  EXPECT_NE(Slurp(out / "0/meta.yaml").find("experiment_id: '0'\n"), std::string::npos);
  EXPECT_NE(Slurp(out / "0/meta.yaml").find("name: Default\n"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "0" / f.other.run_id / "meta.yaml"));
  EXPECT_TRUE(fs::is_directory(out / ".trash"));

  const fs::path run = out / "1" / f.parent.run_id;
  const std::string id = f.parent.run_id;
  EXPECT_EQ(Slurp(run / "meta.yaml"),
            "artifact_uri: file://" + (run / "artifacts").string() + "\nend_time: " + std::to_string(f.parent.end_ms) +
                "\nentry_point_name: ''\nexperiment_id: '1'\nlifecycle_stage: active\nrun_id: " + id +
                "\nrun_name: gbt depth 5\nrun_uuid: " + id +
                "\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: " +
                std::to_string(f.parent.start_ms) + "\nstatus: 3\ntags: []\nuser_id: " + f.parent.user + "\n");
  EXPECT_EQ(Slurp(run / "params/maxDepth"), "5");
  EXPECT_EQ(Slurp(run / "params/stages/0.stepSize"), "0.1");  // '/' nests, as in MLflow
  EXPECT_EQ(Slurp(run / "metrics/loss"), "1700000000000 0.5 0\n1700000000500 0.25 1\n");
  EXPECT_EQ(Slurp(run / "metrics/auc"), "1700000001000 1.0 0\n");
  EXPECT_EQ(Slurp(run / "tags/mlflow.runName"), "gbt depth 5");
  EXPECT_EQ(Slurp(run / "tags/mlflow.user"), f.parent.user);
  EXPECT_EQ(Slurp(run / "tags/mlflow.source.name"), "specs/churn.yaml");
  EXPECT_EQ(Slurp(run / "tags/mlflow.source.type"), "LOCAL");
  EXPECT_EQ(Slurp(run / "tags/mlflow.source.git.commit"), std::string(40, 'a'));
  EXPECT_EQ(Slurp(run / "tags/ember.input.train.fingerprint"), "00112233aabbccdd");
  EXPECT_EQ(Slurp(run / "tags/ember.input.train.rows"), "100");
  EXPECT_FALSE(fs::exists(run / "tags/mlflow.parentRunId"));
  EXPECT_EQ(Slurp(run / "artifacts/spec.yaml"), "label: y\n");
  EXPECT_EQ(Slurp(run / "artifacts/model/data/w.bin"), "weights");

  const fs::path child = out / "1" / f.child.run_id;
  EXPECT_EQ(Slurp(child / "tags/mlflow.parentRunId"), f.parent.run_id);
  EXPECT_NE(Slurp(child / "meta.yaml").find("\nstatus: 4\n"), std::string::npos);
  EXPECT_NE(Slurp(child / "meta.yaml").find("\nrun_name: child\n"), std::string::npos);
  EXPECT_EQ(Slurp(child / "tags/ember.error"), "boom");
  EXPECT_TRUE(fs::is_directory(child / "artifacts"));
  EXPECT_TRUE(fs::is_directory(child / "params"));
  // A running run has no end time yet.
  EXPECT_NE(Slurp(out / "0" / f.other.run_id / "meta.yaml").find("\nend_time: null\n"), std::string::npos);
  EXPECT_NE(Slurp(out / "0" / f.other.run_id / "meta.yaml").find("\nstatus: 1\n"), std::string::npos);

  // Exporting again replaces, and a directory holding another experiment is refused.
  EXPECT_EQ(ExportMlflowDir(f.store, {f.parent}, out.string()), 1u);
  std::ofstream(out / "1/meta.yaml") << "name: something-else\n";
  EXPECT_THROW(ExportMlflowDir(f.store, {f.parent}, out.string()), InvalidArgument);
}

TEST(MlflowExportTest, StatusCodesAndNumbers) {
  EXPECT_EQ(MlflowStatusCode(RunStatus::kRunning), 1);
  EXPECT_EQ(MlflowStatusCode(RunStatus::kFinished), 3);
  EXPECT_EQ(MlflowStatusCode(RunStatus::kFailed), 4);
  EXPECT_EQ(MlflowStatusCode(RunStatus::kKilled), 5);
}

// Strings and numbers written as MLflow's own writers (PyYAML, Python's str)
// write them: tests/golden/track/mlflow_format.json, from
// scripts/golden/track_golden.py.
TEST(MlflowExportTest, MatchesPythonWriters) {
  std::ifstream in(std::string(EMBER_TEST_DATA_DIR) + "/../golden/track/mlflow_format.json");
  ASSERT_TRUE(in.good());
  const json golden = json::parse(in);
  for (const json& c : golden["yaml"]) {
    EXPECT_EQ(YamlScalar(c["string"].get<std::string>()), c["yaml"].get<std::string>()) << c["string"];
  }
  for (const json& c : golden["numbers"]) {
    double v = 0;
    if (c["value"].is_string()) {
      v = c["value"] == "nan" ? std::nan("") : (c["value"] == "inf" ? HUGE_VAL : -HUGE_VAL);
    } else {
      v = c["value"].get<double>();
    }
    EXPECT_EQ(MlflowNumber(v), c["text"].get<std::string>());
  }
}

TEST(MlflowExportTest, BadKeyIsRefused) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir / "s");
  const std::string id = store.CreateRun("e", "r").run_id;
  store.LogParam(id, "../escape", "x");
  EXPECT_THROW(ExportMlflowDir(store, store.ListRuns({}), dir / "out"), InvalidArgument);
  EXPECT_FALSE(fs::exists(dir / "escape"));
}

// A stand-in MLflow server that records every request.
class FakeMlflow {
 public:
  FakeMlflow() {
    server_.Get("/api/2.0/mlflow/experiments/get-by-name", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      if (req.get_param_value("experiment_name") == "churn") {
        res.set_content(R"({"experiment":{"experiment_id":"77","name":"churn"}})", "application/json");
      } else {
        res.status = 404;
        res.set_content(R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})", "application/json");
      }
    });
    server_.Post("/api/2.0/mlflow/experiments/create", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_content(R"({"experiment_id":"88"})", "application/json");
    });
    server_.Post("/api/2.0/mlflow/runs/create", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.set_content(json{{"run", {{"info", {{"run_id", "srv" + std::to_string(++runs_)}}}}}}.dump(),
                      "application/json");
    });
    for (const char* ep : {"/api/2.0/mlflow/runs/log-batch", "/api/2.0/mlflow/runs/update"}) {
      server_.Post(ep, [this](const httplib::Request& req, httplib::Response& res) {
        Record(req);
        res.set_content("{}", "application/json");
      });
    }
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeMlflow() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  struct Request {
    std::string method, path;
    json body;
  };
  std::vector<Request> requests;

 private:
  void Record(const httplib::Request& req) {
    std::lock_guard lock(mu_);
    requests.push_back({req.method, req.path, req.body.empty() ? json() : json::parse(req.body)});
  }
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  int port_ = 0;
  int runs_ = 0;
};

TEST(MlflowPushTest, RestCallsAndBodies) {
  Fixture f;
  // 250 params and 2,500 metric points need several batches.
  const std::string big = f.store.CreateRun("big", "many").run_id;
  std::vector<std::pair<std::string, std::string>> params;
  for (int i = 0; i < 250; ++i) params.emplace_back("p" + std::to_string(i), std::to_string(i));
  f.store.LogParams(big, params);
  std::vector<MetricPoint> points;
  for (int i = 0; i < 2500; ++i) points.push_back({"loss", 1.0 / (i + 1), i, 1700000000000 + i});
  points.push_back({"bad", std::nan(""), 0, 1});
  f.store.LogMetrics(big, points);
  f.store.EndRun(big, RunStatus::kKilled, "stopped");

  FakeMlflow server;
  const auto pushed = PushMlflow(f.store, {f.child, f.parent, f.store.GetRun(big)}, server.url());
  ASSERT_EQ(pushed.size(), 3u);
  EXPECT_EQ(pushed[0].ember_run_id, f.parent.run_id);  // oldest first: parent before child
  EXPECT_EQ(pushed[0].mlflow_run_id, "srv1");
  EXPECT_EQ(pushed[1].ember_run_id, f.child.run_id);

  std::map<std::string, std::vector<json>> by_run;  // server run id -> log-batch bodies
  std::vector<FakeMlflow::Request> creates, updates, experiments;
  for (const auto& r : server.requests) {
    if (r.path == "/api/2.0/mlflow/runs/log-batch") by_run[r.body["run_id"]].push_back(r.body);
    if (r.path == "/api/2.0/mlflow/runs/create") creates.push_back(r);
    if (r.path == "/api/2.0/mlflow/runs/update") updates.push_back(r);
    if (r.path.find("experiments") != std::string::npos) experiments.push_back(r);
  }
  // churn exists on the server (77); big is created (88); each looked up once.
  ASSERT_EQ(experiments.size(), 3u);
  EXPECT_EQ(experiments[0].method, "GET");
  EXPECT_EQ(experiments[2].path, "/api/2.0/mlflow/experiments/create");
  EXPECT_EQ(experiments[2].body, json({{"name", "big"}}));
  ASSERT_EQ(creates.size(), 3u);
  EXPECT_EQ(creates[0].body["experiment_id"], "77");
  EXPECT_EQ(creates[0].body["run_name"], "gbt depth 5");
  EXPECT_EQ(creates[0].body["start_time"], f.parent.start_ms);
  EXPECT_EQ(creates[0].body["user_id"], f.parent.user);
  EXPECT_EQ(creates[2].body["experiment_id"], "88");

  // Parent: params, tags and metrics, values as sent.
  std::map<std::string, std::string> tags;
  size_t metric_count = 0;
  for (const json& b : by_run["srv1"]) {
    if (b.contains("tags")) {
      for (const json& t : b["tags"]) tags[t["key"]] = t["value"];
    }
    if (b.contains("params")) {
      EXPECT_EQ(b["params"], json::parse(R"([{"key":"maxDepth","value":"5"},
                                            {"key":"stages/0.stepSize","value":"0.1"}])"));
    }
    if (b.contains("metrics")) {
      metric_count += b["metrics"].size();
      EXPECT_EQ(b["metrics"][0], json::parse(R"({"key":"auc","value":1.0,"timestamp":1700000001000,"step":0})"));
    }
  }
  EXPECT_EQ(metric_count, 3u);
  EXPECT_EQ(tags["mlflow.runName"], "gbt depth 5");
  EXPECT_EQ(tags["mlflow.source.git.commit"], std::string(40, 'a'));
  EXPECT_EQ(tags["ember.run_id"], f.parent.run_id);
  // The child points at the parent's server id.
  bool child_parent = false;
  for (const json& b : by_run["srv2"]) {
    if (!b.contains("tags")) continue;
    for (const json& t : b["tags"]) child_parent |= t["key"] == "mlflow.parentRunId" && t["value"] == "srv1";
  }
  EXPECT_TRUE(child_parent);

  // Batch limits: no call over 100 params / 100 tags / 1000 metrics, nothing lost.
  size_t params_sent = 0, metrics_sent = 0;
  bool nan_sent = false;
  for (const json& b : by_run["srv3"]) {
    if (b.contains("params")) {
      EXPECT_LE(b["params"].size(), 100u);
      params_sent += b["params"].size();
    }
    if (b.contains("tags")) EXPECT_LE(b["tags"].size(), 100u);
    if (b.contains("metrics")) {
      EXPECT_LE(b["metrics"].size(), 1000u);
      metrics_sent += b["metrics"].size();
      for (const json& m : b["metrics"]) nan_sent |= m["value"] == "NaN";
    }
  }
  EXPECT_EQ(params_sent, 250u);
  EXPECT_EQ(metrics_sent, 2501u);
  EXPECT_TRUE(nan_sent);

  // Final statuses, as MLflow's RunStatus names, with end times.
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[0].body, json({{"run_id", "srv1"}, {"status", "FINISHED"}, {"end_time", f.parent.end_ms}}));
  EXPECT_EQ(updates[1].body["status"], "FAILED");
  EXPECT_EQ(updates[2].body["status"], "KILLED");
}

TEST(MlflowPushTest, UnreachableOrBadUrl) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const RunInfo run = store.CreateRun("e", "r");
  EXPECT_THROW(PushMlflow(store, {run}, "ftp://example.com"), InvalidArgument);
  try {
    PushMlflow(store, {run}, "http://127.0.0.1:1");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("http://127.0.0.1:1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ember::track
