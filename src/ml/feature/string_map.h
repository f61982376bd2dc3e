// A flat (open-addressing) map from byte strings to int64 values for the
// per-row lookups of StringIndexer: one hash (xxhash64 of the bytes) and
// usually one probe per row, keys stored once in an arena, no allocation per
// row or per key. Not thread-safe for writing; const lookups may be shared.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace ember {

class FlatStringMap {
 public:
  /// `expected` keys fit without growing.
  explicit FlatStringMap(size_t expected = 16) { Rehash(Capacity(expected)); }

  static uint64_t HashOf(std::string_view key) { return Hash64(key); }

  /// The value of `key` (hashed as HashOf), or nullptr when absent.
  const int64_t* Find(std::string_view key, uint64_t hash) const {
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.entry < 0) return nullptr;
      const Entry& e = entries_[static_cast<size_t>(s.entry)];
      if (s.hash == hash && Equal(e, key)) return &e.value;
    }
  }
  const int64_t* Find(std::string_view key) const { return Find(key, HashOf(key)); }

  /// The value of `key`, inserted as `init` when absent.
  int64_t& FindOrInsert(std::string_view key, uint64_t hash, int64_t init) {
    return entries_[FindOrInsertEntry(key, hash, init)].value;
  }

  /// The insertion number (0, 1, ... in insertion order) of `key`, inserted
  /// with value `init` when absent.
  size_t FindOrInsertEntry(std::string_view key, uint64_t hash, int64_t init) {
    size_t i = hash & mask_;
    for (;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.entry < 0) break;
      if (s.hash == hash && Equal(entries_[static_cast<size_t>(s.entry)], key)) return static_cast<size_t>(s.entry);
    }
    if ((entries_.size() + 1) * 4 > slots_.size() * 3) {  // keep the load under 3/4
      Rehash(slots_.size() * 2);
      return FindOrInsertEntry(key, hash, init);
    }
    slots_[i] = {hash, static_cast<int64_t>(entries_.size())};
    entries_.push_back({arena_.size(), key.size(), init});
    arena_.append(key);
    return entries_.size() - 1;
  }

  /// The value of the entry with insertion number `entry`. REQUIRES: entry < size().
  int64_t& ValueAt(size_t entry) { return entries_[entry].value; }

  size_t size() const { return entries_.size(); }

  /// Calls f(key, value) for every entry in insertion order.
  template <class F>
  void ForEach(F&& f) const {
    for (const Entry& e : entries_) f(std::string_view(arena_.data() + e.offset, e.length), e.value);
  }

 private:
  struct Slot {
    uint64_t hash;
    int64_t entry;  // index into entries_, -1 when empty
  };
  struct Entry {
    size_t offset;
    size_t length;
    int64_t value;
  };

  static size_t Capacity(size_t expected) {
    size_t c = 16;
    while (c * 3 < expected * 4) c *= 2;
    return c;
  }
  bool Equal(const Entry& e, std::string_view key) const {
    return e.length == key.size() &&
           (key.empty() || std::memcmp(arena_.data() + e.offset, key.data(), key.size()) == 0);
  }
  void Rehash(size_t capacity) {
    slots_.assign(capacity, Slot{0, -1});
    mask_ = capacity - 1;
    for (size_t k = 0; k < entries_.size(); ++k) {
      const Entry& e = entries_[k];
      const uint64_t h = HashOf(std::string_view(arena_.data() + e.offset, e.length));
      size_t i = h & mask_;
      while (slots_[i].entry >= 0) i = (i + 1) & mask_;
      slots_[i] = {h, static_cast<int64_t>(k)};
    }
  }

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
  std::string arena_;
  size_t mask_ = 0;
};

}  // namespace ember
