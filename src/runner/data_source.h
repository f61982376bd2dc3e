// The runner's view of its inputs: read options from the spec, a cheap
// schema probe (header and a sample, or a .ember footer) so the pipeline is
// checked before the data is read, and the lineage record of each input.
#pragma once

#include <string>

#include "core/context.h"
#include "frame/dataframe.h"
#include "io/table_io.h"
#include "runner/spec.h"
#include "track/tracking_store.h"

namespace ember::runner {

/// The read options a DataSpec asks for.
TableReadOptions ReadOptionsOf(const DataSpec& data);

/// The schema of the table at `path` without reading it all: the footer of
/// a .ember file, or the header plus the first rows (up to 1 MB) of a CSV.
/// Gzip and LibSVM files are read whole. Throws NotFound naming the path.
Schema ProbeSchema(const std::string& path, const TableReadOptions& options, const Context& ctx);

/// Path, size, xxhash64 of the bytes, schema (JSON) and rows of one input.
track::InputLineage DescribeInput(const std::string& role, const std::string& path, const DataFrame& frame);

/// The schema as a JSON array of {"name", "type"} objects.
std::string SchemaToJson(const Schema& schema);

}  // namespace ember::runner
