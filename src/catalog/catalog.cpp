#include "catalog/catalog.hpp"

#include <link.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>

#include "catalog/detail/cache.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace fitcheck::catalog {

namespace {

// The encoding of an entry. Bump when the layout changes (old entries then fail to decode and are prepared again).
constexpr const char* kFormat = "fitcheck.prepared_last/1";

// Every last measurement, in the entry's order. A new field fails the static_assert: add it here and bump kFormat.
using Measurements = last::Measurements;
constexpr double Measurements::* kMeasurementFields[] = {
    &Measurements::stick_length_mm, &Measurements::heel_height_mm,  &Measurements::toe_spring_mm,
    &Measurements::ball_girth_mm,   &Measurements::ball_width_mm,   &Measurements::bottom_width_mm,
    &Measurements::instep_girth_mm, &Measurements::waist_girth_mm,  &Measurements::heel_to_ball_mm,
    &Measurements::heel_width_mm,   &Measurements::toe_box_height_mm, &Measurements::volume_cm3};
constexpr std::size_t kMeasurementCount = std::size(kMeasurementFields);
static_assert(sizeof(Measurements) == kMeasurementCount * sizeof(double), "a last measurement is missing from the cache");

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

/// The start of every key this build makes: entry format and running code (the rest of a key is the file's).
std::string this_build_prefix() { return std::string(kFormat) + "|" + build_fingerprint() + "|"; }

/// The cache key of a file's bytes (and its extension: the loader picks its reader by it) read with `o` by this
/// build. The content hash is 64-bit and not cryptographic: it tells files apart by accident (one chance in ~1e12
/// among a million lasts), not against someone who can write the cache file -- they could store any entry anyway.
std::string cache_key(const std::string& path, const std::string& bytes, const load::Options& o) {
  std::string k = this_build_prefix() + lower_extension(path) + "|" +
                  hex64(std::hash<std::string_view>{}(bytes)) + "|" + std::to_string(bytes.size()) + "|units=" +
                  (o.units ? load::unit_name(*o.units) : "auto") + "|max_file_mb=" + number(o.max_file_mb) +
                  "|min_points=" + std::to_string(o.min_points) + "|length=" + number(o.min_length_mm) + "," +
                  number(o.max_length_mm) + "," + number(o.typical_length_mm);
  return k;
}

static_assert(sizeof(Eigen::Vector3d) == 3 * sizeof(double) && sizeof(Eigen::Vector3i) == 3 * sizeof(int));

template <class T>
nlohmann::json::binary_t raw(const std::vector<T>& v) {
  nlohmann::json::binary_t b;
  b.resize(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

template <class T>
bool unraw(const nlohmann::json& j, std::vector<T>& v) {
  if (!j.is_binary()) return false;
  const auto& b = j.get_binary();
  if (b.size() % sizeof(T) != 0) return false;
  v.resize(b.size() / sizeof(T));
  // Fixed-size Eigen vectors are their coefficients, contiguous and unpadded (asserted below).
  if (!v.empty()) std::memcpy(static_cast<void*>(v.data()), b.data(), b.size());
  return true;
}

std::vector<unsigned char> encode(const PreparedLast& p) {
  const last::Last& L = p.last;
  nlohmann::json j;
  j["format"] = kFormat;
  j["vertices"] = raw(L.mesh.vertices);  // Eigen::Vector3d: 3 contiguous doubles
  j["faces"] = raw(L.mesh.faces);        // Eigen::Vector3i: 3 contiguous ints
  std::vector<double> m(L.to_last_frame.data(), L.to_last_frame.data() + 16);
  j["to_last_frame"] = m;
  j["side"] = foot::side_name(L.side);
  j["side_reason"] = L.side_reason;
  j["bottom_x"] = L.bottom.x_mm;
  j["bottom_z"] = L.bottom.z_mm;
  std::vector<double> ms;
  for (const auto f : kMeasurementFields) ms.push_back(L.measurements.*f);
  j["measurements"] = ms;
  nlohmann::json lm = nlohmann::json::array();
  for (const auto& l : L.landmarks) lm.push_back({l.name, l.position_mm.x(), l.position_mm.y(), l.position_mm.z()});
  j["landmarks"] = lm;
  j["steps"] = L.steps;
  j["warnings"] = L.warnings;
  j["all_warnings"] = p.warnings;  // the loader's, then the last's
  return nlohmann::json::to_cbor(j);
}

/// The last and every warning of its preparation, or why the entry is not usable.
struct Decoded {
  last::Last last;
  std::vector<std::string> warnings;
  std::string error;
};

Decoded decode(const std::vector<unsigned char>& blob) {
  Decoded d;
  try {
    const nlohmann::json j = nlohmann::json::from_cbor(blob);
    if (j.value("format", std::string()) != kFormat) return d.error = "another format", d;
    last::Last& L = d.last;
    if (!unraw(j.at("vertices"), L.mesh.vertices) || !unraw(j.at("faces"), L.mesh.faces))
      return d.error = "bad mesh arrays", d;
    if (L.mesh.vertices.size() < 4 || L.mesh.faces.empty()) return d.error = "empty mesh", d;
    for (const auto& v : L.mesh.vertices)
      if (!v.allFinite()) return d.error = "non-finite vertex", d;
    const auto nv = static_cast<int>(L.mesh.vertices.size());
    for (const auto& f : L.mesh.faces)
      if ((f.array() < 0).any() || (f.array() >= nv).any()) return d.error = "face index out of range", d;
    const auto m = j.at("to_last_frame").get<std::vector<double>>();
    if (m.size() != 16) return d.error = "bad frame", d;
    std::copy(m.begin(), m.end(), L.to_last_frame.data());
    const std::string side = j.at("side").get<std::string>();
    if (side == foot::side_name(foot::Side::right)) L.side = foot::Side::right;
    else if (side == foot::side_name(foot::Side::left)) L.side = foot::Side::left;
    else return d.error = "bad side", d;
    L.side_reason = j.at("side_reason").get<std::string>();
    L.bottom.x_mm = j.at("bottom_x").get<std::vector<double>>();
    L.bottom.z_mm = j.at("bottom_z").get<std::vector<double>>();
    if (L.bottom.x_mm.empty() || L.bottom.x_mm.size() != L.bottom.z_mm.size()) return d.error = "bad bottom profile", d;
    const auto s = j.at("measurements").get<std::vector<double>>();
    if (s.size() != kMeasurementCount) return d.error = "bad measurements", d;
    for (std::size_t k = 0; k < kMeasurementCount; ++k) L.measurements.*kMeasurementFields[k] = s[k];
    for (const auto& l : j.at("landmarks")) {
      if (!l.is_array() || l.size() != 4) return d.error = "bad landmark", d;
      L.landmarks.push_back({l[0].get<std::string>(), Eigen::Vector3d(l[1].get<double>(), l[2].get<double>(), l[3].get<double>())});
    }
    L.steps = j.at("steps").get<std::vector<std::string>>();
    L.warnings = j.at("warnings").get<std::vector<std::string>>();
    d.warnings = j.at("all_warnings").get<std::vector<std::string>>();
    std::vector<double> all(m);
    all.insert(all.end(), L.bottom.x_mm.begin(), L.bottom.x_mm.end());
    all.insert(all.end(), L.bottom.z_mm.begin(), L.bottom.z_mm.end());
    all.insert(all.end(), s.begin(), s.end());
    for (double v : all)
      if (!std::isfinite(v)) return d.error = "non-finite value", d;
    for (const auto& l : L.landmarks)
      if (!l.position_mm.allFinite()) return d.error = "non-finite landmark", d;
    // prepare_last always finds these (grading and placement need them).
    for (const char* need : {"joint_medial", "joint_lateral"})
      if (!L.find(need)) return d.error = std::string("no ") + need, d;
  } catch (const std::exception& e) {
    d.error = e.what();
  }
  return d;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "catalog", path + ": cannot be opened");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::io, "catalog", path + ": read failed");
  return std::move(ss).str();
}

/// Load and prepare (no cache). Errors name the file.
PreparedLast prepare_uncached(const std::string& path, const load::Options& lo) {
  PreparedLast p;
  p.path = path;
  const load::Result f = load::load_geometry(path, lo);
  try {
    p.last = last::prepare_last(f.geometry);
  } catch (const Error& e) {
    throw Error(e.code(), e.stage(), path + ": " + e.what());
  }
  p.warnings = f.warnings;
  p.warnings.insert(p.warnings.end(), p.last.warnings.begin(), p.last.warnings.end());
  return p;
}

/// The cache lookups and stores of one call. A cache that fails to read (a damaged file) or cannot make its table is
/// left alone for the rest of the call with a warning: the lasts are prepared instead.
struct Session {
  std::optional<detail::Cache> cache;
  std::vector<detail::Entry> to_store;
  std::vector<std::string> warnings;

  explicit Session(const Options& o) {
    if (o.cache_path.empty()) return;
    cache.emplace(o.cache_path);
    if (!cache->unusable().empty()) give_up(cache->unusable());
    else cache->prune(this_build_prefix(), o.keep_other_builds_days);
  }
  void give_up(const std::string& why) {
    warnings.push_back("last cache: not used (" + why + "); lasts prepared instead");
    cache.reset();
    to_store.clear();
  }
  /// Whether the file can use the cache at all: not a file too large for the loader (which refuses it), not a .gltf
  /// (its buffers live in other files, which the key does not see).
  bool cacheable(const std::string& path, const load::Options& lo) const {
    if (!cache || lower_extension(path) == ".gltf") return false;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return !ec && static_cast<double>(size) <= lo.max_file_mb * 1e6;
  }
  std::optional<PreparedLast> lookup(const std::string& path, const std::string& key) {
    if (!cache) return std::nullopt;
    std::optional<std::vector<unsigned char>> blob;
    try {
      blob = cache->get(key);
    } catch (const Error& e) {
      give_up(e.what());
      return std::nullopt;
    }
    if (!blob) return std::nullopt;
    Decoded d = decode(*blob);
    if (!d.error.empty()) {
      warnings.push_back("last cache: the entry for " + path + " could not be used (" + d.error + "): prepared again");
      return std::nullopt;
    }
    PreparedLast p;
    p.path = path;
    p.last = std::move(d.last);
    p.warnings = std::move(d.warnings);
    p.from_cache = true;
    return p;
  }
  /// Queues the prepared last for storing under `key` -- if the file still has the bytes `key` was made from (it may
  /// have been replaced while it was being prepared).
  void store(const std::string& path, const std::string& key, const PreparedLast& p, const load::Options& lo) {
    if (!cache) return;
    std::string now;
    try {
      now = cache_key(path, read_bytes(path), lo);
    } catch (const Error&) {
    }
    if (now != key) {
      warnings.push_back("last cache: " + path + " changed while it was prepared: not stored");
      return;
    }
    to_store.push_back({key, path, encode(p)});
  }
  void flush() {
    if (!cache || to_store.empty()) return;
    const std::string why = cache->put(to_store);
    if (!why.empty()) warnings.push_back("last cache: " + std::to_string(to_store.size()) + " prepared last(s) " + why);
    to_store.clear();
  }
};

}  // namespace

void Options::validate() const {
  load.validate();
  if (max_threads < 1 || max_threads > 64) throw Error(ErrorCode::usage, "catalog", "max_threads must be in [1, 64]");
  if (keep_other_builds_days < 0 || keep_other_builds_days > 3650)
    throw Error(ErrorCode::usage, "catalog", "keep_other_builds_days must be in [0, 3650]");
}

const std::string& build_fingerprint() {
  // This executable and every shared object loaded into it (Open3D, PCL, CGAL's GMP/MPFR, libm, ...), each by path,
  // size and modification time: a rebuild, another build of the same sources (e.g. with sanitizers) or a library
  // update gives another fingerprint, so no cached last was prepared by other code than the running one.
  static const std::string fingerprint = [] {
    std::string id;
    auto add = [&id](const char* path) {
      struct stat st {};
      if (!path || !*path || ::stat(path, &st) != 0) return;
      id += std::string(path) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
            std::to_string(st.st_mtim.tv_nsec) + "\n";
    };
    add("/proc/self/exe");
    std::vector<std::string> objects;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* out) {
          if (info->dlpi_name && *info->dlpi_name) static_cast<std::vector<std::string>*>(out)->push_back(info->dlpi_name);
          return 0;
        },
        &objects);
    std::sort(objects.begin(), objects.end());
    for (const auto& o : objects) add(o.c_str());
    return hex64(std::hash<std::string>{}(id));
  }();
  return fingerprint;
}

bool is_last_file(const std::filesystem::path& p) {
  const std::string ext = lower_extension(p.string());
  for (const char* e : {".stl", ".ply", ".obj", ".glb", ".gltf", ".xyz", ".asc", ".pts", ".pcd"})
    if (ext == e) return true;
  return false;
}

void open_cache(const std::string& path) {
  if (path.empty()) throw Error(ErrorCode::usage, "catalog", "the cache path is empty");
  const detail::Cache cache(path);
}

PreparedLast prepare_file(const std::string& path, const Options& o) {
  o.validate();
  Session s(o);
  std::string key;
  if (s.cacheable(path, o.load)) {
    key = cache_key(path, read_bytes(path), o.load);
    if (auto hit = s.lookup(path, key)) {
      hit->warnings.insert(hit->warnings.begin(), s.warnings.begin(), s.warnings.end());
      return std::move(*hit);
    }
  }
  PreparedLast p = prepare_uncached(path, o.load);
  if (!key.empty()) s.store(path, key, p, o.load);
  s.flush();
  p.warnings.insert(p.warnings.begin(), s.warnings.begin(), s.warnings.end());
  return p;
}

Folder prepare_folder(const std::string& dir, const Options& o, const std::string& exclude) {
  o.validate();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw Error(ErrorCode::io, "catalog", dir + " is not a folder");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && is_last_file(e.path())) files.push_back(e.path());
  if (ec) throw Error(ErrorCode::io, "catalog", dir + ": cannot list (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  if (!exclude.empty()) {
    const auto ex = std::filesystem::weakly_canonical(exclude, ec);
    std::erase_if(files, [&](const std::filesystem::path& f) {
      std::error_code e2;
      return !ec && std::filesystem::weakly_canonical(f, e2) == ex;
    });
  }
  Session s(o);
  Folder out;
  std::vector<std::optional<PreparedLast>> got(files.size());
  std::vector<std::string> keys(files.size()), failed(files.size());
  std::vector<std::size_t> misses;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string path = files[i].string();
    if (s.cacheable(path, o.load)) {
      try {
        keys[i] = cache_key(path, read_bytes(path), o.load);
      } catch (const Error& e) {
        failed[i] = e.what();
        continue;
      }
      got[i] = s.lookup(path, keys[i]);
    }
    if (!got[i]) misses.push_back(i);
  }
  // Misses are independent: prepared on a few threads, each result stored at its own index (order-independent).
  parallel_for(misses.size(), o.max_threads, [&](std::size_t m) {
    const std::size_t i = misses[m];
    try {
      got[i] = prepare_uncached(files[i].string(), o.load);
    } catch (const Error& e) {
      failed[i] = e.what();
    }
  });
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string path = files[i].string();
    if (!got[i]) {
      out.skipped.push_back(failed[i]);  // the message names the file
      continue;
    }
    if (got[i]->from_cache) ++out.from_cache;
    else {
      ++out.prepared;
      if (!keys[i].empty()) s.store(path, keys[i], *got[i], o.load);
    }
    out.lasts.push_back(std::move(*got[i]));
  }
  s.flush();
  out.warnings = std::move(s.warnings);
  return out;
}

}  // namespace fitcheck::catalog
