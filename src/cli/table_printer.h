// Plain-text tables for the terminal: column-aligned, one header rule.
#pragma once

#include <string>
#include <vector>

#include "frame/column.h"
#include "frame/dataframe.h"
#include "frame/summary.h"

namespace ember::cli {

/// Formats rows of cells under a header; numbers are right-aligned.
std::string FormatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// One cell of a column as text: "null" for nulls, shortest round-trip
/// numbers, "[1, 2, ...]" for vectors (first few entries).
std::string FormatCell(const Column& column, size_t row);

/// The first rows of a frame as a table.
std::string FormatFrame(const DataFrame& frame);

/// `ember describe` output: one line per column.
std::string FormatSummaries(const std::vector<ColumnSummary>& summaries);

}  // namespace ember::cli
