// Opens rendered reports in a real headless browser (Debian's chromium) and
// checks that the page parses into the expected sections and SVG elements and
// that the browser made no network request on the page's behalf.
//
// Requests are read from chromium's NetLog (--log-net-log): every URL request
// chromium starts is logged with its network isolation key, and those made
// for a file:// page carry "file://" there, unlike chromium's own background
// traffic (updates, sign-in). Host names resolve to nothing
// (--host-resolver-rules), so even a request that slipped through could not
// leave the machine. A control page with an external image proves the
// detection works.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/report_samples_test.h"
#include "report/run_report.h"
#include "report/self_contained_test.h"

namespace ember::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// $EMBER_CHROMIUM, else chromium / chromium-browser on the PATH; empty when none.
std::string FindChromium() {
  if (const char* env = std::getenv("EMBER_CHROMIUM"); env && *env) return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path candidate = fs::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return {};
}

// A scratch directory removed at the end of the test.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct BrowserRun {
  int status = -1;
  std::string dom;
  std::vector<std::string> page_requests;  // URLs requested for the page
  std::string error;                       // why the run could not be checked
};

// Loads `page` once in headless chromium: the serialised DOM after load and
// the URLs of the network requests made on the page's behalf.
BrowserRun LoadInChromium(const std::string& chromium, const fs::path& page, const fs::path& work) {
  const fs::path dom = work / "dom.html", log = work / "chromium.log", netlog = work / "netlog.json";
  const std::string command =
      "timeout 60 " + Quote(chromium) +
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-extensions"
      " --disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
      Quote((work / "profile").string()) + " --host-resolver-rules=" + Quote("MAP * ~NOTFOUND") +
      " --log-net-log=" + Quote(netlog.string()) + " --dump-dom " + Quote("file://" + page.string()) + " > " +
      Quote(dom.string()) + " 2> " + Quote(log.string());
  BrowserRun run;
  run.status = std::system(command.c_str());
  run.dom = ReadAll(dom);
  if (run.status != 0) {
    run.error = "chromium exited with status " + std::to_string(run.status) + "; log:\n" + ReadAll(log).substr(0, 4000);
    return run;
  }
  json events;
  try {
    events = json::parse(ReadAll(netlog));
  } catch (const std::exception& e) {
    run.error = std::string("cannot parse chromium's net log: ") + e.what();
    return run;
  }
  const json& types = events["constants"]["logEventTypes"];
  if (!types.contains("URL_REQUEST_START_JOB")) {
    run.error = "chromium's net log has no URL_REQUEST_START_JOB event type";
    return run;
  }
  const int start_job = types["URL_REQUEST_START_JOB"].get<int>();
  for (const json& event : events["events"]) {
    if (event.value("type", -1) != start_job || !event.contains("params")) continue;
    const json& params = event["params"];
    if (!params.contains("url")) continue;
    const std::string key = params.value("network_isolation_key", "") + " " + params.value("site_for_cookies", "");
    if (key.find("file://") != std::string::npos) run.page_requests.push_back(params["url"].get<std::string>());
  }
  return run;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The serialised element <svg id="id" ...>...</svg>.
std::string SvgById(const std::string& dom, const std::string& id) {
  const size_t start = dom.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return {};
  return dom.substr(start, dom.find("</svg>", start) - start);
}

void CheckInBrowser(const RunReport& report, const std::vector<std::string>& ids,
                    const std::vector<std::string>& absent) {
  const std::string chromium = FindChromium();
  ASSERT_FALSE(chromium.empty())
      << "chromium not found (looked at $EMBER_CHROMIUM and chromium/chromium-browser on the PATH); the report "
         "test needs a real browser: run scripts/install-deps.sh";
  ScratchDir work("ember_report_browser_" + report.task);
  const fs::path page = work.path() / "report.html";
  WriteReportHtml(report, page.string());
  const BrowserRun run = LoadInChromium(chromium, page, work.path());
  ASSERT_TRUE(run.error.empty()) << run.error;
  ASSERT_NE(run.dom.find("</html>"), std::string::npos) << "no DOM from chromium:\n" << run.dom.substr(0, 2000);
  for (const std::string& id : ids) {
    EXPECT_NE(run.dom.find("id=\"" + id + "\""), std::string::npos) << "missing element #" << id;
  }
  for (const std::string& id : absent) {
    EXPECT_EQ(run.dom.find("id=\"" + id + "\""), std::string::npos) << "unexpected element #" << id;
  }
  // The browser parsed the SVG into elements (not text), and no script exists.
  EXPECT_EQ(Count(run.dom, "<script"), 0u);
  EXPECT_GT(Count(SvgById(run.dom, "pipeline-diagram"), "<rect"), 4u);
  EXPECT_NE(SvgById(run.dom, "loss-history").find("<polyline"), std::string::npos);
  EXPECT_TRUE(samples::ExternalReferences(run.dom).empty()) << samples::ExternalReferences(run.dom).front();
  EXPECT_TRUE(run.page_requests.empty()) << "the page made a network request: " << run.page_requests.front();
}

TEST(ReportBrowserTest, BinaryReportRendersOffline) {
  const RunReport r = samples::BinarySample();
  CheckInBrowser(r,
                 {"roc-curve", "pr-curve", "confusion-matrix", "calibration", "loss-history", "feature-importance",
                  "pipeline-diagram", "metrics", "lineage"},
                 {"predicted-vs-actual", "residuals"});
}

TEST(ReportBrowserTest, RegressionReportRendersOffline) {
  const RunReport r = samples::RegressionSample(3000);
  CheckInBrowser(r,
                 {"predicted-vs-actual", "residuals", "loss-history", "feature-importance", "pipeline-diagram",
                  "metrics", "lineage"},
                 {"roc-curve", "pr-curve", "confusion-matrix", "calibration"});
}

TEST(ReportBrowserTest, DetectsARequestFromThePage) {
  // Control: a page that does load something must be caught by the net log check.
  const std::string chromium = FindChromium();
  ASSERT_FALSE(chromium.empty()) << "chromium not found; run scripts/install-deps.sh";
  ScratchDir work("ember_report_browser_control");
  const fs::path page = work.path() / "control.html";
  std::ofstream(page) << "<!DOCTYPE html><html><body><p>control</p>"
                         "<img src=\"http://ember-report-check.invalid/pixel.png\"></body></html>";
  const BrowserRun run = LoadInChromium(chromium, page, work.path());
  ASSERT_TRUE(run.error.empty()) << run.error;
  ASSERT_EQ(run.page_requests.size(), 1u);
  EXPECT_EQ(run.page_requests[0], "http://ember-report-check.invalid/pixel.png");
}

}  // namespace
}  // namespace ember::report
