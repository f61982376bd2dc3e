#include "core/error.h"

#include <cerrno>
#include <cstring>

namespace ember {

void ThrowErrno(std::string_view what, std::string_view path) {
  const int err = errno;
  std::string message = fmt::format("{}: {}: {}", what, path, std::strerror(err));
  if (err == ENOSPC || err == EDQUOT) message += " (free space on that file system, or write elsewhere)";
  if (err == ENOENT) throw NotFound(message);
  throw IoError(message);
}

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return "invalid argument";
    case ErrorKind::kParse: return "parse error";
    case ErrorKind::kSchema: return "schema error";
    case ErrorKind::kIo: return "I/O error";
    case ErrorKind::kNotFound: return "not found";
    case ErrorKind::kCorrupt: return "corrupt data";
    case ErrorKind::kInternal: return "internal error";
  }
  return "error";
}

}  // namespace ember
