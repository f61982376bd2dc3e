#include "core/logger.h"

namespace ember {

void Logger::Write(LogLevel level, std::string_view line) const noexcept {
  static constexpr std::string_view kNames[] = {"debug", "info", "warn", "error", "off"};
  std::lock_guard lock(mutex_);
  std::fprintf(sink_, "[%s] %.*s\n", kNames[static_cast<int>(level)].data(),
               static_cast<int>(line.size()), line.data());
  std::fflush(sink_);
}

}  // namespace ember
