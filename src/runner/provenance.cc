#include "runner/provenance.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

namespace ember::runner {
namespace {

/// Quotes `s` for a POSIX shell.
std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// Standard output of `command`, or nullopt when it fails.
std::optional<std::string> Capture(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status != 0) return std::nullopt;
  return out;
}

}  // namespace

Provenance DetectProvenance(const std::string& spec_path) {
  Provenance p;
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) p.host = host.data();
  std::error_code ec;
  std::string dir = std::filesystem::absolute(spec_path, ec).parent_path().string();
  if (ec || dir.empty()) return p;
  const std::string git = fmt::format("git -C {} ", ShellQuote(dir));
  if (auto commit = Capture(git + "rev-parse HEAD 2>/dev/null")) {
    p.git_commit = commit->substr(0, commit->find_first_of("\r\n"));
    if (auto status = Capture(git + "status --porcelain --untracked-files=no 2>/dev/null")) {
      p.git_dirty = !status->empty();
    }
  }
  return p;
}

}  // namespace ember::runner
