#include "core/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

namespace ember {

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

UniqueFd UniqueFd::OpenForRead(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) ThrowErrno("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ThrowErrno("cannot stat", path);
  if (S_ISDIR(st.st_mode)) throw IoError(fmt::format("cannot read '{}': it is a directory, expected a file", path));
  return fd;
}

}  // namespace ember
