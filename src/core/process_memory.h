// How a program's allocator treats large blocks.
#pragma once

#include <cstddef>

namespace ember {

/// Makes glibc's malloc map every block of at least `threshold` bytes on
/// its own and unmap it when freed. By default glibc raises that threshold
/// each time it frees a large mapped block (up to 32 MiB), after which
/// blocks of many MiB come from the heap, and freed ones stay resident: a
/// table loader's freed row groups, or a fit's freed temporaries, then
/// count towards the process's resident set for the rest of its life.
/// Measured on a 1M x 28 float table: the peak resident set of a GBT fit
/// went from 210 to 191 MiB (20 trees of depth 5) and from 210 to 197 MiB
/// (depth 8, 256 bins), in the same time. A threshold of 1 MiB saved no
/// more and cost 4% of the fit time in page faults.
///
/// For programs (the CLI, the benchmarks), called once at start; a library
/// loaded into another process (the Python module) leaves that process's
/// allocator as it is. Returns false where the allocator is not glibc's.
bool MapLargeBlocks(size_t threshold = size_t{8} << 20);

/// Hands the heap's free pages back to the system (glibc: malloc_trim).
/// Blocks below the mapping threshold that were freed in the middle of the
/// heap stay resident otherwise: after a table is read row group by row
/// group, about 40 MiB at 1M x 28 floats. For programs, after such a phase.
void ReleaseFreedMemory();

/// This process's resident set now (VmRSS) and at its peak (VmHWM), in
/// bytes; 0 where /proc/self/status is missing.
size_t ResidentBytes();
size_t PeakResidentBytes();

}  // namespace ember
