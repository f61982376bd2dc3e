// Pushing runs to an MLflow tracking server over its REST API
// (https://mlflow.org/docs/latest/rest-api.html).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "track/mlflow_export.h"

namespace ember::track {

namespace {

using nlohmann::json;

// protobuf's JSON mapping spells non-finite doubles as strings.
json JsonNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

std::string PercentEncode(const std::string& s);

class MlflowClient {
 public:
  explicit MlflowClient(const std::string& url) : url_(url) {
    static const std::regex pattern(R"(^(https?)://([^/:]+)(?::(\d+))?(/.*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, pattern)) {
      throw InvalidArgument(fmt::format("MLflow URL '{}' is not http[s]://HOST[:PORT][/PREFIX]", url));
    }
    const std::string scheme_host_port = m[1].str() + "://" + m[2].str() + (m[3].matched ? ":" + m[3].str() : "");
    prefix_ = m[4].matched ? m[4].str() : "";
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
    client_ = std::make_unique<httplib::Client>(scheme_host_port);
    client_->set_connection_timeout(10);
    client_->set_read_timeout(60);
    if (const char* token = std::getenv("MLFLOW_TRACKING_TOKEN"); token != nullptr && *token != '\0') {
      client_->set_bearer_token_auth(token);
    } else if (const char* user = std::getenv("MLFLOW_TRACKING_USERNAME"); user != nullptr && *user != '\0') {
      const char* password = std::getenv("MLFLOW_TRACKING_PASSWORD");
      client_->set_basic_auth(user, password ? password : "");
    }
  }

  /// Calls one endpoint; returns the parsed reply, or nullopt-like null json on
  /// a 404 when `allow_missing`.
  json Call(const std::string& method, const std::string& endpoint, const json& body, bool allow_missing = false) {
    const std::string path = prefix_ + "/api/2.0/mlflow/" + endpoint;
    httplib::Result res = method == "GET" ? client_->Get(path) : client_->Post(path, body.dump(), "application/json");
    if (!res) {
      throw IoError(fmt::format("cannot reach the MLflow server at {} ({} {}): {}", url_, method, endpoint,
                                httplib::to_string(res.error())));
    }
    if (allow_missing && res->status == 404) return json();
    if (res->status != 200) {
      std::string message = res->body.substr(0, 300);
      try {
        const json reply = json::parse(res->body);
        if (reply.contains("message")) message = reply["message"].get<std::string>();
      } catch (const json::exception&) {
      }
      throw IoError(fmt::format("MLflow server at {} refused {} {} with HTTP {}: {}", url_, method, endpoint,
                                res->status, message));
    }
    try {
      return res->body.empty() ? json::object() : json::parse(res->body);
    } catch (const json::exception& e) {
      throw IoError(fmt::format("MLflow server at {} answered {} {} with invalid JSON: {}", url_, method, endpoint,
                                e.what()));
    }
  }

  std::string ExperimentId(const std::string& name) {
    const json found = Call("GET", "experiments/get-by-name?experiment_name=" + PercentEncode(name),
                            json(), /*allow_missing=*/true);
    if (!found.is_null() && found.contains("experiment")) {
      return found["experiment"].value("experiment_id", "");
    }
    return Call("POST", "experiments/create", {{"name", name}}).value("experiment_id", "");
  }

 private:
  std::string url_;
  std::string prefix_;
  std::unique_ptr<httplib::Client> client_;
};

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

json KeyValues(const std::vector<std::pair<std::string, std::string>>& items, size_t begin, size_t end) {
  json out = json::array();
  for (size_t i = begin; i < end; ++i) out.push_back({{"key", items[i].first}, {"value", items[i].second}});
  return out;
}

}  // namespace

std::vector<PushedRun> PushMlflow(const TrackingStore& store, const std::vector<RunInfo>& runs_in,
                                  const std::string& url) {
  MlflowClient client(url);
  std::vector<RunInfo> runs = runs_in;
  std::stable_sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) { return a.start_ms < b.start_ms; });
  std::map<std::string, std::string> experiment_ids;  // ember name -> server id
  std::map<std::string, std::string> run_ids;         // ember run -> server run
  std::vector<PushedRun> pushed;
  for (const RunInfo& run : runs) {
    auto exp = experiment_ids.find(run.experiment_name);
    if (exp == experiment_ids.end()) {
      exp = experiment_ids.emplace(run.experiment_name, client.ExperimentId(run.experiment_name)).first;
    }
    const json created = client.Call("POST", "runs/create",
                                     {{"experiment_id", exp->second},
                                      {"user_id", run.user},
                                      {"run_name", run.name},
                                      {"start_time", run.start_ms},
                                      {"tags", json::array()}});
    const std::string id = created.value("/run/info/run_id"_json_pointer, std::string());
    if (id.empty()) {
      throw IoError(fmt::format("MLflow server at {} answered runs/create without run.info.run_id", url));
    }
    run_ids[run.run_id] = id;
    const auto parent = run_ids.find(run.parent_run_id);
    const std::string parent_id = parent != run_ids.end() ? parent->second : "";

    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& kv : store.Params(run.run_id)) params.emplace_back(kv);
    std::vector<std::pair<std::string, std::string>> tags = MlflowTags(store, run, parent_id);
    tags.emplace_back("ember.run_id", run.run_id);
    const std::vector<MetricPoint> metrics = store.MetricHistory(run.run_id);
    for (size_t i = 0; i < params.size(); i += kMlflowBatchParams) {
      client.Call("POST", "runs/log-batch",
                  {{"run_id", id}, {"params", KeyValues(params, i, std::min(params.size(), i + kMlflowBatchParams))}});
    }
    for (size_t i = 0; i < tags.size(); i += kMlflowBatchTags) {
      client.Call("POST", "runs/log-batch",
                  {{"run_id", id}, {"tags", KeyValues(tags, i, std::min(tags.size(), i + kMlflowBatchTags))}});
    }
    for (size_t i = 0; i < metrics.size(); i += kMlflowBatchMetrics) {
      json batch = json::array();
      for (size_t j = i; j < std::min(metrics.size(), i + kMlflowBatchMetrics); ++j) {
        const MetricPoint& p = metrics[j];
        batch.push_back(
            {{"key", p.key}, {"value", JsonNumber(p.value)}, {"timestamp", p.timestamp_ms}, {"step", p.step}});
      }
      client.Call("POST", "runs/log-batch", {{"run_id", id}, {"metrics", batch}});
    }
    if (run.status != RunStatus::kRunning) {
      client.Call("POST", "runs/update",
                  {{"run_id", id}, {"status", std::string(RunStatusName(run.status))}, {"end_time", run.end_ms}});
    }
    pushed.push_back({run.run_id, id});
  }
  return pushed;
}

}  // namespace ember::track
