// The label column as the estimators want it: numeric. String labels are
// mapped to class indices (0/1 with an explicit positive class, else the
// distinct values in sorted order), as a StringIndexer with
// stringOrderType=alphabetAsc would; numeric labels are kept. Rows with a
// null label are an error naming the row.
#pragma once

#include <string>
#include <vector>

#include "frame/dataframe.h"
#include "runner/spec.h"

namespace ember::runner {

struct LabelEncoding {
  std::string column;
  /// Class names by index for string labels ("No", "Yes"); for numeric
  /// classification labels their distinct values as text; empty for
  /// regression.
  std::vector<std::string> classes;
  bool from_strings = false;
  std::string positive;  // the explicit positive class, if any
};

/// Learns the encoding from the training frame. Throws SchemaError when the
/// column is missing (with a suggestion), InvalidArgument for a null label,
/// a positive class that never occurs, or a classification label with one
/// class only.
LabelEncoding LearnLabelEncoding(const DataFrame& train, const LabelSpec& label, bool classification);

/// `frame` with its label column replaced by the numeric encoding (float64).
/// Throws InvalidArgument naming the row and value for a class not seen in
/// training. A frame without the label column is returned unchanged.
DataFrame EncodeLabel(const DataFrame& frame, const LabelEncoding& encoding);

}  // namespace ember::runner
