// libFuzzer target: ReadEmberBytes on arbitrary bytes must either return a
// frame or throw an ember::Error; never crash, hang or leak.
//
// Checksums stop almost every mutation at the door, so each input is also
// read a second time with its footer checksum resealed and data checksums
// off: that lets mutations reach the footer parser, the decompressor and
// Column::Make.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "core/hash.h"
#include "io/ember_file.h"
#include "io/ember_format.h"

namespace {

void ReadOnce(std::span<const std::byte> bytes, bool verify) {
  static const ember::Context ctx = ember::Context::Default(1);
  try {
    const ember::DataFrame f = ember::ReadEmberBytes(bytes, "fuzz.ember", {.verify_checksums = verify}, ctx);
    // Touch what a caller would: every string and sparse row.
    for (const ember::ColumnPtr& c : f.columns()) {
      for (size_t i = 0; i < c->length(); ++i) {
        if (c->type().id == ember::TypeId::kString) (void)c->StringAt(i).size();
        if (c->type().id == ember::TypeId::kSparseVector) (void)c->SparseRowAt(i).indices.size();
      }
    }
  } catch (const ember::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  ReadOnce({bytes, size}, /*verify=*/true);

  if (size < ember::kEmberHeaderSize + ember::kEmberTailSize) return 0;
  std::vector<std::byte> resealed(bytes, bytes + size);
  uint64_t footer_size = 0;
  std::memcpy(&footer_size, resealed.data() + size - ember::kEmberTailSize, 8);
  if (footer_size > size - ember::kEmberHeaderSize - ember::kEmberTailSize) return 0;
  const uint64_t hash =
      ember::Hash64(resealed.data() + size - ember::kEmberTailSize - footer_size, footer_size);
  std::memcpy(resealed.data() + size - ember::kEmberTailSize + 8, &hash, 8);
  ReadOnce(resealed, /*verify=*/false);
  return 0;
}
