/* A full disk under one directory, for tests only (never linked into ember).
 *
 * Preloaded into a process (LD_PRELOAD), this library makes every write to a
 * file under the directory named by EMBER_TEST_ENOSPC_DIR fail with ENOSPC,
 * as a full file system would, while writes anywhere else (the tracking
 * store's SQLite files, stdout, stderr) go through. Creating, renaming and
 * deleting files still work, as they usually do on a full disk. A file's
 * directory is that of the path /proc/self/fd/N names, so the directory must
 * be given as an absolute path without symbolic links (it is canonicalised
 * once when it exists at the first write).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* The next definition of `name` (libc's), looked up once; `type` names a
 * pointer-to-function typedef. */
#define NEXT(type, name)          \
  static type next_##name = NULL; \
  if (next_##name == NULL) next_##name = (type)dlsym(RTLD_NEXT, #name)

typedef ssize_t (*WriteFn)(int, const void*, size_t);
typedef ssize_t (*PwriteFn)(int, const void*, size_t, off_t);
typedef ssize_t (*Pwrite64Fn)(int, const void*, size_t, off64_t);
typedef ssize_t (*WritevFn)(int, const struct iovec*, int);
typedef int (*FallocateFn)(int, int, off_t, off_t);
typedef int (*Fallocate64Fn)(int, int, off64_t, off64_t);
typedef int (*PosixFallocateFn)(int, off_t, off_t);
typedef int (*PosixFallocate64Fn)(int, off64_t, off64_t);

/* 1 when fd is a file under EMBER_TEST_ENOSPC_DIR. errno is preserved. */
static int IsFull(int fd) {
  const int saved = errno;
  const char* dir = getenv("EMBER_TEST_ENOSPC_DIR");
  int full = 0;
  if (dir != NULL && dir[0] != '\0') {
    char canonical[PATH_MAX];
    if (realpath(dir, canonical) != NULL) dir = canonical;
    char link[64];
    char target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, target, sizeof target - 1);
    if (n > 0) {
      target[n] = '\0';
      const size_t len = strlen(dir);
      full = strncmp(target, dir, len) == 0 && (target[len] == '/' || target[len] == '\0');
    }
  }
  errno = saved;
  return full;
}

static ssize_t Full(void) {
  errno = ENOSPC;
  return -1;
}

ssize_t write(int fd, const void* buf, size_t count) {
  NEXT(WriteFn, write);
  if (count > 0 && IsFull(fd)) return Full();
  return next_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  NEXT(PwriteFn, pwrite);
  if (count > 0 && IsFull(fd)) return Full();
  return next_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset) {
  NEXT(Pwrite64Fn, pwrite64);
  if (count > 0 && IsFull(fd)) return Full();
  return next_pwrite64(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  NEXT(WritevFn, writev);
  if (IsFull(fd)) return Full();
  return next_writev(fd, iov, iovcnt);
}

int fallocate(int fd, int mode, off_t offset, off_t len) {
  NEXT(FallocateFn, fallocate);
  if (IsFull(fd)) return (int)Full();
  return next_fallocate(fd, mode, offset, len);
}

int fallocate64(int fd, int mode, off64_t offset, off64_t len) {
  NEXT(Fallocate64Fn, fallocate64);
  if (IsFull(fd)) return (int)Full();
  return next_fallocate64(fd, mode, offset, len);
}

/* posix_fallocate reports the error as its result, not through errno. */
int posix_fallocate(int fd, off_t offset, off_t len) {
  NEXT(PosixFallocateFn, posix_fallocate);
  if (IsFull(fd)) return ENOSPC;
  return next_posix_fallocate(fd, offset, len);
}

int posix_fallocate64(int fd, off64_t offset, off64_t len) {
  NEXT(PosixFallocate64Fn, posix_fallocate64);
  if (IsFull(fd)) return ENOSPC;
  return next_posix_fallocate64(fd, offset, len);
}
