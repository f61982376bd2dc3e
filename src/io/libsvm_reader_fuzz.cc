// libFuzzer target: ParseLibSvm on arbitrary text must either return a frame
// or throw an ember::Error. The first byte picks the options.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "io/libsvm_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const ember::Context ctx = ember::Context::Default(1);
  const ember::LibSvmReadOptions options{.num_features = data[0] >> 1, .zero_based = (data[0] & 1) != 0};
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const ember::DataFrame f = ember::ParseLibSvm(text, "fuzz.svm", options, ctx);
    const ember::Column& features = *f.column("features");
    for (size_t i = 0; i < features.length(); ++i) (void)features.SparseRowAt(i).values.size();
  } catch (const ember::Error&) {
  }
  return 0;
}
