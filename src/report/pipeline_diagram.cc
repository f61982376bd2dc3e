#include "report/pipeline_diagram.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "report/svg.h"

namespace ember::report {

namespace {

constexpr double kWidth = 600, kBoxWidth = 576, kFont = 12, kLine = 17, kGap = 34, kMaxLines = 3;

// Column names laid out in lines no wider than `width` px after the prefix,
// at most kMaxLines lines; the last line says how many names did not fit.
std::vector<std::string> WrapColumns(std::span<const std::string> names, double width) {
  std::vector<std::string> lines;
  if (names.empty()) return {"\u2014"};
  std::string line;
  size_t i = 0;
  for (; i < names.size(); ++i) {
    const std::string name = TruncateText(names[i], width * 0.6, kFont);
    const std::string candidate = line.empty() ? name : line + ", " + name;
    if (line.empty() || TextWidth(candidate, kFont) <= width) {
      line = candidate;
      continue;
    }
    if (lines.size() + 1 == kMaxLines) break;
    lines.push_back(line + ",");
    line = name;
  }
  if (i < names.size()) {
    // Make room on the last line for the count of names left out.
    const std::string more = fmt::format(" +{} more", names.size() - i);
    line = TruncateText(line, width - TextWidth(" \u2026" + more, kFont), kFont);
    if (!line.ends_with("\u2026")) line += " \u2026";
    line += more;
  }
  lines.push_back(line);
  return lines;
}

}  // namespace

std::string PipelineDiagram(std::span<const StageBox> stages) {
  if (stages.empty()) return {};
  const double x = (kWidth - kBoxWidth) / 2;
  const double text_width = kBoxWidth - 24 - 34 - 8;
  struct Layout {
    std::vector<std::string> inputs, outputs;
    double height;
  };
  std::vector<Layout> layouts;
  double total = 8 + 8 + kGap * (stages.size() - 1);
  for (const StageBox& s : stages) {
    Layout l{WrapColumns(s.inputs, text_width), WrapColumns(s.outputs, text_width), 0};
    l.height = 12 + 18 + 16 + kLine * (l.inputs.size() + l.outputs.size()) + 8;
    total += l.height;
    layouts.push_back(std::move(l));
  }
  std::string out = fmt::format(
      "<svg id=\"pipeline-diagram\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"Pipeline stages\">",
      Coord(kWidth), Coord(total));
  double y = 8;
  for (size_t i = 0; i < stages.size(); ++i) {
    const StageBox& s = stages[i];
    const Layout& l = layouts[i];
    const std::string border = s.estimator ? "#f58518" : "#4c78a8";
    out += fmt::format("<g class=\"stage{}\">", s.estimator ? " estimator" : "");
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
        Coord(x), Coord(y), Coord(kBoxWidth), Coord(l.height), s.estimator ? "#fff8f0" : "#f3f7fb", border,
        s.estimator ? 2.5 : 1.5);
    const std::string badge = s.estimator ? "estimator" : "transformer";
    const double badge_width = TextWidth(badge, 11) + 14;
    const double title_width = kBoxWidth - 24 - badge_width - 10;
    // Bold glyphs run wider than the estimate.
    out += SvgText(x + 12, y + 22, TruncateText(s.stage_class, title_width / 1.2, 15), "start", 15,
                   "font-weight=\"600\" fill=\"#24292f\"");
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"9\" fill=\"{}\"/>",
                       Coord(x + kBoxWidth - 12 - badge_width), Coord(y + 9), Coord(badge_width),
                       s.estimator ? "#f58518" : "#8c959f");
    out += SvgText(x + kBoxWidth - 12 - badge_width / 2, y + 22, badge, "middle", 11, "fill=\"#ffffff\"");
    out += SvgText(x + 12, y + 40, TruncateText(s.uid, kBoxWidth - 24, 11), "start", 11, "fill=\"#6e7781\"");
    double line_y = y + 46 + kLine - 4;
    const auto column_lines = [&](std::string_view label, const std::vector<std::string>& lines) {
      for (size_t k = 0; k < lines.size(); ++k) {
        if (k == 0) out += SvgText(x + 12, line_y, label, "start", kFont, "fill=\"#6e7781\" font-weight=\"600\"");
        out += SvgText(x + 12 + 34, line_y, lines[k], "start", kFont, "fill=\"#24292f\"");
        line_y += kLine;
      }
    };
    column_lines("in", l.inputs);
    column_lines("out", l.outputs);
    out += "</g>";
    y += l.height;
    if (i + 1 < stages.size()) {
      const double cx = kWidth / 2;
      out += fmt::format(
          "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#57606a\" stroke-width=\"1.5\"/>"
          "<polygon points=\"{3},{2} {4},{2} {0},{5}\" fill=\"#57606a\"/>",
          Coord(cx), Coord(y + 2), Coord(y + kGap - 10), Coord(cx - 6), Coord(cx + 6), Coord(y + kGap - 2));
      y += kGap;
    }
  }
  out += "</svg>";
  return out;
}

}  // namespace ember::report
