// The assembled page: sections per task, escaping of user text, nothing
// loaded from outside, deterministic bytes, bounded plot sizes, atomic write.
#include "report/run_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/report_samples_test.h"
#include "report/self_contained_test.h"

namespace ember::report {
namespace {

using samples::BinarySample;
using samples::ExternalReferences;
using samples::kHostileName;
using samples::MulticlassSample;
using samples::RegressionSample;

bool Has(const std::string& html, const std::string& needle) { return html.find(needle) != std::string::npos; }

size_t Count(const std::string& html, const std::string& needle) {
  size_t n = 0;
  for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
  return n;
}

// The <svg ...>...</svg> element with the given id.
std::string SvgById(const std::string& html, const std::string& id) {
  const size_t start = html.find("<svg id=\"" + id + "\"");
  if (start == std::string::npos) return {};
  const size_t end = html.find("</svg>", start);
  return html.substr(start, end - start + 6);
}

TEST(RunReportTest, BinaryHasEverySection) {
  const std::string html = RenderReportHtml(BinarySample());
  for (const char* id : {"roc-curve", "pr-curve", "calibration", "confusion-matrix", "loss-history",
                         "feature-importance", "pipeline-diagram"}) {
    EXPECT_TRUE(Has(html, std::string("<svg id=\"") + id + "\"")) << id;
  }
  EXPECT_TRUE(Has(html, "<table id=\"metrics\""));
  EXPECT_TRUE(Has(html, "<table id=\"lineage\""));
  EXPECT_FALSE(Has(html, "predicted-vs-actual"));
  EXPECT_FALSE(Has(html, "per-class-metrics"));  // two classes: the matrix says it all
  // One polyline for the curve plus the reference line.
  EXPECT_EQ(Count(SvgById(html, "roc-curve"), "<polyline"), 2u);
  // Train and validation loss lines and their legend.
  const std::string loss = SvgById(html, "loss-history");
  EXPECT_EQ(Count(loss, "<polyline"), 2u);
  EXPECT_TRUE(Has(loss, ">train</text>"));
  EXPECT_TRUE(Has(loss, ">validation</text>"));
  // Four stage boxes, three arrows; three of them estimators.
  const std::string pipeline = SvgById(html, "pipeline-diagram");
  EXPECT_EQ(Count(pipeline, "<g class=\"stage"), 4u);
  EXPECT_EQ(Count(pipeline, "<polygon"), 3u);
  EXPECT_EQ(Count(pipeline, "class=\"stage estimator\""), 3u);
  EXPECT_TRUE(Has(pipeline, ">VectorAssembler</text>"));
  // Top 20 of 23 features.
  EXPECT_EQ(Count(SvgById(html, "feature-importance"), "<rect"), 20u);
  EXPECT_TRUE(Has(html, "The 20 largest of 23 features"));
  // A missing train value prints as a dash.
  EXPECT_TRUE(Has(html, "<td>logLoss</td><td class=\"num\">\u2014</td><td class=\"num\">0.3312</td>"));
}

TEST(RunReportTest, RocAreaInLegendIsTheHandArea) {
  RunReport r;
  r.task = "binary";
  r.scores = {0.9, 0.8, 0.8, 0.6, 0.55, 0.4, 0.4, 0.3, 0.2, 0.1};
  r.labels = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0};
  const std::string html = RenderReportHtml(r);
  EXPECT_TRUE(Has(SvgById(html, "roc-curve"), "model (AUC 0.6800)"));
  EXPECT_TRUE(Has(SvgById(html, "pr-curve"), "model (AP 0.7087)"));  // 893 / 1260
  EXPECT_TRUE(Has(SvgById(html, "pr-curve"), "no skill (0.5000)"));
}

TEST(RunReportTest, CurvesAreDownsampled) {
  RunReport r;
  r.task = "binary";
  uint64_t state = 3;
  for (int i = 0; i < 20000; ++i) {
    const double label = samples::NextUniform(state) < 0.5 ? 1 : 0;
    r.scores.push_back(0.5 * samples::NextUniform(state) + 0.3 * label);
    r.labels.push_back(label);
  }
  const std::string roc = SvgById(RenderReportHtml(r), "roc-curve");
  // The model polyline is the second one (after the diagonal).
  const size_t second = roc.find("<polyline", roc.find("<polyline") + 1);
  const size_t points_at = roc.find("points=\"", second);
  const std::string points = roc.substr(points_at, roc.find('"', points_at + 8) - points_at);
  EXPECT_LE(Count(points, ","), 500u);
  EXPECT_GE(Count(points, ","), 100u);
}

TEST(RunReportTest, MulticlassHasMatrixAndPerClassButNoRoc) {
  RunReport r = MulticlassSample();
  r.scores = {0.1, 0.9};  // ignored for a multiclass task
  r.labels = {0, 1};
  const std::string html = RenderReportHtml(r);
  EXPECT_TRUE(Has(html, "<svg id=\"confusion-matrix\""));
  EXPECT_TRUE(Has(html, "<table id=\"per-class-metrics\""));
  EXPECT_FALSE(Has(html, "roc-curve"));
  EXPECT_FALSE(Has(html, "pr-curve"));
  EXPECT_FALSE(Has(html, "id=\"calibration\""));
  // 16 cells. Class F: precision 80 / (12 + 80 + 11 + 1) = 0.7692, recall 80 / 110 = 0.7273,
  // F1 = 2pr / (p + r) = 160 / 214 = 0.7477, support 110.
  EXPECT_EQ(Count(SvgById(html, "confusion-matrix"), "<rect"), 16u);
  EXPECT_TRUE(Has(html,
                  "<tr><td>F</td><td class=\"num\">0.7692</td><td class=\"num\">0.7273</td>"
                  "<td class=\"num\">0.7477</td><td class=\"num\">110</td></tr>"));
}

TEST(RunReportTest, RegressionHasScatterAndResiduals) {
  const std::string html = RenderReportHtml(RegressionSample(5000));
  const std::string scatter = SvgById(html, "predicted-vs-actual");
  ASSERT_FALSE(scatter.empty());
  EXPECT_EQ(Count(scatter, "<circle"), 2000u + 1);  // subsample + legend marker
  EXPECT_TRUE(Has(html, "2,000 of 5,000 test rows"));
  EXPECT_TRUE(Has(html, "<svg id=\"residuals\""));
  EXPECT_FALSE(Has(html, "roc-curve"));
  EXPECT_FALSE(Has(html, "confusion-matrix"));
  // Few rows are all shown.
  const std::string small = SvgById(RenderReportHtml(RegressionSample(30)), "predicted-vs-actual");
  EXPECT_EQ(Count(small, "<circle"), 30u + 1);
}

TEST(RunReportTest, AbsentDataOmitsSections) {
  RunReport r;
  r.title = "empty";
  r.task = "binary";
  const std::string html = RenderReportHtml(r);
  EXPECT_FALSE(Has(html, "<svg"));
  EXPECT_FALSE(Has(html, "<table"));
  EXPECT_FALSE(Has(html, "<section"));
  r.metrics = {{"accuracy", std::nullopt, 0.5}};
  const std::string with_metrics = RenderReportHtml(r);
  EXPECT_EQ(Count(with_metrics, "<section"), 1u);
  EXPECT_TRUE(Has(with_metrics, "<a href=\"#sec-metrics\">Metrics</a>"));
}

TEST(RunReportTest, UserTextIsEscapedEverywhere) {
  for (const RunReport& r : {BinarySample(), MulticlassSample(), RegressionSample(100)}) {
    SCOPED_TRACE(r.task);
    RunReport hostile = r;
    hostile.title = kHostileName;
    hostile.run_id = kHostileName;
    const std::string html = RenderReportHtml(hostile);
    EXPECT_FALSE(Has(html, kHostileName));
    EXPECT_FALSE(Has(html, "<script"));
    EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  }
  const std::string html = RenderReportHtml(BinarySample());
  // Lineage keys and values, metric names, feature names, pipeline columns.
  EXPECT_TRUE(Has(html, "<td class=\"key\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_TRUE(Has(html, "value with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;"));
  EXPECT_TRUE(Has(html, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_TRUE(Has(SvgById(html, "pipeline-diagram"), "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(RunReportTest, PagesLoadNothingFromOutside) {
  for (const RunReport& r : {BinarySample(), MulticlassSample(), RegressionSample()}) {
    const std::vector<std::string> external = ExternalReferences(RenderReportHtml(r));
    EXPECT_TRUE(external.empty()) << r.task << ": " << (external.empty() ? "" : external.front());
  }
}

TEST(RunReportTest, SelfContainedCheckCatchesExternalReferences) {
  // The check above would be worthless if it passed everything.
  for (const char* bad :
       {"<img src=\"a.png\">", "<a href=\"//example.org/x\">x</a>", "<p style=\"background:url(x.png)\">",
        "<style>@import 'x.css';</style>", "<script>1</script>", "<image href=\"https://x/y.svg\"/>",
        "<link rel=\"stylesheet\" href=\"s.css\">"}) {
    EXPECT_FALSE(ExternalReferences(bad).empty()) << bad;
  }
  EXPECT_TRUE(ExternalReferences("<a href=\"#sec-roc\">x</a><g clip-path=\"url(#c-clip)\"></g>").empty());
}

// Every geometric attribute holds plain numbers (no NaN or inf leaked in).
void ExpectNumericGeometry(const std::string& html) {
  for (const std::string attribute : {" x=\"", " y=\"", " width=\"", " height=\"", " cx=\"", " cy=\"", " r=\"",
                                      " x1=\"", " y1=\"", " x2=\"", " y2=\"", " points=\"", " viewBox=\""}) {
    for (size_t at = html.find(attribute); at != std::string::npos; at = html.find(attribute, at + 1)) {
      const size_t begin = at + attribute.size();
      const std::string value = html.substr(begin, html.find('"', begin) - begin);
      ASSERT_FALSE(value.empty()) << attribute;
      ASSERT_EQ(value.find_first_not_of("-0123456789., "), std::string::npos) << attribute << value;
    }
  }
}

TEST(RunReportTest, DegenerateInputsStillRender) {
  RunReport tied;  // one threshold, NaN scores ignored
  tied.task = "binary";
  tied.scores = {0.5, 0.5, 0.5, NAN};
  tied.labels = {0, 1, 1, 1};
  tied.confusion = {{4}};
  tied.loss_history = {{"train", {0.7}}, {"validation", {}}, {"diverged", {1, NAN, INFINITY, 2}}};
  tied.feature_importance = {{"a", NAN}, {"b", -0.5}, {"c", 0}};
  std::vector<std::string> many;
  for (int i = 0; i < 60; ++i) many.push_back("column_with_a_rather_long_name_" + std::to_string(i));
  tied.pipeline = {{"VectorAssembler", "", many, {}, false}};
  const std::string html = RenderReportHtml(tied);
  ExpectNumericGeometry(html);
  EXPECT_TRUE(Has(SvgById(html, "roc-curve"), "model (AUC 0.5000)"));
  EXPECT_TRUE(Has(SvgById(html, "pipeline-diagram"), "more</text>"));
  EXPECT_FALSE(Has(SvgById(html, "loss-history"), ">validation</text>"));  // empty series: no legend entry

  RunReport one_row;
  one_row.task = "regression";
  one_row.predicted = {3};
  one_row.actual = {3};
  ExpectNumericGeometry(RenderReportHtml(one_row));

  RunReport wide;
  wide.task = "multiclass";
  wide.confusion.assign(30, std::vector<double>(30, 1));
  for (int i = 0; i < 30; ++i) wide.class_names.push_back("class " + std::to_string(i));
  const std::string matrix = SvgById(RenderReportHtml(wide), "confusion-matrix");
  ExpectNumericGeometry(matrix);
  EXPECT_EQ(Count(matrix, "<rect"), 900u);
}

TEST(RunReportTest, SameInputSameBytes) {
  const std::string a = RenderReportHtml(BinarySample());
  const std::string b = RenderReportHtml(BinarySample());
  EXPECT_EQ(a, b);
  EXPECT_FALSE(Has(a, "NaN"));
}

TEST(RunReportTest, BadInputThrows) {
  RunReport r = BinarySample();
  r.labels.pop_back();
  EXPECT_THROW(RenderReportHtml(r), InvalidArgument);
  r = RegressionSample(10);
  r.actual.pop_back();
  EXPECT_THROW(RenderReportHtml(r), InvalidArgument);
  r = MulticlassSample();
  r.confusion[1].pop_back();
  EXPECT_THROW(RenderReportHtml(r), InvalidArgument);
  r = BinarySample();
  r.task = "ranking";
  try {
    RenderReportHtml(r);
    FAIL() << "no throw";
  } catch (const InvalidArgument& e) {
    EXPECT_TRUE(std::string(e.what()).find("'ranking'") != std::string::npos) << e.what();
  }
}

TEST(RunReportTest, WriteReportHtmlWritesThePage) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ember_report_write_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.html").string();
  const RunReport r = MulticlassSample();
  WriteReportHtml(r, path);
  EXPECT_EQ(ReadFileToString(path), RenderReportHtml(r));
  EXPECT_THROW(WriteReportHtml(r, (dir / "missing" / "report.html").string()), Error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ember::report
