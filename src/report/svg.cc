#include "report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ember::report {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Coord(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::abs(v) < 1e15 && v == std::trunc(v)) return fmt::format("{:.0f}", v);
  if (std::abs(v) < 1e6) return fmt::format("{:.4f}", v);
  return fmt::format("{:.4g}", v);
}

Ticks NiceTicks(double lo, double hi, int target, bool extend) {
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= std::abs(hi) * 1e-12) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  target = std::max(target, 2);
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  t.step = nice * magnitude;
  t.decimals = std::max(0, -static_cast<int>(std::floor(std::log10(t.step) + 1e-9)));
  const double first = std::ceil(lo / t.step - 1e-9);
  const double last = std::floor(hi / t.step + 1e-9);
  if (extend) {
    t.lo = std::min(lo, std::floor(lo / t.step + 1e-9) * t.step);
    t.hi = std::max(hi, std::ceil(hi / t.step - 1e-9) * t.step);
  } else {
    t.lo = lo;
    t.hi = hi;
  }
  for (double k = extend ? std::floor(lo / t.step + 1e-9) : first; k <= (extend ? std::ceil(hi / t.step - 1e-9) : last);
       ++k) {
    double v = k * t.step;
    if (std::abs(v) < t.step * 1e-9) v = 0;  // no "-0"
    t.values.push_back(v);
  }
  return t;
}

std::string FormatTick(double v, const Ticks& ticks) {
  struct Unit {
    double scale;
    const char* suffix;
  };
  static constexpr Unit kUnits[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const Unit& u : kUnits) {
    if (ticks.step >= u.scale && std::abs(std::fmod(ticks.step, u.scale)) < 1e-9 * u.scale) {
      return fmt::format("{:.0f}{}", v / u.scale, v == 0 ? "" : u.suffix);
    }
  }
  std::string s = fmt::format("{:.{}f}", v, ticks.decimals);
  if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

double TextWidth(std::string_view text, double font_size) {
  double units = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (c >= 0x80) {
      units += 0.62;
    } else if (std::string_view("iljtf.,:;'|!()[] ").find(static_cast<char>(c)) != std::string_view::npos) {
      units += 0.32;
    } else if (std::string_view("mwMW@").find(static_cast<char>(c)) != std::string_view::npos) {
      units += 0.86;
    } else if (c >= 'A' && c <= 'Z') {
      units += 0.68;
    } else {
      units += 0.58;
    }
  }
  return units * font_size;
}

std::string TruncateText(std::string_view text, double max_width, double font_size) {
  if (TextWidth(text, font_size) <= max_width) return std::string(text);
  const double budget = max_width - TextWidth("\u2026", font_size);
  size_t end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (TextWidth(text.substr(0, next), font_size) > budget) break;
    end = next;
  }
  return std::string(text.substr(0, end)) + "\u2026";
}

std::string_view SeriesColor(size_t i) {
  static constexpr std::string_view kColors[] = {"#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2",
                                                 "#b279a2", "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"};
  return kColors[i % std::size(kColors)];
}

std::string SvgText(double x, double y, std::string_view text, std::string_view anchor, double size,
                    std::string_view extra) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\"{}{}>{}</text>", Coord(x), Coord(y),
                     anchor, Coord(size), extra.empty() ? "" : " ", extra, EscapeHtml(text));
}

namespace {

constexpr double kLegendFont = 12, kLegendRow = 18, kSwatch = 22;

double LegendEntryWidth(const LegendEntry& e) { return kSwatch + 6 + TextWidth(e.label, kLegendFont) + 18; }

std::string StrokeAttributes(const Stroke& s) {
  return fmt::format("stroke=\"{}\" stroke-width=\"{}\"{}", EscapeHtml(s.color), Coord(s.width),
                     s.dashed ? " stroke-dasharray=\"5 4\"" : "");
}

}  // namespace

Chart::Chart(ChartOptions options) : options_(std::move(options)) {
  x_ticks_ = NiceTicks(options_.x_lo, options_.x_hi, options_.x_ticks, options_.extend_x);
  y_ticks_ = NiceTicks(options_.y_lo, options_.y_hi, options_.y_ticks, options_.extend_y);
  double widest = 0;
  for (double v : y_ticks_.values) widest = std::max(widest, TextWidth(FormatTick(v, y_ticks_), 11));
  left_ = 14 + (options_.y_label.empty() ? 0 : 16) + widest + 8;
  right_ = options_.width - 16;
  top_ = options_.title.empty() ? 14 : 34;
  // Legend entries flow left to right in rows as wide as the plot area.
  for (LegendEntry& e : options_.legend) {
    e.label = TruncateText(e.label, right_ - left_ - (kSwatch + 6 + 18), kLegendFont);
  }
  double row_width = 0;
  for (size_t i = 0; i < options_.legend.size(); ++i) {
    const double w = LegendEntryWidth(options_.legend[i]);
    if (legend_rows_.empty() || row_width + w > right_ - left_) {
      legend_rows_.emplace_back();
      row_width = 0;
    }
    legend_rows_.back().push_back(i);
    row_width += w;
  }
  const double legend_height = legend_rows_.empty() ? 0 : kLegendRow * legend_rows_.size() + 4;
  legend_top_ = options_.height - legend_height;
  bottom_ = legend_top_ - (options_.x_label.empty() ? 26 : 44);
}

double Chart::X(double x) const { return left_ + (x - x_ticks_.lo) / (x_ticks_.hi - x_ticks_.lo) * (right_ - left_); }

double Chart::Y(double y) const { return bottom_ - (y - y_ticks_.lo) / (y_ticks_.hi - y_ticks_.lo) * (bottom_ - top_); }

void Chart::Line(std::span<const double> xs, std::span<const double> ys, const Stroke& stroke) {
  // One polyline per run of finite points: a gap in the data stays a gap.
  std::string points;
  const auto flush = [&] {
    const size_t comma = points.find(',');
    if (points.find(' ') != std::string::npos) {
      body_ += fmt::format("<polyline fill=\"none\" {} stroke-linejoin=\"round\" points=\"{}\"/>",
                           StrokeAttributes(stroke), points);
    } else if (comma != std::string::npos) {  // a lone point shows as a dot
      body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>", points.substr(0, comma),
                           points.substr(comma + 1), Coord(std::max(stroke.width, 1.5) + 1), EscapeHtml(stroke.color));
    }
    points.clear();
  };
  const size_t n = std::min(xs.size(), ys.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      flush();
      continue;
    }
    if (!points.empty()) points += ' ';
    points += Coord(X(xs[i]));
    points += ',';
    points += Coord(Y(ys[i]));
  }
  flush();
}

void Chart::Points(std::span<const double> xs, std::span<const double> ys, const std::string& color, double r,
                   double opacity, std::span<const std::string> titles) {
  body_ += fmt::format("<g fill=\"{}\" fill-opacity=\"{}\">", EscapeHtml(color), Coord(opacity));
  const size_t n = std::min(xs.size(), ys.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    if (i < titles.size()) {
      body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>", Coord(X(xs[i])),
                           Coord(Y(ys[i])), Coord(r), EscapeHtml(titles[i]));
    } else {
      body_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>", Coord(X(xs[i])), Coord(Y(ys[i])), Coord(r));
    }
  }
  body_ += "</g>";
}

void Chart::Rect(double x0, double y0, double x1, double y1, const std::string& fill, double opacity) {
  const double px0 = std::min(X(x0), X(x1)), px1 = std::max(X(x0), X(x1));
  const double py0 = std::min(Y(y0), Y(y1)), py1 = std::max(Y(y0), Y(y1));
  body_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"{}\"/>",
                       Coord(px0), Coord(py0), Coord(px1 - px0), Coord(py1 - py0), EscapeHtml(fill), Coord(opacity));
}

std::string Chart::Finish() const {
  const std::string& id = options_.id;
  std::string out = fmt::format(
      "<svg id=\"{0}\" class=\"chart\" width=\"{1}\" height=\"{2}\" viewBox=\"0 0 {1} {2}\" role=\"img\" "
      "aria-label=\"{3}\"><defs><clipPath id=\"{0}-clip\"><rect x=\"{4}\" y=\"{5}\" width=\"{6}\" height=\"{7}\"/>"
      "</clipPath></defs>",
      EscapeHtml(id), Coord(options_.width), Coord(options_.height), EscapeHtml(options_.title), Coord(left_ - 3),
      Coord(top_ - 3), Coord(right_ - left_ + 6), Coord(bottom_ - top_ + 6));
  if (!options_.title.empty()) {
    out += SvgText(options_.width / 2, 20, options_.title, "middle", 14, "font-weight=\"600\"");
  }
  // Grid and ticks.
  out += "<g class=\"grid\" stroke=\"#e5e8eb\" stroke-width=\"1\">";
  for (double v : x_ticks_.values) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", Coord(X(v)), Coord(top_), Coord(bottom_));
  }
  for (double v : y_ticks_.values) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", Coord(left_), Coord(Y(v)), Coord(right_));
  }
  out += "</g><g class=\"axis\" fill=\"#57606a\">";
  for (double v : x_ticks_.values) {
    out += SvgText(X(v), bottom_ + 16, FormatTick(v, x_ticks_), "middle", 11);
  }
  for (double v : y_ticks_.values) {
    out += SvgText(left_ - 6, Y(v) + 4, FormatTick(v, y_ticks_), "end", 11);
  }
  out += "</g>";
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1\"/>",
      Coord(left_), Coord(top_), Coord(right_ - left_), Coord(bottom_ - top_));
  if (!options_.x_label.empty()) {
    out += SvgText((left_ + right_) / 2, bottom_ + 34, options_.x_label, "middle", 12, "fill=\"#24292f\"");
  }
  if (!options_.y_label.empty()) {
    const double cy = (top_ + bottom_) / 2;
    out += SvgText(0, 0, options_.y_label, "middle", 12,
                   fmt::format("fill=\"#24292f\" transform=\"translate(18 {}) rotate(-90)\"", Coord(cy)));
  }
  out += fmt::format("<g clip-path=\"url(#{}-clip)\">", EscapeHtml(id));
  out += body_;
  out += "</g>";
  if (!legend_rows_.empty()) out += "<g class=\"legend\">";
  for (size_t row = 0; row < legend_rows_.size(); ++row) {
    double width = 0;
    for (size_t i : legend_rows_[row]) width += LegendEntryWidth(options_.legend[i]);
    double x = (left_ + right_ - width + 18) / 2;  // centred under the plot
    const double cy = legend_top_ + kLegendRow * row + 9;
    for (size_t i : legend_rows_[row]) {
      const LegendEntry& e = options_.legend[i];
      if (e.marker) {
        out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/>", Coord(x + kSwatch / 2), Coord(cy),
                           EscapeHtml(e.stroke.color));
      } else {
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>", Coord(x), Coord(cy),
                           Coord(x + kSwatch), Coord(cy), StrokeAttributes(e.stroke));
      }
      out += SvgText(x + kSwatch + 6, cy + 4, e.label, "start", kLegendFont, "fill=\"#24292f\"");
      x += LegendEntryWidth(e);
    }
  }
  if (!legend_rows_.empty()) out += "</g>";
  out += "</svg>";
  return out;
}

}  // namespace ember::report
