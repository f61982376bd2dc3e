#include "core/mapped_file.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/unique_fd.h"

namespace ember {

std::shared_ptr<const MappedFile> MappedFile::Open(const std::string& path) {
  UniqueFd fd = UniqueFd::OpenForRead(path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ThrowErrno("cannot stat", path);
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0) return std::shared_ptr<const MappedFile>(new MappedFile(path, nullptr, 0));
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) ThrowErrno("cannot map", path);
  return std::shared_ptr<const MappedFile>(new MappedFile(path, static_cast<std::byte*>(data), size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

namespace {
// madvise needs page-aligned starts; widen the range outward to whole pages
// for WILLNEED and inward for DONTNEED (never drop a page still partly needed).
constexpr size_t kPage = 4096;
}  // namespace

void MappedFile::WillNeed(size_t offset, size_t length) const {
  if (data_ == nullptr || offset >= size_) return;
  const size_t begin = offset / kPage * kPage;
  const size_t end = std::min(size_, offset + length);
  ::madvise(data_ + begin, end - begin, MADV_WILLNEED);
}

void MappedFile::Release(size_t offset, size_t length) const {
  if (data_ == nullptr) return;
  const size_t begin = (offset + kPage - 1) / kPage * kPage;
  const size_t end = std::min(size_, offset + length) / kPage * kPage;
  if (end > begin) ::madvise(data_ + begin, end - begin, MADV_DONTNEED);
}

}  // namespace ember
