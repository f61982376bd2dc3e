// Reading LibSVM / SVMlight text files into a frame with a float64 `label`
// column and a CSR sparse `features` column, as Spark's
// spark.read.format("libsvm") does.
//
// Each line is `label index:value index:value ...`, fields separated by
// spaces or tabs. Indices are 1-based by default (Spark's and libsvm's
// convention) and stored 0-based; within a line they must strictly increase.
// `#` starts a comment that runs to the end of the line; blank and
// comment-only lines are skipped; CRLF line ends are accepted. Labels and
// values accept a leading '+', and nan/inf as Spark's toDouble does.
//
// `qid:N` tokens (SVMlight ranking groups) are refused with a clear error
// rather than dropped: silently losing the groups would make a ranking file
// look like a plain classification file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/context.h"
#include "frame/dataframe.h"

namespace ember {

struct LibSvmReadOptions {
  /// Dimension of the feature vectors; 0 (the default) means one more than the
  /// largest index seen. When > 0, a larger index is a parse error.
  int32_t num_features = 0;
  /// Indices start at 0 instead of 1. Default false (1-based).
  bool zero_based = false;
};

/// Parses LibSVM text. Parses in parallel over fixed byte chunks, so the
/// result and the error reported do not depend on ctx.threads(). Throws
/// ParseError "source:line:column: what" for a bad label, index or value,
/// a malformed pair, an index that does not increase, an index below 1 in
/// 1-based mode, an index >= num_features, or a qid: token; and
/// InvalidArgument for num_features < 0.
DataFrame ParseLibSvm(std::string_view text, std::string_view source_name, const LibSvmReadOptions& options,
                      const Context& ctx);

/// Reads a LibSVM file (memory-mapped). Throws NotFound / IoError naming the
/// path, and as ParseLibSvm.
DataFrame ReadLibSvm(const std::string& path, const LibSvmReadOptions& options, const Context& ctx);

}  // namespace ember
