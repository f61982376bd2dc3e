#include "track/process_identity.h"

#include <pwd.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"

namespace ember::track {

std::string ThisHost() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "localhost";
  return buf;
}

std::string ThisUser() {
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
  return fmt::format("uid{}", geteuid());
}

int64_t ProcessStartTime(int64_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  if (!in) return 0;
  std::string line;
  std::getline(in, line);
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  // Fields after "pid (comm)" start at number 3; the start time is number 22.
  for (int i = 3; i <= 22 && (fields >> field); ++i) {
    if (i == 22) return std::strtoll(field.c_str(), nullptr, 10);
  }
  return 0;
}

bool ProcessIsAlive(int64_t pid, int64_t start_time) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  if (start_time != 0) {
    const int64_t now_start = ProcessStartTime(pid);
    if (now_start != 0 && now_start != start_time) return false;
  }
  return true;
}

std::string NewRunId() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("reading random bytes for a run id", "getrandom");
    }
    got += static_cast<size_t>(n);
  }
  std::string id;
  id.reserve(32);
  for (unsigned char b : bytes) id += fmt::format("{:02x}", b);
  return id;
}

}  // namespace ember::track
