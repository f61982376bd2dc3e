// A small SVG plotting toolkit for the run report: HTML escaping, number
// formatting, "nice" axis ticks, text-width estimates, and a Chart that maps
// data coordinates onto a plot area framed by axes with ticks, grid lines,
// labels and a legend. Output is plain inline SVG text (no xmlns needed
// inside HTML, no scripts, no external references) and is deterministic.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ember::report {

/// Escapes & < > " ' so that any text is safe in element content and in
/// quoted attribute values.
std::string EscapeHtml(std::string_view text);

/// Formats a coordinate with at most two decimals, no trailing zeros
/// ("12.5", "3", "-0.25"); NaN and infinities become "0".
std::string Coord(double v);

/// Formats a value for tables: "NaN", "inf", integers without decimals up to
/// 1e15, otherwise four decimals below 1e6 and four significant digits above.
std::string FormatValue(double v);

/// Axis ticks at multiples of 1, 2 or 5 times a power of ten.
struct Ticks {
  std::vector<double> values;  // ascending, within [lo, hi]
  double lo = 0, hi = 1;       // the (possibly widened) axis range
  double step = 0.2;
  int decimals = 1;  // decimals that tell neighbouring ticks apart
};

/// About `target` nice ticks covering [lo, hi]. With `extend`, the range is
/// widened to the enclosing multiples of the step. A degenerate range
/// (lo == hi, or non-finite bounds) is widened around its value.
Ticks NiceTicks(double lo, double hi, int target, bool extend);

/// A tick label: `decimals` fixed digits, thousands shown as "k"/"M"/"G" when
/// the step is a multiple of 1000 of them.
std::string FormatTick(double v, const Ticks& ticks);

/// Estimated rendered width in pixels of `text` in a sans-serif font of
/// `font_size` px (no font metrics are available to the writer).
double TextWidth(std::string_view text, double font_size);

/// `text` shortened with a trailing ellipsis to fit `max_width` px; cuts on
/// UTF-8 character boundaries.
std::string TruncateText(std::string_view text, double max_width, double font_size);

/// Colours of successive series (colour-blind friendly, Tableau 10).
std::string_view SeriesColor(size_t i);

/// How a polyline is drawn.
struct Stroke {
  std::string color = "#4c78a8";
  double width = 2;
  bool dashed = false;
};

/// One legend line: a swatch of the stroke and its label.
struct LegendEntry {
  std::string label;
  Stroke stroke;
  bool marker = false;  // a dot instead of a line
};

/// What a Chart shows around its plot area.
struct ChartOptions {
  std::string id;  // the id attribute of the <svg> element
  std::string title, x_label, y_label;
  double width = 460, height = 340;
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;  // data ranges
  bool extend_x = true, extend_y = true;          // widen to nice ticks
  int x_ticks = 6, y_ticks = 6;                   // about how many
  /// Drawn in rows under the x axis label, never over the data.
  std::vector<LegendEntry> legend;
};

/// An x/y chart. Draw calls take data coordinates and append SVG elements
/// (clipped to the plot area); Finish() returns the whole <svg> element.
/// Not thread-safe; cheap to build.
class Chart {
 public:
  explicit Chart(ChartOptions options);

  double X(double x) const;  // data -> pixels
  double Y(double y) const;
  double plot_left() const { return left_; }
  double plot_right() const { return right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return bottom_; }

  /// A polyline through (xs[i], ys[i]); a non-finite point breaks the line,
  /// and a point with no finite neighbour is drawn as a dot.
  void Line(std::span<const double> xs, std::span<const double> ys, const Stroke& stroke);
  /// Dots of radius `r`; `titles` (empty or one per point) become tooltips.
  void Points(std::span<const double> xs, std::span<const double> ys, const std::string& color, double r,
              double opacity, std::span<const std::string> titles = {});
  /// A filled rectangle between data corners (x0, y0) and (x1, y1).
  void Rect(double x0, double y0, double x1, double y1, const std::string& fill, double opacity);
  std::string Finish() const;

 private:
  ChartOptions options_;
  Ticks x_ticks_, y_ticks_;
  double left_, right_, top_, bottom_;
  double legend_top_ = 0;
  std::vector<std::vector<size_t>> legend_rows_;  // indices into options_.legend
  std::string body_;                              // clipped drawing
};

/// `<text>` element; `anchor` is start, middle or end; `extra` is appended
/// verbatim inside the tag (REQUIRES: made of trusted attribute text).
std::string SvgText(double x, double y, std::string_view text, std::string_view anchor, double size,
                    std::string_view extra = {});

}  // namespace ember::report
