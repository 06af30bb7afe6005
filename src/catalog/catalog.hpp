// Stage `catalog`: shoe lasts read from files and prepared (last::prepare_last) for checks, one at a time or a whole
// folder (`fitcheck check --catalog DIR`), with an optional cache of prepared lasts.
//
// Why a cache: preparing a last (load, repair or Poisson surface, last frame, measurements) takes ~0.2 s for a
// sample-sized mesh and more for a point cloud; a kiosk that checks every customer against the same 50 lasts would
// pay ~10 s per call before any simulation. The cache keeps the prepared last, keyed by what decides it:
//   - the file's content (64-bit hash of its bytes, and its size) and its extension (the loader picks its reader by
//     it) -- not its name or date, so a renamed or touched file still hits and an edited one misses. After preparing,
//     the file is hashed again and the last is stored only if the bytes did not change meanwhile;
//   - the load options (units override and the acceptance limits);
//   - the running code: this executable and every shared library loaded into it (Open3D, PCL, GMP, libm, ...), each
//     by path, size and modification time, so a rebuild, another build (e.g. with sanitizers) or a library update
//     never reads lasts prepared by other code (build_fingerprint).
// .gltf files are not cached (their buffers are other files the key does not see); .glb is. An entry is the prepared
// last exactly (binary doubles: a check on a cached last gives the same numbers as on a freshly prepared one). The
// cache is one SQLite file that several processes (batch --jobs, kiosk calls) may use at once: WAL journal, 10 s busy
// timeout; keep it on a local file system (SQLite's WAL does not work over network shares). Lasts are prepared with
// last::Options{} (what the CLI uses).
//
// Growth: every build (a rebuild, a library update) has its own keys, so its entries become dead weight once it is
// no longer run. Opening the cache deletes other builds' entries stored more than Options::keep_other_builds_days
// ago (default 30: two builds that share a file, e.g. during a rolling update, keep each other's recent entries).
// The age counts from when an entry was stored, not from when it was last read (a read does not write): a build still
// in use after 30 days beside a newer one prepares and stores its lasts again, once per 30 days.
// SQLite reuses the freed pages; the file itself does not shrink (delete it, or VACUUM it, to reclaim the space).
//
// Folder order: files sorted by name; the loader's extensions .stl .ply .obj .glb .gltf .xyz .asc .pts .pcd (any case;
// not .txt, which a catalog folder may hold as notes). Files that cannot be read or prepared are skipped and listed
// with the reason. Lasts not taken from the cache are prepared on up to `max_threads` threads (a point cloud's
// Poisson surface one at a time: clean::reconstruct_surface). Rows of a batch that run at once may each prepare the
// same last before one of them stores it.
//
// Errors: Error(io, "catalog") when the folder is not one or cannot be listed, or the cache file cannot be opened or
// created or is not a fitcheck cache; the errors of load::load_geometry and last::prepare_last for a single last
// (prepare_file). Warnings, not errors (the answer does not depend on the cache): an entry that fails to decode or
// validate (prepared again and replaced), a cache file that fails to read (damaged: not used for the rest of the
// call), a table that cannot be made, entries that cannot be stored (busy, read-only).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "last/last.hpp"
#include "load/load.hpp"

namespace fitcheck::catalog {

struct Options {
  load::Options load;          ///< units override and file limits (part of the cache key)
  std::string cache_path;      ///< SQLite file of prepared lasts (created if missing); empty: no cache
  std::size_t max_threads = 2; ///< lasts prepared at once; [1, 64]
  /// Entries of other builds (another fitcheck or library version, an older entry format) stored more than this many
  /// days ago are deleted when the cache is opened; this build's entries never are. [0, 3650] days
  int keep_other_builds_days = 30;
  void validate() const;       ///< throws Error(usage)
};

struct PreparedLast {
  std::string path;                   ///< as given (folder entries: folder / file name)
  last::Last last;
  std::vector<std::string> warnings;  ///< the loader's and the preparation's (also when read from the cache)
  bool from_cache = false;
};

struct Folder {
  std::vector<PreparedLast> lasts;    ///< in file-name order
  std::vector<std::string> skipped;   ///< "<path>: <why>" for files that could not be read or prepared
  std::vector<std::string> warnings;  ///< about the cache (e.g. could not store: busy)
  std::size_t from_cache = 0, prepared = 0;
};

/// True for the file extensions a catalog folder is read for (case-insensitive).
bool is_last_file(const std::filesystem::path& p);

/// One last file, from the cache when it holds it.
PreparedLast prepare_file(const std::string& path, const Options& options = {});

/// Every last file in `dir` (not recursive), except `exclude` (e.g. the last being checked; compared as canonical
/// paths).
Folder prepare_folder(const std::string& dir, const Options& options = {}, const std::string& exclude = {});

/// Opens the cache file at `path` (creating it when missing) and closes it again: Error(io, "catalog") when it cannot
/// be opened or created or is not a fitcheck cache. For a caller that hands the file to other processes (batch rows)
/// and wants a wrong path refused once, before any of them runs.
void open_cache(const std::string& path);

/// The fingerprint of the running code (part of every cache key): this executable and the shared libraries loaded
/// into it, each by path, size and modification time. 16 hex digits.
const std::string& build_fingerprint();

}  // namespace fitcheck::catalog
