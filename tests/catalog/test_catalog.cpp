// The catalog stage: a cached last is the prepared last exactly; the key follows the file's content and the load
// options, not its name; a damaged entry is prepared again and replaced; a file that is not a cache is refused; a
// folder is read in name order with unreadable files skipped and named (a point-cloud last included, prepared
// alongside the meshes); and through the CLI a second run reads every last from the cache with the same answer.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cstring>
#include <thread>

#include "catalog/catalog.hpp"
#include "test_util.hpp"

using namespace fitcheck;
using fitcheck::test::TempDir;

namespace {

std::string sample_last(const std::string& name) { return (test::source_dir() / "lasts" / name).string(); }

void require_same(const last::Last& a, const last::Last& b) {
  BOOST_TEST(a.mesh.vertices.size() == b.mesh.vertices.size());
  BOOST_TEST(a.mesh.faces.size() == b.mesh.faces.size());
  BOOST_TEST((a.mesh.vertices == b.mesh.vertices));  // bit for bit
  BOOST_TEST((a.mesh.faces == b.mesh.faces));
  BOOST_TEST((a.to_last_frame == b.to_last_frame));
  BOOST_TEST((a.side == b.side));
  BOOST_TEST(a.side_reason == b.side_reason);
  BOOST_TEST((a.bottom.x_mm == b.bottom.x_mm));
  BOOST_TEST((a.bottom.z_mm == b.bottom.z_mm));
  using M = last::Measurements;
  const std::pair<const char*, double M::*> fields[] = {
      {"stick_length_mm", &M::stick_length_mm}, {"heel_height_mm", &M::heel_height_mm},
      {"toe_spring_mm", &M::toe_spring_mm},     {"ball_girth_mm", &M::ball_girth_mm},
      {"ball_width_mm", &M::ball_width_mm},     {"bottom_width_mm", &M::bottom_width_mm},
      {"instep_girth_mm", &M::instep_girth_mm}, {"waist_girth_mm", &M::waist_girth_mm},
      {"heel_to_ball_mm", &M::heel_to_ball_mm}, {"heel_width_mm", &M::heel_width_mm},
      {"toe_box_height_mm", &M::toe_box_height_mm}, {"volume_cm3", &M::volume_cm3}};
  // Bytewise too: a measurement added to the struct but not to the cache differs here (the struct is all doubles).
  BOOST_TEST(std::memcmp(&a.measurements, &b.measurements, sizeof(M)) == 0);
  for (const auto& [name, field] : fields) {
    const double x = a.measurements.*field, y = b.measurements.*field;
    BOOST_TEST_INFO(name);
    BOOST_TEST(x == y);
  }
  BOOST_REQUIRE(a.landmarks.size() == b.landmarks.size());
  for (std::size_t i = 0; i < a.landmarks.size(); ++i) {
    BOOST_TEST(a.landmarks[i].name == b.landmarks[i].name);
    BOOST_TEST((a.landmarks[i].position_mm == b.landmarks[i].position_mm));
  }
  BOOST_TEST(a.steps == b.steps, boost::test_tools::per_element());
  BOOST_TEST(a.warnings == b.warnings, boost::test_tools::per_element());
}

void sql(const std::filesystem::path& db_path, const std::string& statement) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  BOOST_REQUIRE(rc == SQLITE_OK);
}

/// The number a one-value query returns.
long long sql_count(const std::filesystem::path& db_path, const std::string& query) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  long long n = -1;
  if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  BOOST_REQUIRE(n >= 0);
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(entries_of_other_builds_are_pruned_after_the_keep_period) {
  TempDir t;
  catalog::Options o;
  o.cache_path = (t / "lasts.db").string();
  const std::string file = sample_last("last-fit.stl");
  BOOST_TEST(!catalog::prepare_file(file, o).from_cache);
  const auto db = t / "lasts.db";
  BOOST_TEST_REQUIRE(sql_count(db, "SELECT count(*) FROM fitcheck_prepared_last") == 1);
  // This build's entry, made old; entries of another build (old and recent) and of an older entry format (old).
  sql(db, "UPDATE fitcheck_prepared_last SET stored = datetime('now', '-400 days')");
  sql(db, "INSERT INTO fitcheck_prepared_last (key, source, stored, data) VALUES "
          "('fitcheck.prepared_last/1|0123456789abcdef|.stl|x', 'a.stl', datetime('now', '-31 days'), x'00'), "
          "('fitcheck.prepared_last/1|0123456789abcdef|.stl|y', 'b.stl', datetime('now', '-29 days'), x'00'), "
          "('fitcheck.prepared_last/0|' || '" + catalog::build_fingerprint() + "' || '|.stl|z', 'c.stl', "
          "datetime('now', '-31 days'), x'00')");
  BOOST_TEST_REQUIRE(sql_count(db, "SELECT count(*) FROM fitcheck_prepared_last") == 4);
  // Opening with the default 30 days: the two old foreign entries go, the recent one and this build's old one stay.
  BOOST_TEST(catalog::prepare_file(file, o).from_cache);
  BOOST_TEST(sql_count(db, "SELECT count(*) FROM fitcheck_prepared_last") == 2);
  BOOST_TEST(sql_count(db, "SELECT count(*) FROM fitcheck_prepared_last WHERE source = 'b.stl'") == 1);
  // 0 days: every other build's entry goes; this build's still serves.
  o.keep_other_builds_days = 0;
  BOOST_TEST(catalog::prepare_file(file, o).from_cache);
  BOOST_TEST(sql_count(db, "SELECT count(*) FROM fitcheck_prepared_last") == 1);
  o.keep_other_builds_days = -1;
  BOOST_CHECK_THROW(o.validate(), Error);
}

BOOST_AUTO_TEST_CASE(cached_last_is_the_prepared_last_and_keyed_by_content) {
  TempDir t;
  catalog::Options o;
  o.cache_path = (t / "lasts.db").string();
  const std::string file = sample_last("last-narrow.ply");
  const catalog::PreparedLast fresh = catalog::prepare_file(file);  // no cache
  BOOST_TEST(!fresh.from_cache);
  const catalog::PreparedLast first = catalog::prepare_file(file, o);
  BOOST_TEST(!first.from_cache);
  const catalog::PreparedLast second = catalog::prepare_file(file, o);
  BOOST_TEST(second.from_cache);
  require_same(fresh.last, second.last);
  BOOST_TEST(fresh.warnings == second.warnings, boost::test_tools::per_element());

  // The same bytes under another name hit; other bytes do not, even when they make the same last.
  std::filesystem::copy_file(file, t / "renamed.ply");
  BOOST_TEST(catalog::prepare_file((t / "renamed.ply").string(), o).from_cache);
  {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes.push_back('\n');  // trailing bytes after the last element: the same last, other content
    test::write_bytes(t / "edited.ply", bytes);
  }
  const catalog::PreparedLast edited = catalog::prepare_file((t / "edited.ply").string(), o);
  BOOST_TEST(!edited.from_cache);
  // Other load options are another key: the unit given instead of detected.
  catalog::Options mm = o;
  mm.load.units = load::Unit::mm;
  BOOST_TEST(!catalog::prepare_file(file, mm).from_cache);
  BOOST_TEST(catalog::prepare_file(file, mm).from_cache);
  // The same bytes under another extension are another key (the loader reads by extension): a PLY named .pcd must
  // fail as it does without a cache, not be served the PLY's last.
  std::filesystem::copy_file(file, t / "disguised.pcd");
  BOOST_CHECK_THROW(catalog::prepare_file((t / "disguised.pcd").string(), o), Error);
  BOOST_CHECK_THROW(catalog::prepare_file((t / "disguised.pcd").string()), Error);
  BOOST_TEST(catalog::build_fingerprint().size() == 16u);
}

BOOST_AUTO_TEST_CASE(damaged_entry_is_prepared_again_and_replaced) {
  TempDir t;
  catalog::Options o;
  o.cache_path = (t / "lasts.db").string();
  const std::string file = sample_last("last-fit.stl");
  BOOST_TEST(!catalog::prepare_file(file, o).from_cache);
  sql(t / "lasts.db", "UPDATE fitcheck_prepared_last SET data = x'a1646b657901'");  // valid CBOR, not an entry
  const catalog::PreparedLast again = catalog::prepare_file(file, o);
  BOOST_TEST(!again.from_cache);
  const bool warned = std::any_of(again.warnings.begin(), again.warnings.end(), [](const std::string& w) {
    return w.find("could not be used") != std::string::npos;
  });
  BOOST_TEST(warned);
  const catalog::PreparedLast third = catalog::prepare_file(file, o);
  BOOST_TEST(third.from_cache);
  require_same(again.last, third.last);
}

BOOST_AUTO_TEST_CASE(damaged_cache_file_is_left_alone_with_a_warning) {
  TempDir t;
  catalog::Options o;
  o.cache_path = (t / "lasts.db").string();
  const std::string file = sample_last("last-narrow.ply");
  const catalog::PreparedLast fresh = catalog::prepare_file(file, o);
  BOOST_REQUIRE(catalog::prepare_file(file, o).from_cache);
  // Overwrite every page after the first (the schema page stays readable, the table's pages become junk): the file
  // opens, and reading an entry fails as "malformed".
  {
    std::fstream f(o.cache_path, std::ios::in | std::ios::out | std::ios::binary);
    // The page size: bytes 16-17 of the header, big-endian (1 means 65536).
    unsigned char header[18] = {};
    f.read(reinterpret_cast<char*>(header), sizeof header);
    BOOST_REQUIRE(f.good());
    std::size_t page = static_cast<std::size_t>(header[16]) << 8 | header[17];
    if (page == 1) page = 65536;
    BOOST_REQUIRE(page >= 512u);
    f.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(f.tellg());
    BOOST_REQUIRE(size > 3 * page);
    f.seekp(static_cast<std::streamoff>(page));
    const std::string junk(size - page, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const catalog::PreparedLast p = catalog::prepare_file(file, o);
  BOOST_TEST(!p.from_cache);
  const bool warned = std::any_of(p.warnings.begin(), p.warnings.end(),
                                  [](const std::string& w) { return w.find("last cache: not used") != std::string::npos; });
  BOOST_TEST(warned);
  require_same(fresh.last, p.last);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_cache_is_refused) {
  TempDir t;
  test::write_text(t / "notes.txt", "not a database, just text that is long enough to fill a SQLite header page.....\n");
  // Each bad cache is an io error (exit 3) whose message says what is wrong with it.
  auto refused = [](const std::filesystem::path& cache, const std::string& says) {
    catalog::Options o;
    o.cache_path = cache.string();
    try {
      catalog::prepare_file(sample_last("last-fit.stl"), o);
    } catch (const Error& e) {
      BOOST_TEST_INFO(e.what());
      BOOST_TEST(e.code() == ErrorCode::io);
      BOOST_TEST(std::string(e.what()).find(says) != std::string::npos);
      return;
    }
    BOOST_ERROR(cache << " was accepted as a cache");
  };
  refused(t / "notes.txt", "not a SQLite file");
  sql(t / "other.db", "CREATE TABLE songs (title TEXT)");
  refused(t / "other.db", "not a fitcheck last cache");
  refused(t / "no-such-folder" / "lasts.db", "cannot be opened or created");
}

BOOST_AUTO_TEST_CASE(folder_in_name_order_with_skips_and_a_point_cloud) {
  TempDir t;
  const auto dir = t / "catalog";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(sample_last("last-narrow.ply"), dir / "b-narrow.ply");
  std::filesystem::copy_file(sample_last("last-fit.stl"), dir / "c-fit.STL");
  std::filesystem::copy_file(test::shared_data("lasts/freecad-scanned-last.asc"), dir / "a-scan.asc");
  test::write_text(dir / "d-broken.stl", "solid nothing\nendsolid nothing\n");
  test::write_text(dir / "readme.txt", "not a last");
  catalog::Options o;
  o.cache_path = (t / "lasts.db").string();
  const catalog::Folder f1 = catalog::prepare_folder(dir.string(), o, (dir / "c-fit.STL").string());
  BOOST_REQUIRE(f1.lasts.size() == 2u);  // c-fit excluded, d-broken skipped, readme not a last file
  BOOST_TEST(std::filesystem::path(f1.lasts[0].path).filename().string() == "a-scan.asc");
  BOOST_TEST(std::filesystem::path(f1.lasts[1].path).filename().string() == "b-narrow.ply");
  BOOST_REQUIRE(f1.skipped.size() == 1u);
  BOOST_TEST(f1.skipped[0].find("d-broken.stl") != std::string::npos);
  BOOST_TEST(f1.prepared == 2u);
  BOOST_TEST(f1.from_cache == 0u);
  const catalog::Folder f2 = catalog::prepare_folder(dir.string(), o, (dir / "c-fit.STL").string());
  BOOST_TEST(f2.from_cache == 2u);
  BOOST_TEST(f2.prepared == 0u);
  BOOST_REQUIRE(f2.lasts.size() == 2u);
  for (std::size_t i = 0; i < 2; ++i) require_same(f1.lasts[i].last, f2.lasts[i].last);
  // One thread gives the same lasts as two (the point cloud's Poisson surface included).
  BOOST_WARN_MESSAGE(std::thread::hardware_concurrency() > 1, "one core: the folder was prepared on one thread both times");
  catalog::Options one;
  one.max_threads = 1;
  const catalog::Folder f3 = catalog::prepare_folder(dir.string(), one);
  BOOST_REQUIRE(f3.lasts.size() == 3u);
  require_same(f1.lasts[0].last, f3.lasts[0].last);
  require_same(f1.lasts[1].last, f3.lasts[1].last);
  BOOST_CHECK_THROW(catalog::prepare_folder((dir / "readme.txt").string(), o), Error);
}

// A catalog folder with no last in it was ranked as no catalog at all, without a word (review of 2026-12-06).
BOOST_AUTO_TEST_CASE(cli_warns_when_the_catalog_holds_no_last) {
  TempDir t;
  std::filesystem::create_directories(t / "empty");
  std::filesystem::create_directories(t / "broken");
  test::write_text(t / "broken" / "notes.txt", "not a last\n");
  test::write_text(t / "broken" / "cut.stl", "solid x\nfacet normal 0 0 1\n");
  for (const auto& [folder, why] : std::vector<std::pair<std::string, std::string>>{
           {"empty", "(no .stl .ply"}, {"broken", "(every other last file in it was skipped)"}}) {
    const test::CliRun r = test::run_cli("--json check " + test::quote(test::source_dir() / "scans" / "foot-right.ply") + " " +
                                         test::quote(sample_last("last-narrow.ply")) + " --run-minutes 10 --changes width --catalog " +
                                         test::quote(t / folder));
    BOOST_TEST_INFO(folder << ": " << r.err);
    BOOST_REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    bool said = false;
    for (const auto& w : j["warnings"])
      said = said || (w.get<std::string>().find("holds no other last to rank " + why) != std::string::npos);
    BOOST_TEST(said, j["warnings"]);
  }
}

BOOST_AUTO_TEST_CASE(cli_second_run_reads_every_last_from_the_cache) {
  TempDir t;
  const auto dir = t / "catalog";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(sample_last("last-narrow.ply"), dir / "narrow.ply");
  const std::string cmd = "--json check " + test::quote(test::source_dir() / "scans" / "foot-right.ply") + " " +
                          test::quote(sample_last("last-narrow.ply")) + " --run-minutes 20 --catalog " + test::quote(dir) +
                          " --last-cache " + test::quote(t / "lasts.db");
  nlohmann::json runs[3];
  for (int k = 0; k < 3; ++k) {
    // Runs 0 and 1 with the cache, run 2 without it.
    const test::CliRun r = test::run_cli(k < 2 ? cmd : cmd.substr(0, cmd.find(" --last-cache")));
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE(r.exit_code == 0);
    runs[k] = nlohmann::json::parse(r.out);
  }
  // The checked last and the catalog's copy have the same content: one entry serves both from the first run on.
  BOOST_TEST(runs[0]["last_cache"]["lasts_prepared"].get<int>() == 1);
  BOOST_TEST(runs[0]["last_cache"]["lasts_from_cache"].get<int>() == 1);
  BOOST_TEST(runs[1]["last_cache"]["lasts_prepared"].get<int>() == 0);
  BOOST_TEST(runs[1]["last_cache"]["lasts_from_cache"].get<int>() == 2);
  BOOST_TEST(!runs[2].contains("last_cache"));
  for (auto& j : runs) {
    j.erase("timings_ms");
    j.erase("last_cache");
  }
  BOOST_TEST((runs[0] == runs[1]));
  BOOST_TEST((runs[1] == runs[2]));
  BOOST_TEST(runs[0]["recommendations"].size() > 0u);
  // Not a cache: exit 3 (unreadable input) with the reason.
  test::write_text(t / "text.db", "plain text, not SQLite -- plain text, not SQLite -- plain text, not SQLite -----\n");
  const test::CliRun bad = test::run_cli("check " + test::quote(test::source_dir() / "scans" / "foot-right.ply") + " " +
                                         test::quote(sample_last("last-fit.stl")) + " --last-cache " + test::quote(t / "text.db"));
  BOOST_TEST(bad.exit_code == 3);
  BOOST_TEST(bad.err.find("not a SQLite file") != std::string::npos);
}
