// Internal: the SQLite store behind catalog's cache (one table of blobs by key). Not a public header.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fitcheck::catalog::detail {

struct Entry {
  std::string key, source;  ///< source: the file it was prepared from (for people reading the cache)
  std::vector<unsigned char> blob;
};

class Cache {
 public:
  /// Opens or creates the cache file. Throws Error(io, "catalog") when it cannot be opened or is not a fitcheck cache.
  /// A cache whose table cannot be made (busy for longer than the timeout, read-only and new) is not usable: see
  /// unusable().
  explicit Cache(const std::string& path);
  /// Why this cache cannot be used (empty: usable).
  const std::string& unusable() const;
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;
  /// The blob stored under `key`, if any (busy: none). Throws Error(io) on other read failures (a damaged file).
  std::optional<std::vector<unsigned char>> get(const std::string& key);
  /// Stores (or replaces) `entries` in one transaction. Returns an empty string, or why they were not stored (busy,
  /// read-only): storing is best effort.
  std::string put(const std::vector<Entry>& entries);
  /// Deletes the entries whose key does not start with `keep_prefix` (other builds, older formats) and that were stored
  /// more than `days` days ago. Best effort: returns how many were deleted (0 when busy or read-only).
  std::size_t prune(const std::string& keep_prefix, int days);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fitcheck::catalog::detail
