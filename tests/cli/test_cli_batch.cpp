// `fitcheck batch MANIFEST.csv` (issue #6): rows run as child `check` processes, CSV and JSON summaries, --jobs,
// --shard i/N and --shard auto, failed rows reported (the other rows still run; the batch exits 1), and the exit codes
// of bad input.
// Kept fast: the real checks run with --no-recommend --run-minutes 10; the sharding cases use rows whose scan is
// missing (they fail in milliseconds, which is all the row split needs).
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/format.hpp"
#include "hotspots/hotspots.hpp"
#include "test_util.hpp"

using namespace fitcheck::test;
using json = nlohmann::json;

namespace {

const std::string kFast = " --no-recommend --run-minutes 10";

/// RFC 4180: rows of cells (quoted cells with commas, doubled quotes, line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& t) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (quoted) {
      if (c == '"' && i + 1 < t.size() && t[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      row.push_back(cell);
      cell.clear();
      rows.push_back(row);
      row.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !row.empty()) {
    row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

/// The CSV's data rows keyed by the header's column names.
std::vector<std::map<std::string, std::string>> csv_records(const std::filesystem::path& p) {
  const auto rows = parse_csv(read_text(p));
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    BOOST_REQUIRE_EQUAL(rows[r].size(), rows[0].size());
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < rows[0].size(); ++c) m[rows[0][c]] = rows[r][c];
    out.push_back(m);
  }
  return out;
}


/// nerves[] entry with the highest risk, ties by peak_mmhg (the rule batch documents).
json worst_nerve(const json& check) {
  json w;
  for (const auto& n : check.at("nerves")) {
    if (w.is_null()) {
      w = n;
      continue;
    }
    const int a = fitcheck::hotspots::risk_rank(n["risk"]), b = fitcheck::hotspots::risk_rank(w["risk"]);
    if (a > b || (a == b && n["peak_mmhg"].get<double>() > w["peak_mmhg"].get<double>())) w = n;
  }
  return w;
}

json read_json(const std::filesystem::path& p) {
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(p), p.string() << " exists");
  return json::parse(read_text(p));
}

std::set<std::size_t> row_indices(const json& summary) {
  std::set<std::size_t> s;
  for (const auto& r : summary["rows"]) s.insert(r["row"].get<std::size_t>());
  return s;
}

/// A manifest of `n` rows whose scans do not exist (each row fails fast with exit code 3).
std::filesystem::path missing_rows_manifest(const TempDir& d, int n) {
  std::string m = "scan,last\n";
  for (int k = 0; k < n; ++k)
    m += "missing-" + std::to_string(k) + ".ply," + (source_dir() / "lasts/last-fit.stl").string() + "\n";
  write_text(d / "manifest.csv", m);
  return d / "manifest.csv";
}

void clear_scheduler_env() {
  for (const char* v : {"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"})
    unsetenv(v);
}

}  // namespace

BOOST_AUTO_TEST_CASE(three_rows_two_jobs_match_direct_check) {
  TempDir d;
  // Row 0 is a copy of the right foot whose name holds a comma (a quoted cell), row 2 a sock spec given relative to
  // the manifest's folder.
  std::filesystem::create_directories(d / "scans");
  std::filesystem::create_directories(d / "socks");
  const auto foot = d / "scans/foot, right.ply";
  std::filesystem::copy_file(source_dir() / "scans/foot-right.ply", foot);
  std::filesystem::copy_file(source_dir() / "lasts/sock-class1.json", d / "socks/class1.json");
  const std::string right = (source_dir() / "scans/foot-right.ply").string();
  write_text(d / "manifest.csv", "scan,last,sock\n"
                                 "# the bundled right foot in two lasts and in a sock alone\n"
                                 "\n"
                                 "\"scans/foot, right.ply\"," + (source_dir() / "lasts/last-fit.stl").string() + "\n" +
                                     right + "," + (source_dir() / "lasts/last-narrow.ply").string() + "\n" + right +
                                     ",socks/class1.json\n");
  const auto t0 = std::chrono::steady_clock::now();
  const CliRun r = run_cli("batch --json --jobs 2" + kFast + " -o " + quote(d / "out") + " " + quote(d / "manifest.csv"));
  BOOST_TEST_MESSAGE("batch of 3 rows, 2 jobs: "
                     << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s");
  BOOST_TEST_INFO("stderr: " << r.err << "\nstdout: " << r.out);
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);

  const json s = read_json(d / "out/summary.json");
  BOOST_TEST(json::parse(r.out) == s, "--json prints summary.json");
  BOOST_TEST(s["schema"] == "fitcheck.batch/0.1");
  BOOST_TEST(s["shard"]["index"] == 0);
  BOOST_TEST(s["shard"]["count"] == 1);
  BOOST_TEST(s["ok"] == 3);
  BOOST_TEST(s["failed"] == 0);
  BOOST_REQUIRE_EQUAL(s["rows"].size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& row = s["rows"][k];
    BOOST_TEST_INFO("row " << k << ": " << row.dump());
    BOOST_TEST(row["row"] == k);
    BOOST_TEST(row["status"] == "ok");
    BOOST_TEST(row["exit_code"] == 0);
    BOOST_TEST(row["error"].is_null());
    BOOST_TEST(row["worst_nerve"].is_string());
    BOOST_TEST(row["worst_nerve_peak_mmhg"].is_number());
    BOOST_TEST(row["hotspots"].is_number());
    BOOST_TEST(row["foot_length_mm"].get<double>() > 200);
    BOOST_TEST(row["seconds"].get<double>() > 0);
    BOOST_TEST(std::filesystem::exists(d / "out" / row["output"].get<std::string>()));
  }
  BOOST_TEST(s["rows"][0]["scan"] == foot.string(), "relative path resolved against the manifest's folder");
  BOOST_TEST(s["rows"][0]["toe_allowance_mm"].is_number());
  BOOST_TEST(s["rows"][2]["last"] == (d / "socks/class1.json").string());
  BOOST_TEST(s["rows"][2]["toe_allowance_mm"].is_null(), "a sock alone has no shoe fit");
  BOOST_TEST(s["rows"][0]["top_change"].is_null(), "--no-recommend reached the children");
  BOOST_TEST(s["rows"][0].contains("judged_on_fit"));
  BOOST_TEST(s["rows"][0]["judged_on_fit"].is_null(), "no recommendations, so not judged at all");

  // The same row run directly.
  const CliRun direct = run_cli("check --json" + kFast + " " + quote(foot) + " " + quote(source_dir() / "lasts/last-fit.stl"));
  BOOST_REQUIRE_EQUAL(direct.exit_code, 0);
  const json w = worst_nerve(json::parse(direct.out));
  const auto& row0 = s["rows"][0];
  BOOST_TEST(row0["worst_nerve"] == w["nerve"]);
  BOOST_TEST(row0["worst_nerve_label"] == w["label"]);
  BOOST_TEST(row0["worst_nerve_risk"] == w["risk"]);
  BOOST_TEST(row0["worst_nerve_peak_mmhg"].get<double>() == w["peak_mmhg"].get<double>());

  const auto csv = csv_records(d / "out/summary.csv");
  BOOST_REQUIRE_EQUAL(csv.size(), 3u);
  BOOST_TEST(csv[0].count("judged_on_fit") == 1u);
  for (std::size_t k = 0; k < 3; ++k) {
    BOOST_TEST(csv[k].at("row") == std::to_string(k));
    BOOST_TEST(csv[k].at("status") == "ok");
    BOOST_TEST(csv[k].at("exit_code") == "0");
  }
  BOOST_TEST(csv[0].at("scan") == foot.string(), "the comma in the path survives RFC 4180 quoting");
  BOOST_TEST(csv[0].at("worst_nerve") == w["nerve"].get<std::string>());
  BOOST_TEST(csv[0].at("worst_nerve_risk") == w["risk"].get<std::string>());
  BOOST_TEST(std::stod(csv[0].at("worst_nerve_peak_mmhg")) == w["peak_mmhg"].get<double>());
  BOOST_TEST(csv[2].at("toe_allowance_mm").empty());
}

BOOST_AUTO_TEST_CASE(the_top_change_is_summarised_with_one_decimal) {
  // A sock alone (one change simulated: cheap). top_peak_mmhg_after came out unrounded (24.405544462246514) beside
  // the other pressures' one decimal.
  TempDir d;
  const std::string right = (source_dir() / "scans/foot-right.ply").string();
  const std::string sock = (source_dir() / "lasts/sock-class1.json").string();
  write_text(d / "manifest.csv", "scan,last\n" + right + "," + sock + "\n");
  const CliRun r = run_cli("batch --jobs 1 --run-minutes 10 -o " + quote(d / "out") + " " + quote(d / "manifest.csv"));
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  const json row = read_json(d / "out/rows/row-0000.json");
  BOOST_REQUIRE(!row["recommendations"].empty());
  const double after = row["recommendations"][0]["peak_mmhg_after"].get<double>();
  const json s = read_json(d / "out/summary.json");
  BOOST_TEST(s["rows"][0]["top_change"] == row["recommendations"][0]["change"]);
  BOOST_TEST(s["rows"][0]["top_peak_mmhg_after"].get<double>() == std::round(after * 10) / 10);
  const auto csv = csv_records(d / "out/summary.csv");
  BOOST_REQUIRE_EQUAL(csv.size(), 1u);
  BOOST_TEST(csv[0].at("top_peak_mmhg_after") == fitcheck::fmt_fixed(after), "one decimal, as the check prints it");
}

BOOST_AUTO_TEST_CASE(shards_cover_every_row_once_in_separate_files) {
  TempDir d;
  const auto manifest = missing_rows_manifest(d, 5);
  for (const char* shard : {"0/2", "1/2"}) {
    const CliRun r = run_cli(std::string("batch --shard ") + shard + " -o " + quote(d / "out") + " " + quote(manifest));
    BOOST_TEST_INFO("--shard " << shard << " stderr: " << r.err);
    BOOST_TEST(r.exit_code == 1);  // every row of this manifest fails (missing scans)
  }
  BOOST_TEST(!std::filesystem::exists(d / "out/summary.json"));
  const json s0 = read_json(d / "out/summary-shard-0-of-2.json");
  const json s1 = read_json(d / "out/summary-shard-1-of-2.json");
  BOOST_TEST(s0["shard"]["index"] == 0);
  BOOST_TEST(s1["shard"]["index"] == 1);
  BOOST_TEST(s1["shard"]["count"] == 2);
  BOOST_TEST((row_indices(s0) == std::set<std::size_t>{0, 2, 4}));
  BOOST_TEST((row_indices(s1) == std::set<std::size_t>{1, 3}));
  std::multiset<std::string> scans;
  for (const json* s : {&s0, &s1})
    for (const auto& row : (*s)["rows"]) {
      scans.insert(std::filesystem::path(row["scan"].get<std::string>()).filename().string());
      BOOST_TEST(row["exit_code"] == 3);
    }
  BOOST_TEST(scans.size() == 5u);
  for (int k = 0; k < 5; ++k) BOOST_TEST(scans.count("missing-" + std::to_string(k) + ".ply") == 1u);
  BOOST_TEST(csv_records(d / "out/summary-shard-0-of-2.csv").size() == 3u);
  BOOST_TEST(csv_records(d / "out/summary-shard-1-of-2.csv").size() == 2u);
  for (int k = 0; k < 5; ++k) BOOST_TEST(std::filesystem::exists(d / ("out/rows/row-000" + std::to_string(k) + ".err")));
}

BOOST_AUTO_TEST_CASE(shard_auto_from_scheduler_environment) {
  TempDir d;
  const auto manifest = missing_rows_manifest(d, 5);
  clear_scheduler_env();
  setenv("JOB_COMPLETION_INDEX", "1", 1);  // Kubernetes indexed job
  CliRun r = run_cli("batch --shard auto --shard-count 2 -o " + quote(d / "k8s") + " " + quote(manifest));
  BOOST_TEST_INFO(r.err);
  BOOST_TEST(r.exit_code == 1);  // the rows ran (and failed: their scans are missing)
  BOOST_TEST((row_indices(read_json(d / "k8s/summary-shard-1-of-2.json")) == std::set<std::size_t>{1, 3}));
  r = run_cli("batch --shard auto -o " + quote(d / "k8s") + " " + quote(manifest));
  BOOST_TEST(r.exit_code == 2, "JOB_COMPLETION_INDEX needs --shard-count");
  clear_scheduler_env();
  setenv("SLURM_ARRAY_TASK_ID", "3", 1);  // --array=1-3: the third task is shard 2 of 3
  setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
  setenv("SLURM_ARRAY_TASK_COUNT", "3", 1);
  r = run_cli("batch --shard auto -o " + quote(d / "slurm") + " " + quote(manifest));
  BOOST_TEST_INFO(r.err);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST((row_indices(read_json(d / "slurm/summary-shard-2-of-3.json")) == std::set<std::size_t>{2}));
  clear_scheduler_env();
}

BOOST_AUTO_TEST_CASE(missing_scan_row_is_reported_while_others_succeed) {
  TempDir d;
  const auto missing = d / "no-such-foot.ply";
  write_text(d / "manifest.csv", (source_dir() / "scans/foot-right.ply").string() + "," +
                                     (source_dir() / "lasts/sock-class1.json").string() + "\n" + missing.string() + "," +
                                     (source_dir() / "lasts/last-fit.stl").string() + "\n");
  const CliRun r = run_cli("batch --jobs 2" + kFast + " -o " + quote(d / "out") + " " + quote(d / "manifest.csv"));
  BOOST_TEST_INFO("stderr: " << r.err << "\nstdout: " << r.out);
  BOOST_REQUIRE_EQUAL(r.exit_code, 1);  // the good row ran and is reported; the batch is not clean
  BOOST_TEST(r.out.find("row 1 io (exit 3)") != std::string::npos, "a human line per row");
  BOOST_TEST(r.out.find("1 ok, 1 failed") != std::string::npos);
  const json s = read_json(d / "out/summary.json");
  BOOST_TEST(s["ok"] == 1);
  BOOST_TEST(s["failed"] == 1);
  BOOST_REQUIRE_EQUAL(s["rows"].size(), 2u);
  BOOST_TEST(s["rows"][0]["status"] == "ok");
  BOOST_TEST(s["rows"][0]["exit_code"] == 0);
  const auto& bad = s["rows"][1];
  BOOST_TEST(bad["exit_code"] == 3);
  BOOST_TEST(bad["status"] == "io");
  BOOST_TEST(bad["error"].get<std::string>().find("no-such-foot.ply") != std::string::npos);
  BOOST_TEST(bad["worst_nerve"].is_null());
  BOOST_TEST(read_text(d / "out/rows/row-0001.err").find("no-such-foot.ply") != std::string::npos);
  const auto csv = csv_records(d / "out/summary.csv");
  BOOST_REQUIRE_EQUAL(csv.size(), 2u);
  BOOST_TEST(csv[1].at("exit_code") == "3");
  BOOST_TEST(csv[1].at("status") == "io");
}

BOOST_AUTO_TEST_CASE(bad_shard_and_jobs_exit_2) {
  TempDir d;
  const auto manifest = missing_rows_manifest(d, 2);
  clear_scheduler_env();
  for (const char* bad : {"--shard 2/2", "--shard x", "--shard 1/0", "--shard -1/2", "--shard 1/", "--shard /2",
                          "--shard 0/2/3", "--shard auto", "--shard 0/2 --shard-count 2", "--jobs 0", "--jobs 65",
                          "--jobs x"}) {
    const CliRun r = run_cli(std::string("batch ") + bad + " -o " + quote(d / "out") + " " + quote(manifest));
    BOOST_TEST_INFO(bad << ": " << r.err);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.signal == 0);
  }
  BOOST_TEST(!std::filesystem::exists(d / "out"), "nothing ran");
}

// The options a batch passes on to every row are checked before any row runs (issue: --run-minutes nan ran the batch,
// exit 0, with every row failing its usage check).
BOOST_AUTO_TEST_CASE(options_for_the_rows_are_checked_before_any_row_runs) {
  TempDir d;
  const auto manifest = missing_rows_manifest(d, 2);
  for (const char* bad : {"--run-minutes nan", "--max-file-mb nan", "--row-timeout-s nan", "--run-minutes 1441"}) {
    const CliRun r = run_cli(std::string("batch ") + bad + " -o " + quote(d / "out") + " " + quote(manifest));
    BOOST_TEST_INFO(bad << ": " << r.err);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find(std::string(bad).substr(0, std::string(bad).find(' '))) != std::string::npos,
               "names the option");
  }
  BOOST_TEST(!std::filesystem::exists(d / "out"), "no row ran");
}

// The rows get the values given, digit for digit (they were cut to 6 significant digits: 12.3456789 became 12.3457).
BOOST_AUTO_TEST_CASE(options_reach_the_rows_unrounded) {
  TempDir d;
  const auto manifest = missing_rows_manifest(d, 1);
  const CliRun r =
      run_cli("batch --run-minutes 12.3456789 --max-file-mb 123.456789 -o " + quote(d / "out") + " " + quote(manifest));
  BOOST_TEST_INFO(r.err);
  BOOST_REQUIRE_EQUAL(r.exit_code, 1);  // the row ran (and failed: its scan is missing)
  const json s = read_json(d / "out/summary.json");
  BOOST_TEST(s["check_options"] == json({"--run-minutes", "12.3456789", "--max-file-mb", "123.456789"}),
             s["check_options"]);
}

BOOST_AUTO_TEST_CASE(manifest_without_usable_rows_exits_4) {
  TempDir d;
  write_text(d / "empty.csv", "");
  CliRun r = run_cli("batch -o " + quote(d / "out") + " " + quote(d / "empty.csv"));
  BOOST_TEST_INFO(r.err);
  BOOST_TEST(r.exit_code == 4);
  BOOST_TEST(r.err.find("empty.csv") != std::string::npos);
  BOOST_TEST(r.err.find("no data rows") != std::string::npos);

  write_text(d / "header-only.csv", "scan,last,sock\n# nothing yet\n\n");
  r = run_cli("batch --json -o " + quote(d / "out") + " " + quote(d / "header-only.csv"));
  BOOST_TEST(r.exit_code == 4);
  BOOST_TEST(json::parse(r.out)["error"]["code"] == "invalid_input");

  write_text(d / "short.csv", "scan,last\nfoot.ply,last.stl\nfoot.ply\n");
  r = run_cli("batch -o " + quote(d / "out") + " " + quote(d / "short.csv"));
  BOOST_TEST_INFO(r.err);
  BOOST_TEST(r.exit_code == 4);
  BOOST_TEST(r.err.find("short.csv line 3") != std::string::npos, "the line is named");
  BOOST_TEST(!std::filesystem::exists(d / "out"), "nothing ran");
}

BOOST_AUTO_TEST_CASE(unreadable_manifest_exits_3) {
  TempDir d;
  CliRun r = run_cli("batch -o " + quote(d / "out") + " " + quote(d / "no-such-manifest.csv"));
  BOOST_TEST_INFO(r.err);
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(r.err.find("no-such-manifest.csv") != std::string::npos);
  std::filesystem::create_directory(d / "folder.csv");
  r = run_cli("batch -o " + quote(d / "out") + " " + quote(d / "folder.csv"));
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(r.err.find("directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(row_timeout_stops_a_slow_check_and_says_so) {
  TempDir d;
  const std::string row = (source_dir() / "scans/foot-right.ply").string() + "," + (source_dir() / "lasts/last-fit.stl").string() + "\n";
  write_text(d / "manifest.csv", row + row);
  // 50 ms: less than loading the scan alone takes, so every row hits the limit.
  const CliRun r = run_cli("batch --row-timeout-s 0.05 -o " + quote(d / "out") + " " + quote(d / "manifest.csv"));
  BOOST_TEST_INFO("stderr: " << r.err << "\nstdout: " << r.out);
  BOOST_REQUIRE_EQUAL(r.exit_code, 1);  // rows that failed are reported and fail the batch
  const json s = read_json(d / "out/summary.json");
  BOOST_REQUIRE_EQUAL(s["rows"].size(), 2u);
  for (const auto& row_j : s["rows"]) {
    BOOST_TEST(row_j["status"] == "timeout");
    BOOST_TEST(row_j["exit_code"] == 124);
    BOOST_TEST(row_j["error"].get<std::string>().find("0.05 s (--row-timeout-s)") != std::string::npos, row_j["error"]);
    BOOST_TEST(row_j["output"].is_null());
  }
  BOOST_TEST(s["failed"] == 2);
  BOOST_TEST(run_cli("batch --row-timeout-s -1 " + quote(d / "manifest.csv")).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_batch_with_a_summary_of_what_ran) {
  TempDir d;
  const std::string row = (source_dir() / "scans/foot-right.ply").string() + "," + (source_dir() / "lasts/last-narrow.ply").string() + "\n";
  write_text(d / "manifest.csv", row + row + row);
  // The cluster stops the job once the first row's check has started (its .err file exists: the batch caught the
  // stop signals before starting it). Each row, a check with recommendations, takes seconds.
  const std::string err0 = (d / "out/rows/row-0000.err").string();
  const std::string cmd = "sh -c \"'" + std::string(FITCHECK_CLI) + "' batch -o '" + (d / "out").string() + "' '" +
                          (d / "manifest.csv").string() + "' > '" + (d / "log").string() + "' 2>&1 & p=\\$!; " +
                          "i=0; while [ ! -e '" + err0 + "' ] && [ \\$i -lt 200 ]; do sleep 0.05; i=\\$((i+1)); done; " +
                          "kill -TERM \\$p; wait \\$p; echo \\$? > '" + (d / "rc").string() + "'\"";
  BOOST_REQUIRE_EQUAL(std::system(cmd.c_str()), 0);
  BOOST_TEST_INFO("log: " << read_text(d / "log"));
  BOOST_TEST(std::stoi(read_text(d / "rc")) == 128 + 15);
  const json s = read_json(d / "out/summary.json");
  BOOST_REQUIRE_EQUAL(s["rows"].size(), 3u);
  // Row 0 was stopped (or, on a very fast machine, finished); the last row never started.
  const std::string first = s["rows"][0]["status"].get<std::string>();
  BOOST_TEST((first == "interrupted" || first == "ok"), first);
  if (first == "interrupted") BOOST_TEST(s["rows"][0]["exit_code"] == 128 + 15);
  BOOST_TEST(s["rows"][2]["status"] == "not_run");
  BOOST_TEST(s["rows"][2]["exit_code"].is_null());
  BOOST_TEST(s["rows"][2]["output"].is_null());
  for (const auto& r : s["rows"]) BOOST_TEST(r["status"] != "crashed");
  BOOST_TEST(read_text(d / "log").find("stopped by signal 15") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(last_cache_reaches_the_children) {
  TempDir d;
  const std::string right = (source_dir() / "scans/foot-right.ply").string();
  const std::string left = (source_dir() / "scans/foot-left.obj").string();
  const std::string last = (source_dir() / "lasts/last-fit.stl").string();
  const std::string sock = (source_dir() / "lasts/sock-class1.json").string();
  write_text(d / "manifest.csv", "scan,last\n" + right + "," + last + "\n" + left + "," + last + "\n" + right + "," + sock + "\n");
  // One job: row 0 prepares the last and stores it, row 1 reads it. Row 2, a sock alone, has no last to cache: it ran
  // with the cache option and failed (check refuses --last-cache without a last), now it runs without it.
  const CliRun r = run_cli("batch --jobs 1" + kFast + " --last-cache " + quote(d / "lasts.db") + " -o " + quote(d / "out") +
                           " " + quote(d / "manifest.csv"));
  BOOST_TEST_INFO("stderr: " << r.err);
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  const json row0 = read_json(d / "out/rows/row-0000.json"), row1 = read_json(d / "out/rows/row-0001.json");
  BOOST_TEST(row0["last_cache"]["lasts_prepared"] == 1);
  BOOST_TEST(row1["last_cache"]["lasts_from_cache"] == 1);
  BOOST_TEST(row1["last_cache"]["lasts_prepared"] == 0);
  const json row2 = read_json(d / "out/rows/row-0002.json");
  BOOST_TEST(row2.contains("sock"));
  BOOST_TEST(!row2.contains("last_cache"));
  BOOST_TEST(std::filesystem::exists(d / "lasts.db"));
}

BOOST_AUTO_TEST_CASE(a_last_cache_that_is_not_a_cache_is_refused_before_any_row) {
  // It failed every row with the same exit 3 (each row a full check start-up), the batch itself exiting 1 with a
  // summary of failed rows.
  TempDir d;
  const std::string right = (source_dir() / "scans/foot-right.ply").string();
  const std::string last = (source_dir() / "lasts/last-fit.stl").string();
  write_text(d / "manifest.csv", "scan,last\n" + right + "," + last + "\n" + right + "," + last + "\n");
  write_text(d / "notes.txt", "not a cache, just notes\n");
  const CliRun r = run_cli("batch --jobs 1" + kFast + " --last-cache " + quote(d / "notes.txt") + " -o " + quote(d / "out") +
                           " " + quote(d / "manifest.csv"));
  BOOST_TEST(r.exit_code == 3, r.err);
  BOOST_TEST(r.err.find("notes.txt") != std::string::npos, r.err);
  BOOST_TEST(!std::filesystem::exists(d / "out/rows"));  // no row ran
  BOOST_TEST(read_text(d / "notes.txt") == "not a cache, just notes\n");  // and the file is left as it was
}
