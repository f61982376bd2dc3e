// Tests of the file helpers: atomic writes, memory maps, fingerprints.
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/mapped_file.h"

namespace ember {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ember-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (fs::path(path_) / name).string(); }
  size_t EntryCount() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path_), {})); }

 private:
  std::string path_;
};

TEST(AtomicFileTest, CommitPublishesContents) {
  TempDir dir;
  WriteFileAtomically(dir / "a.txt", "hello");
  EXPECT_EQ(ReadFileToString(dir / "a.txt"), "hello");
  EXPECT_EQ(dir.EntryCount(), 1u);  // no temporary left behind
}

TEST(AtomicFileTest, AbandonedWriteLeavesNothing) {
  TempDir dir;
  WriteFileAtomically(dir / "a.txt", "old");
  {
    AtomicFileWriter w = AtomicFileWriter::Open(dir / "a.txt");
    w.Write("new contents that never land");
  }
  EXPECT_EQ(ReadFileToString(dir / "a.txt"), "old");
  EXPECT_EQ(dir.EntryCount(), 1u);
}

TEST(AtomicFileTest, MissingDirectoryIsNotFound) {
  try {
    WriteFileAtomically("/nonexistent-dir-ember/x.csv", "x");
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-ember/x.csv"), std::string::npos) << e.what();
  }
}

TEST(AtomicFileTest, FullDiskFailsCleanly) {
  // RLIMIT_FSIZE makes write() fail with EFBIG, as a full disk would fail it.
  TempDir dir;
  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string big(3 << 20, 'x');
  EXPECT_THROW(WriteFileAtomically(dir / "big.bin", big), IoError);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(dir.EntryCount(), 0u);
}

TEST(AtomicFileTest, PadToAligns) {
  TempDir dir;
  AtomicFileWriter w = AtomicFileWriter::Open(dir / "p.bin");
  w.Write("abc");
  w.PadTo(64);
  EXPECT_EQ(w.offset(), 64u);
  w.PadTo(64);
  EXPECT_EQ(w.offset(), 64u);
  w.Commit();
  EXPECT_EQ(fs::file_size(dir / "p.bin"), 64u);
}

TEST(MappedFileTest, MapsContentsAndRejectsDirectories) {
  TempDir dir;
  WriteFileAtomically(dir / "m.txt", "mapped");
  auto m = MappedFile::Open(dir / "m.txt");
  EXPECT_EQ(m->text(), "mapped");
  EXPECT_THROW(MappedFile::Open("/tmp"), IoError);
  EXPECT_THROW(MappedFile::Open(dir / "missing"), NotFound);
  WriteFileAtomically(dir / "empty", "");
  EXPECT_EQ(MappedFile::Open(dir / "empty")->size(), 0u);
}

TEST(HashTest, KnownVectorsAndStreamingAgree) {
  // Reference digests of XXH64 with seed 0 (from the xxHash specification's test values).
  EXPECT_EQ(Hash64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Hash64("a"), 0xD24EC4F1A98C6E5BULL);
  StreamingHash s;
  s.Update("ab", 2);
  s.Update("c", 1);
  EXPECT_EQ(s.Digest(), Hash64("abc"));
  EXPECT_EQ(HexDigest(0xabcULL), "0000000000000abc");
}

TEST(HashTest, FingerprintFileMatchesBufferHash) {
  TempDir dir;
  std::string data(3'000'000, 'q');
  data[1234567] = 'z';
  WriteFileAtomically(dir / "f.bin", data);
  EXPECT_EQ(FingerprintFile(dir / "f.bin"), Hash64(data));
  EXPECT_THROW(FingerprintFile(dir / "nope"), NotFound);
}

}  // namespace
}  // namespace ember
