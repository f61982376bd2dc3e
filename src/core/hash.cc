#include "core/hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

#include "core/error.h"
#include "core/unique_fd.h"

namespace ember {

uint64_t Hash64(const void* data, size_t size, uint64_t seed) { return XXH64(data, size, seed); }

StreamingHash::StreamingHash(uint64_t seed) : state_(XXH64_createState()) {
  EMBER_CHECK(state_ != nullptr, "out of memory creating a hash state");
  XXH64_reset(state_, seed);
}
StreamingHash::~StreamingHash() { XXH64_freeState(state_); }
void StreamingHash::Update(const void* data, size_t size) { XXH64_update(state_, data, size); }
uint64_t StreamingHash::Digest() const { return XXH64_digest(state_); }

uint64_t FingerprintFile(const std::string& path) {
  UniqueFd fd = UniqueFd::OpenForRead(path);
  StreamingHash hash;
  std::vector<char> buffer(1 << 20);
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) ThrowErrno("cannot read", path);
    if (n == 0) break;
    hash.Update(buffer.data(), static_cast<size_t>(n));
  }
  return hash.Digest();
}

std::string HexDigest(uint64_t digest) { return fmt::format("{:016x}", digest); }

}  // namespace ember
