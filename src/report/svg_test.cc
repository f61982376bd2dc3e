// The plotting toolkit: escaping, number formats, nice ticks, text fitting.
#include "report/svg.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace ember::report {
namespace {

TEST(SvgTest, EscapeHtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(EscapeHtml("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("caf\u00e9 plain"), "caf\u00e9 plain");
}

TEST(SvgTest, CoordTrimsZeros) {
  EXPECT_EQ(Coord(12.5), "12.5");
  EXPECT_EQ(Coord(3.0), "3");
  EXPECT_EQ(Coord(-0.001), "0");
  EXPECT_EQ(Coord(1.236), "1.24");
  EXPECT_EQ(Coord(NAN), "0");
}

TEST(SvgTest, FormatValue) {
  EXPECT_EQ(FormatValue(0.912345678), "0.9123");
  EXPECT_EQ(FormatValue(1234.0), "1234");
  EXPECT_EQ(FormatValue(12345678.9), "1.235e+07");
  EXPECT_EQ(FormatValue(NAN), "NaN");
}

TEST(SvgTest, NiceTicksOnUnitRange) {
  const Ticks t = NiceTicks(0, 1, 5, true);
  ASSERT_EQ(t.values.size(), 6u);
  for (size_t i = 0; i < t.values.size(); ++i) EXPECT_NEAR(t.values[i], 0.2 * i, 1e-12);
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 1);
  EXPECT_EQ(FormatTick(t.values[1], t), "0.2");
  EXPECT_EQ(FormatTick(t.values[0], t), "0.0");
}

TEST(SvgTest, NiceTicksExtendToStepMultiples) {
  // Range 3..97 with about 5 ticks: step 20, axis widened to 0..100.
  const Ticks t = NiceTicks(3, 97, 5, true);
  EXPECT_EQ(t.step, 20);
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 100);
  EXPECT_EQ(t.values, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  // Without extension only the ticks inside the range remain.
  const Ticks inner = NiceTicks(3, 97, 5, false);
  EXPECT_EQ(inner.values, (std::vector<double>{20, 40, 60, 80}));
  EXPECT_EQ(inner.lo, 3);
}

TEST(SvgTest, NiceTicksNegativeAndDegenerate) {
  const Ticks t = NiceTicks(-0.37, 0.12, 5, true);
  EXPECT_NEAR(t.step, 0.1, 1e-15);
  EXPECT_NEAR(t.lo, -0.4, 1e-12);
  EXPECT_NEAR(t.hi, 0.2, 1e-12);
  EXPECT_EQ(FormatTick(t.values[4], t), "0.0");  // not "-0.0"
  const Ticks flat = NiceTicks(5, 5, 5, true);
  EXPECT_LT(flat.lo, 5);
  EXPECT_GT(flat.hi, 5);
  EXPECT_GE(flat.values.size(), 2u);
}

TEST(SvgTest, LargeTicksUseUnits) {
  const Ticks t = NiceTicks(0, 400000, 4, true);
  EXPECT_EQ(t.step, 100000);
  EXPECT_EQ(FormatTick(200000, t), "200k");
  EXPECT_EQ(FormatTick(0, t), "0");
  const Ticks m = NiceTicks(0, 5e6, 5, true);
  EXPECT_EQ(FormatTick(3e6, m), "3M");
}

TEST(SvgTest, TruncateTextFitsWidthOnCharacterBoundary) {
  EXPECT_EQ(TruncateText("short", 200, 12), "short");
  const std::string long_name(100, 'x');
  const std::string cut = TruncateText(long_name, 120, 12);
  EXPECT_LE(TextWidth(cut, 12), 120);
  EXPECT_TRUE(cut.ends_with("\u2026"));
  // Two-byte characters are never split.
  const std::string accents = TruncateText("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 40, 12);
  EXPECT_EQ((accents.size() - std::string("\u2026").size()) % 2, 0u);
}

TEST(SvgTest, ChartMapsDataToPlotArea) {
  ChartOptions o;
  o.id = "c";
  o.x_lo = 0;
  o.x_hi = 1;
  o.y_lo = 0;
  o.y_hi = 1;
  Chart chart(o);
  EXPECT_DOUBLE_EQ(chart.X(0), chart.plot_left());
  EXPECT_DOUBLE_EQ(chart.X(1), chart.plot_right());
  EXPECT_DOUBLE_EQ(chart.Y(0), chart.plot_bottom());  // y grows upwards
  EXPECT_DOUBLE_EQ(chart.Y(1), chart.plot_top());
  const double xs[] = {0, 1}, ys[] = {0, 1};
  chart.Line(xs, ys, Stroke{});
  const std::string svg = chart.Finish();
  EXPECT_TRUE(svg.starts_with("<svg id=\"c\""));
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>"));
}

TEST(SvgTest, LineBreaksAtNonFinitePoints) {
  ChartOptions o;
  o.id = "gaps";
  o.x_hi = 6;
  o.y_hi = 6;
  Chart chart(o);
  const double xs[] = {1, 2, 3, 4, 5, 6}, ys[] = {1, 2, NAN, 4, 5, INFINITY};
  chart.Line(xs, ys, Stroke{});
  const std::string svg = chart.Finish();
  // Runs {1, 2} and {4, 5}.
  size_t polylines = 0;
  for (size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  EXPECT_EQ(polylines, 2u);
  EXPECT_EQ(svg.find("<circle"), std::string::npos);
  // A point between two gaps is a dot.
  Chart lone(o);
  const double ys2[] = {NAN, 2, NAN, 4, 5, 6};
  lone.Line(xs, ys2, Stroke{});
  const std::string svg2 = lone.Finish();
  EXPECT_NE(svg2.find(fmt::format("<circle cx=\"{}\" cy=\"{}\"", Coord(lone.X(2)), Coord(lone.Y(2)))),
            std::string::npos);
}

TEST(SvgTest, LegendSitsBelowThePlotArea) {
  ChartOptions o;
  o.id = "legend";
  o.x_label = "x";
  o.legend = {{"first series", Stroke{}}, {"second", Stroke{"#f58518"}}};
  const Chart with(o);
  o.legend.clear();
  const Chart without(o);
  EXPECT_LT(with.plot_bottom(), without.plot_bottom());
  const std::string svg = with.Finish();
  const size_t label = svg.find(">first series</text>");
  ASSERT_NE(label, std::string::npos);
  const size_t y_at = svg.rfind(" y=\"", label);
  EXPECT_GT(std::stod(svg.substr(y_at + 4)), with.plot_bottom() + 34);  // under the x label
}

}  // namespace
}  // namespace ember::report
