// File helpers shared by the io layer's tests.
#pragma once

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace ember {

/// A path under this test binary's own folder `<TempDir>/<suite>_<pid>`.
inline std::string TestTempPath(const std::string& suite, const std::string& name) {
  std::string dir = ::testing::TempDir() + "/" + suite + "_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  return dir + "/" + name;
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void WriteGzip(const std::string& path, std::string_view bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(gz);
}

}  // namespace ember
