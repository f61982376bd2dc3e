// Who is logging: user, host, process id and start time, and new run ids.
// The start time tells a live process from a later one that reuses its pid.
#pragma once

#include <cstdint>
#include <string>

namespace ember::track {

std::string ThisHost();
std::string ThisUser();
/// Start time of process `pid` in clock ticks since boot (/proc/PID/stat
/// field 22); 0 when unknown.
int64_t ProcessStartTime(int64_t pid);
/// False when no process `pid` exists on this host, or when one does but
/// started at another time than `start_time` (pid reused; 0 skips the check).
bool ProcessIsAlive(int64_t pid, int64_t start_time);
/// 32 lowercase hex digits from the kernel's random source.
std::string NewRunId();

}  // namespace ember::track
