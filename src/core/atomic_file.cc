#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "core/error.h"

namespace ember {

namespace {

constexpr size_t kBufferBytes = 1 << 20;

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  const std::filesystem::path p(path);
  const std::string name = fmt::format(".{}.tmp-{}-{}", p.filename().string(), ::getpid(), counter++);
  return (p.parent_path() / name).string();
}

void FsyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) ::fsync(fd.get());  // best effort: some file systems refuse
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path, std::string temp_path, UniqueFd fd)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(std::move(fd)) {
  buffer_.reserve(kBufferBytes);
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& o) noexcept
    : path_(std::move(o.path_)), temp_path_(std::move(o.temp_path_)), fd_(std::move(o.fd_)),
      buffer_(std::move(o.buffer_)), offset_(o.offset_), committed_(std::exchange(o.committed_, true)) {}

AtomicFileWriter AtomicFileWriter::Open(std::string path) {
  if (std::filesystem::is_directory(path)) {
    throw IoError(fmt::format("cannot write '{}': it is a directory, expected a file path", path));
  }
  std::string temp = TempPathFor(path);
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) ThrowErrno("cannot create a file beside", path);
  return AtomicFileWriter(std::move(path), std::move(temp), std::move(fd));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_ && !temp_path_.empty()) {
    fd_.Reset();
    ::unlink(temp_path_.c_str());
  }
}

void AtomicFileWriter::Flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_.get(), buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("cannot write", path_);
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void AtomicFileWriter::Write(const void* data, size_t size) {
  EMBER_CHECK(!committed_, "write after commit to {}", path_);
  const char* p = static_cast<const char*>(data);
  offset_ += size;
  if (buffer_.size() + size > kBufferBytes) Flush();
  if (size >= kBufferBytes) {
    buffer_.assign(p, p + size);  // large writes go straight through the buffer once
    Flush();
    return;
  }
  buffer_.insert(buffer_.end(), p, p + size);
}

void AtomicFileWriter::PadTo(size_t alignment) {
  static constexpr char kZeros[64] = {};
  size_t pad = (alignment - offset_ % alignment) % alignment;
  while (pad > 0) {
    const size_t n = std::min(pad, sizeof(kZeros));
    Write(kZeros, n);
    pad -= n;
  }
}

void AtomicFileWriter::Commit() {
  EMBER_CHECK(!committed_, "double commit of {}", path_);
  Flush();
  if (::fsync(fd_.get()) != 0) ThrowErrno("cannot sync", path_);
  fd_.Reset();
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) ThrowErrno("cannot rename into place", path_);
  committed_ = true;
  FsyncDirectoryOf(path_);
}

void WriteFileAtomically(const std::string& path, std::string_view contents) {
  AtomicFileWriter writer = AtomicFileWriter::Open(path);
  writer.Write(contents);
  writer.Commit();
}

std::string ReadFileToString(const std::string& path) {
  UniqueFd fd = UniqueFd::OpenForRead(path);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) ThrowErrno("cannot read", path);
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace ember
