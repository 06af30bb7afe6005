// `fitcheck batch MANIFEST.csv [-o DIR] [--jobs N] [--shard i/N | --shard auto [--shard-count N]]
//                [--run-minutes M] [--no-recommend] [--max-file-mb MB] [--last-cache FILE] [--row-timeout-s S] [--json]`
//   (issue #6)
//
// Manifest: CSV with the columns scan,last[,sock]. A header row is optional (detected when the first row's first cell
// is "scan"); blank lines and lines starting with '#' are skipped; cells may be quoted ("a, b.ply", "" for a quote);
// relative paths are resolved against the manifest's folder. As in `check`, a last may be a sock spec (.json) for a
// sock alone.
//
// Each data row k (0-based, header and skipped lines not counted) runs as a child process of this same binary:
//   /proc/self/exe check --json [--sock SOCK] [--run-minutes M] [--no-recommend] [--max-file-mb MB] [--last-cache FILE]
//   -- SCAN LAST
// with stdout in DIR/rows/row-<k>.json and stderr in DIR/rows/row-<k>.err, at most --jobs children at once. Children
// isolate crashes and avoid thread-safety questions in PCL, Open3D and CGAL.
//
// Sharding with no coordination: with --shard i/N this process runs only the rows with k % N == i and writes
// DIR/summary-shard-<i>-of-<N>.csv/.json (so shards sharing DIR never overwrite each other; the row files are named
// by the manifest row index). --shard auto takes i from JOB_COMPLETION_INDEX (Kubernetes indexed jobs; give N with
// --shard-count, e.g. the Job's completions) or else from SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (Slurm job
// arrays with a contiguous range such as --array=0-9 or 1-10; N from --shard-count, else SLURM_ARRAY_TASK_COUNT).
// A shard with no rows (more shards than rows) writes an empty summary and exits 0.
//
// Summary (summary.csv with RFC 4180 quoting, and summary.json):
//   {"schema": "fitcheck.batch/0.1", "manifest", "out", "check_options": [...], "shard": {"index", "count"},
//    "rows": [{row, line, scan, last, sock, exit_code, status, error, foot_length_mm, toe_allowance_mm, worst_nerve,
//              worst_nerve_label, worst_nerve_peak_mmhg, worst_nerve_risk, hotspots, top_change, top_advice,
//              top_peak_mmhg_after, no_change_needed, judged_on_fit, seconds, output}],
//    "ok": n_ok, "failed": n_failed}
// status is "ok" or the child's error code name (io, invalid_input, ...); a child killed by a signal gets status
// "crashed" and exit_code 128 + signal; a child stopped by --row-timeout-s gets "timeout" and exit_code 124. SIGTERM
// (a cluster stopping the job) or SIGINT stops the running children (status "interrupted", exit_code 128 + signal),
// marks the rows not yet started "not_run" (exit_code and output null), writes the summary and exits 128 + signal. Absent values are null in JSON and empty cells in CSV. The worst nerve is the
// nerves[] entry with the highest risk (none < low < moderate < high), ties broken by the higher peak_mmhg.
//
// Exit codes: 0 when every row ran and every row is ok, 1 when every row ran and the summary is written but some row
// failed (its status and error are in the summary), 128 + signal when stopped, 2 usage (bad --shard, --jobs out of
// [1, 64]), 3 manifest unreadable or output folder not writable, 4 manifest without data rows or with a row of fewer
// than two cells (the line is named).
#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.hpp"
#include "cli/check_job.hpp"
#include "cli/commands.hpp"
#include "cli/option_checks.hpp"
#include "cli/text_file.hpp"
#include "core/error.hpp"
#include "hotspots/hotspots.hpp"

extern char** environ;

namespace fitcheck::cli {

namespace {

/// Exit code of a batch that ran every row and wrote its summary, with at least one row failed.
constexpr int kExitRowsFailed = 1;

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

struct BatchArgs {
  std::string manifest, out = "batch-out", shard;
  int jobs = 1;
  int shard_count = 0;
  double run_minutes = 60.0;
  bool no_recommend = false;
  double max_file_mb = 500.0;
  std::string last_cache;  ///< passed to check: rows that share a last reuse it once stored (src/catalog)
  double row_timeout_s = 0;  ///< a row's check is stopped after this long, s; 0 = no limit
  CLI::Option* run_minutes_opt = nullptr;
  CLI::Option* max_file_mb_opt = nullptr;
  CLI::Option* shard_count_opt = nullptr;
};

struct Row {
  std::size_t index = 0;  ///< among data rows
  std::size_t line = 0;   ///< 1-based line of the manifest where the row starts
  std::string scan, last, sock;
};

// ---- manifest ---------------------------------------------------------------------------------------------------

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

struct Record {
  std::size_t line = 0;
  std::vector<std::string> cells;
  bool comment = false;
};

/// RFC 4180 records (quoted cells may hold commas, doubled quotes and line breaks); unquoted cells are trimmed.
std::vector<Record> parse_csv(const std::string& text, const std::string& name) {
  std::vector<Record> recs;
  std::size_t i = 0, line = 1;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte order mark (spreadsheet exports)
  while (i < text.size()) {
    Record r;
    r.line = line;
    {
      const auto f = text.find_first_not_of(" \t", i);  // '#' may follow indentation
      r.comment = f != std::string::npos && text[f] == '#';
    }
    std::string cell;
    bool quoted_cell = false;
    for (;;) {
      if (i >= text.size()) break;
      const char c = text[i];
      if (c == '"' && !r.comment && trim(cell).empty() && !quoted_cell) {
        // Quoted cell: up to the closing quote.
        cell.clear();
        quoted_cell = true;
        ++i;
        const std::size_t start_line = line;
        for (;;) {
          if (i >= text.size())
            throw Error(ErrorCode::invalid_input, "batch",
                        name + " line " + std::to_string(start_line) + ": quoted cell without a closing quote");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
        continue;
      }
      if (c == ',' && !r.comment) {
        r.cells.push_back(quoted_cell ? cell : trim(cell));
        cell.clear();
        quoted_cell = false;
        ++i;
        continue;
      }
      if (c == '\n' || c == '\r') break;
      if (!quoted_cell) cell += c;  // text after a closing quote is ignored, as spreadsheets do
      ++i;
    }
    r.cells.push_back(quoted_cell ? cell : trim(cell));
    // End of the record: \n, \r\n or \r.
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    ++line;
    recs.push_back(std::move(r));
  }
  return recs;
}

std::string resolve(const fs::path& dir, const std::string& cell) {
  if (cell.empty()) return cell;
  const fs::path p(cell);
  if (p.is_absolute() || dir.empty()) return p.string();
  return (dir / p).string();
}

std::vector<Row> read_manifest(const std::string& manifest) {
  std::error_code ec;
  const fs::file_status st = fs::status(manifest, ec);
  if (!fs::exists(st)) throw Error(ErrorCode::io, "batch", "cannot read manifest " + manifest + ": no such file");
  if (fs::is_directory(st)) throw Error(ErrorCode::io, "batch", "cannot read manifest " + manifest + ": it is a directory");
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "batch", "cannot read manifest " + manifest + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::io, "batch", "cannot read manifest " + manifest);
  const fs::path dir = fs::path(manifest).parent_path();

  std::vector<Row> rows;
  bool first = true;
  for (const Record& r : parse_csv(ss.str(), manifest)) {
    if (r.comment) continue;
    if (std::all_of(r.cells.begin(), r.cells.end(), [](const std::string& c) { return c.empty(); })) continue;
    if (first) {
      first = false;
      std::string c0 = r.cells[0];
      for (auto& ch : c0) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (c0 == "scan") continue;  // header row
    }
    const std::string where = manifest + " line " + std::to_string(r.line);
    std::size_t used = r.cells.size();
    while (used > 0 && r.cells[used - 1].empty()) --used;  // trailing empty cells (spreadsheet exports)
    if (used < 2 || r.cells[0].empty() || r.cells[1].empty())
      throw Error(ErrorCode::invalid_input, "batch",
                  where + ": a row needs at least 2 cells (scan,last[,sock]), got " + std::to_string(used) +
                      (used >= 2 ? " with an empty scan or last" : ""));
    if (used > 3)
      throw Error(ErrorCode::invalid_input, "batch",
                  where + ": " + std::to_string(used) + " cells, expected scan,last[,sock]");
    Row row;
    row.index = rows.size();
    row.line = r.line;
    row.scan = resolve(dir, r.cells[0]);
    row.last = resolve(dir, r.cells[1]);
    if (used == 3) row.sock = resolve(dir, r.cells[2]);
    rows.push_back(std::move(row));
  }
  if (rows.empty())
    throw Error(ErrorCode::invalid_input, "batch", "manifest " + manifest + " has no data rows (expected scan,last[,sock])");
  return rows;
}

// ---- shard ------------------------------------------------------------------------------------------------------

bool parse_count(const std::string& s, long long& v) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  v = std::stoll(s);
  return true;
}

struct Shard {
  long long index = 0, count = 1;
  bool sharded = false;
};

Shard parse_shard(const BatchArgs& a) {
  Shard s;
  const bool count_given = a.shard_count_opt && a.shard_count_opt->count() > 0;
  if (a.shard.empty()) {
    if (count_given) throw Error(ErrorCode::usage, "batch", "--shard-count goes with --shard auto");
    return s;
  }
  s.sharded = true;
  if (a.shard == "auto") {
    const char* k8s = std::getenv("JOB_COMPLETION_INDEX");
    const char* slurm = std::getenv("SLURM_ARRAY_TASK_ID");
    std::string from;
    if (k8s && *k8s) {
      from = "JOB_COMPLETION_INDEX";
      if (!parse_count(k8s, s.index))
        throw Error(ErrorCode::usage, "batch", "--shard auto: JOB_COMPLETION_INDEX='" + std::string(k8s) + "' is not an index");
      if (!count_given)
        throw Error(ErrorCode::usage, "batch", "--shard auto with JOB_COMPLETION_INDEX needs --shard-count N (the Job's completions)");
      s.count = a.shard_count;
    } else if (slurm && *slurm) {
      from = "SLURM_ARRAY_TASK_ID";
      long long id = 0, min = 0;
      if (!parse_count(slurm, id))
        throw Error(ErrorCode::usage, "batch", "--shard auto: SLURM_ARRAY_TASK_ID='" + std::string(slurm) + "' is not an index");
      const char* m = std::getenv("SLURM_ARRAY_TASK_MIN");
      if (m && *m && !parse_count(m, min))
        throw Error(ErrorCode::usage, "batch", "--shard auto: SLURM_ARRAY_TASK_MIN='" + std::string(m) + "' is not an index");
      if (id < min)
        throw Error(ErrorCode::usage, "batch", "--shard auto: SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
      s.index = id - min;
      if (count_given) {
        s.count = a.shard_count;
      } else {
        const char* n = std::getenv("SLURM_ARRAY_TASK_COUNT");
        if (!n || !*n || !parse_count(n, s.count))
          throw Error(ErrorCode::usage, "batch",
                      "--shard auto with SLURM_ARRAY_TASK_ID needs SLURM_ARRAY_TASK_COUNT or --shard-count N");
      }
    } else {
      throw Error(ErrorCode::usage, "batch",
                  "--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes indexed job) nor SLURM_ARRAY_TASK_ID (Slurm "
                  "array) is set; use --shard i/N");
    }
    if (s.count < 1 || s.index >= s.count)
      throw Error(ErrorCode::usage, "batch",
                  "--shard auto: index " + std::to_string(s.index) + " (from " + from + ") is not in [0, " +
                      std::to_string(s.count) + ")");
    return s;
  }
  if (count_given) throw Error(ErrorCode::usage, "batch", "--shard-count goes with --shard auto, not --shard i/N");
  const auto slash = a.shard.find('/');
  if (slash == std::string::npos || !parse_count(a.shard.substr(0, slash), s.index) ||
      !parse_count(a.shard.substr(slash + 1), s.count))
    throw Error(ErrorCode::usage, "batch", "--shard '" + a.shard + "': expected i/N (0 <= i < N, e.g. 0/4) or auto");
  if (s.count < 1 || s.index >= s.count)
    throw Error(ErrorCode::usage, "batch", "--shard '" + a.shard + "': the index must be in [0, N) (0-based)");
  return s;
}

// ---- children ---------------------------------------------------------------------------------------------------

std::string row_name(std::size_t k) {
  std::string s = std::to_string(k);
  if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
  return "row-" + s;
}

std::string number_text(double v) {
  std::ostringstream s;
  // 15 digits: what the user typed passes to the rows unchanged (the stream's default 6 made 12.3456789 12.3457).
  s << std::setprecision(std::numeric_limits<double>::digits10) << v;
  return s.str();
}

std::vector<std::string> check_options(const BatchArgs& a) {
  std::vector<std::string> o;
  if (a.run_minutes_opt && a.run_minutes_opt->count() > 0) o.insert(o.end(), {"--run-minutes", number_text(a.run_minutes)});
  if (a.no_recommend) o.push_back("--no-recommend");
  if (a.max_file_mb_opt && a.max_file_mb_opt->count() > 0) o.insert(o.end(), {"--max-file-mb", number_text(a.max_file_mb)});
  if (!a.last_cache.empty()) o.insert(o.end(), {"--last-cache", std::filesystem::absolute(a.last_cache).string()});
  return o;
}

struct Outcome {
  int exit_code = -1;
  int signal = 0;
  std::string spawn_error;
  double seconds = 0;
  double timed_out_after_s = 0;  ///< > 0: stopped by --row-timeout-s
  int interrupted_by = 0;        ///< the signal that stopped the batch while this row ran (or before it started)
  bool started = true;
};

/// The signal (SIGTERM, SIGINT) that asks the batch to stop; 0 while none came.
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) {
  if (!g_stop_signal) g_stop_signal = sig;  // the first one counts
}

/// SIGTERM and SIGINT caught while the batch runs, the previous actions restored on scope exit (also on an
/// exception). A signal the batch inherited as ignored (a background job of a non-interactive shell) stays ignored.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    catch_signal(SIGTERM, old_[0], caught_[0]);
    catch_signal(SIGINT, old_[1], caught_[1]);
  }
  ~StopSignals() {
    if (caught_[0]) ::sigaction(SIGTERM, &old_[0], nullptr);
    if (caught_[1]) ::sigaction(SIGINT, &old_[1], nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static void catch_signal(int sig, struct sigaction& old, bool& caught) {
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) return;
    struct sigaction a {};
    a.sa_handler = on_stop_signal;  // no SA_RESTART: a blocking call returns EINTR
    sigemptyset(&a.sa_mask);
    caught = ::sigaction(sig, &a, nullptr) == 0;
  }
  struct sigaction old_[2] {};
  bool caught_[2] = {false, false};
};

/// Starts the check of `row`; returns the pid, or -1 with `err` set.
pid_t spawn_check(const Row& row, const std::vector<std::string>& opts, const fs::path& rows_dir, std::string& err) {
  std::vector<std::string> args = {"fitcheck", "check", "--json"};
  if (!row.sock.empty()) args.push_back("--sock=" + row.sock);  // '=' form: a value may start with '-'
  // A row with a sock alone has no last to cache: --last-cache goes to the shoe rows only (check refuses it there).
  const bool sock_alone = is_sock_spec(row.last);
  for (std::size_t k = 0; k < opts.size(); ++k) {
    if (sock_alone && opts[k] == "--last-cache" && k + 1 < opts.size()) {
      ++k;
      continue;
    }
    args.push_back(opts[k]);
  }
  args.insert(args.end(), {"--", row.scan, row.last});
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  const std::string out = (rows_dir / (row_name(row.index) + ".json")).string();
  const std::string errf = (rows_dir / (row_name(row.index) + ".err")).string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, errf.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    err = std::string("cannot start the check process: ") + std::strerror(rc);
    return -1;
  }
  return pid;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The last non-empty line of the child's stderr (its error message when it printed no JSON).
std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (!trim(line).empty()) last = trim(line);
  if (last.size() > 500) last = last.substr(0, 500) + "...";
  return last;
}

const char* status_for_exit(int code) {
  switch (code) {
    case 2: return "usage";
    case 3: return "io";
    case 4: return "invalid_input";
    default: return "internal";
  }
}

int risk_rank(const ojson& risk) {
  return risk.is_string() ? hotspots::risk_rank(risk.get<std::string>()) : -1;
}

ojson value_or_null(const ojson& j, const char* key) {
  return j.is_object() && j.contains(key) ? j[key] : ojson(nullptr);
}

ojson summary_row(const Row& row, const Outcome& o, const fs::path& rows_dir) {
  ojson r;
  r["row"] = row.index;
  r["line"] = row.line;
  r["scan"] = row.scan;
  r["last"] = row.last;
  r["sock"] = row.sock.empty() ? ojson(nullptr) : ojson(row.sock);
  r["exit_code"] = o.signal ? 128 + o.signal : o.exit_code;
  r["status"] = "ok";
  r["error"] = nullptr;
  for (const char* k : {"foot_length_mm", "toe_allowance_mm", "worst_nerve", "worst_nerve_label", "worst_nerve_peak_mmhg",
                        "worst_nerve_risk", "hotspots", "top_change", "top_advice", "top_peak_mmhg_after", "no_change_needed",
                        "judged_on_fit"})
    r[k] = nullptr;
  r["seconds"] = std::round(o.seconds * 100) / 100;
  r["output"] = (fs::path("rows") / (row_name(row.index) + ".json")).string();

  auto fail = [&](const std::string& status, const std::string& message) {
    r["status"] = status;
    r["error"] = message;
  };
  // A row that did not run to its end has no output to read (its .err may say how far it got).
  if (!o.started || o.interrupted_by || o.timed_out_after_s > 0) r["output"] = nullptr;
  if (!o.started) {
    r["exit_code"] = nullptr;
    fail("not_run", "the batch was stopped by signal " + std::to_string(o.interrupted_by) + " before this row started");
    return r;
  }
  if (o.interrupted_by) {
    r["exit_code"] = 128 + o.interrupted_by;
    fail("interrupted", "the batch was stopped by signal " + std::to_string(o.interrupted_by) + " while this row ran");
    return r;
  }
  if (o.timed_out_after_s > 0) {
    r["exit_code"] = 124;  // as coreutils timeout
    fail("timeout", "stopped at the time limit, " + number_text(o.timed_out_after_s) + " s (--row-timeout-s)");
    return r;
  }
  if (!o.spawn_error.empty()) {
    r["exit_code"] = 5;
    fail("internal", o.spawn_error);
    return r;
  }
  const std::string err_text = read_file(rows_dir / (row_name(row.index) + ".err"));
  if (o.signal) {
    std::string m = "the check process was killed by signal " + std::to_string(o.signal);
    if (const char* d = strsignal(o.signal)) m += std::string(" (") + d + ")";
    const std::string l = last_line(err_text);
    fail("crashed", l.empty() ? m : m + ": " + l);
    return r;
  }
  ojson j;
  try {
    j = ojson::parse(read_file(rows_dir / (row_name(row.index) + ".json")));
  } catch (const std::exception&) {
    j = nullptr;
  }
  if (o.exit_code != 0) {
    if (j.is_object() && j.contains("error") && j["error"].is_object()) {
      fail(j["error"].value("code", std::string(status_for_exit(o.exit_code))), j["error"].value("message", last_line(err_text)));
    } else {
      const std::string l = last_line(err_text);
      fail(status_for_exit(o.exit_code), l.empty() ? "exit code " + std::to_string(o.exit_code) : l);
    }
    return r;
  }
  if (!j.is_object() || !j.contains("nerves")) {
    r["exit_code"] = 5;
    fail("internal", "the check process exited 0 but its JSON output (" + r["output"].get<std::string>() + ") is not a check report");
    return r;
  }
  r["foot_length_mm"] = value_or_null(j, "foot_length_mm");
  if (j.contains("fit")) r["toe_allowance_mm"] = value_or_null(j["fit"], "toe_allowance_mm");
  const ojson* worst = nullptr;
  for (const auto& n : j["nerves"]) {
    if (!n.is_object()) continue;
    if (!worst) {
      worst = &n;
      continue;
    }
    const int a = risk_rank(value_or_null(n, "risk")), b = risk_rank(value_or_null(*worst, "risk"));
    const double pa = n.value("peak_mmhg", 0.0), pb = worst->value("peak_mmhg", 0.0);
    if (a > b || (a == b && pa > pb)) worst = &n;
  }
  if (worst) {
    r["worst_nerve"] = value_or_null(*worst, "nerve");
    r["worst_nerve_label"] = value_or_null(*worst, "label");
    r["worst_nerve_peak_mmhg"] = value_or_null(*worst, "peak_mmhg");
    r["worst_nerve_risk"] = value_or_null(*worst, "risk");
  }
  if (j.contains("hotspots") && j["hotspots"].is_array()) r["hotspots"] = j["hotspots"].size();
  if (j.contains("recommendations") && j["recommendations"].is_array() && !j["recommendations"].empty()) {
    const auto& t = j["recommendations"][0];
    r["top_change"] = value_or_null(t, "change");
    r["top_advice"] = value_or_null(t, "advice");
    // The check writes it unrounded (its args reproduce it within 1 %); the summary's pressures have one decimal.
    ojson after = value_or_null(t, "peak_mmhg_after");
    if (after.is_number()) after = std::round(after.get<double>() * 10.0) / 10.0;
    r["top_peak_mmhg_after"] = after;
  }
  r["no_change_needed"] = value_or_null(j, "no_change_needed");
  r["judged_on_fit"] = value_or_null(j, "judged_on_fit");
  return r;
}

// ---- summary files ----------------------------------------------------------------------------------------------

std::string csv_cell(const ojson& v) {
  std::string s;
  if (v.is_null()) return s;
  s = v.is_string() ? v.get<std::string>() : json_text(v, -1);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_text(const ojson& rows) {
  static const char* columns[] = {"row", "line", "scan", "last", "sock", "exit_code", "status", "error", "foot_length_mm",
                                  "toe_allowance_mm", "worst_nerve", "worst_nerve_label", "worst_nerve_peak_mmhg",
                                  "worst_nerve_risk", "hotspots", "top_change", "top_advice", "top_peak_mmhg_after",
                                  "no_change_needed", "judged_on_fit", "seconds", "output"};
  std::string s;
  for (std::size_t c = 0; c < std::size(columns); ++c) {
    if (c) s += ',';  // (not "," + string: GCC 12's -Wrestrict misfires on that)
    s += columns[c];
  }
  s += "\n";
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < std::size(columns); ++c) {
      if (c) s += ',';
      s += csv_cell(r[columns[c]]);
    }
    s += "\n";
  }
  return s;
}

// ---- the command ------------------------------------------------------------------------------------------------

std::string fmt1(double v) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << v;
  return s.str();
}

void print_row(const ojson& r) {
  std::ostringstream s;
  s << "row " << r["row"].get<std::size_t>() << " " << r["status"].get<std::string>();
  if (r["status"] != "ok" && !r["exit_code"].is_null()) s << " (exit " << r["exit_code"].get<int>() << ")";
  s << ", " << fmt1(r["seconds"].get<double>()) << " s: " << fs::path(r["scan"].get<std::string>()).filename().string()
    << " in " << fs::path(r["last"].get<std::string>()).filename().string();
  if (!r["sock"].is_null()) s << " + " << fs::path(r["sock"].get<std::string>()).filename().string();
  if (r["status"] == "ok") {
    if (!r["worst_nerve"].is_null())
      s << ": worst nerve " << r["worst_nerve"].get<std::string>() << " " << json_text(r["worst_nerve_peak_mmhg"], -1) << " mmHg, risk "
        << r["worst_nerve_risk"].get<std::string>();
    if (!r["top_advice"].is_null()) s << "; " << r["top_advice"].get<std::string>();
  } else {
    s << ": " << r["error"].get<std::string>();
  }
  std::cout << s.str() << std::endl;  // flushed: cluster logs follow progress
}

int run_batch(const BatchArgs& a, const OutputFlags& out) {
  const Shard shard = parse_shard(a);  // usage errors first, before touching any file
  const std::vector<Row> all = read_manifest(a.manifest);
  // A --last-cache that is not a cache (a text file, a folder) fails every row the same way: refuse it once, here.
  if (!a.last_cache.empty()) catalog::open_cache(a.last_cache);
  std::vector<const Row*> mine;
  for (const Row& r : all)
    if (static_cast<long long>(r.index % static_cast<std::size_t>(shard.count)) == shard.index) mine.push_back(&r);

  const fs::path dir = a.out;
  const fs::path rows_dir = dir / "rows";
  std::error_code ec;
  fs::create_directories(rows_dir, ec);
  if (ec || !fs::is_directory(rows_dir))
    throw Error(ErrorCode::io, "batch", "cannot create output folder " + rows_dir.string() + (ec ? ": " + ec.message() : ""));

  const std::vector<std::string> opts = check_options(a);
  using clock = std::chrono::steady_clock;
  struct Running {
    std::size_t slot;
    clock::time_point t0;
    bool killed_for_time = false;
  };
  std::map<pid_t, Running> running;
  std::vector<ojson> results(mine.size());
  std::size_t next = 0;
  auto finish = [&](std::size_t slot, const Outcome& o) {
    results[slot] = summary_row(*mine[slot], o, rows_dir);
    if (!out.json) print_row(results[slot]);
  };
  // SIGTERM (a cluster stopping the job) or SIGINT: stop the running checks, report what finished, exit 128 + signal.
  // The handlers stay until the summary is written (a second signal meanwhile changes nothing).
  const StopSignals stop_signals;
  int stop_signal = 0;  // the signal, once seen
  struct KillLeftChildren {  // on an exception: no child outlives the batch
    std::map<pid_t, Running>& running;
    ~KillLeftChildren() {
      for (const auto& [pid, run] : running) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
  } kill_left{running};
  while (next < mine.size() || !running.empty()) {
    if (g_stop_signal && !stop_signal) {
      stop_signal = g_stop_signal;
      for (auto& [pid, run] : running) ::kill(pid, SIGTERM);
      for (; next < mine.size(); ++next) {
        Outcome o;
        o.started = false;
        o.interrupted_by = stop_signal;
        finish(next, o);
      }
    }
    while (!g_stop_signal && running.size() < static_cast<std::size_t>(a.jobs) && next < mine.size()) {
      const std::size_t slot = next++;
      std::string err;
      const auto t0 = clock::now();
      const pid_t pid = spawn_check(*mine[slot], opts, rows_dir, err);
      if (pid < 0) {
        Outcome o;
        o.spawn_error = err;
        finish(slot, o);
      } else {
        running[pid] = {slot, t0};
      }
    }
    if (running.empty()) continue;
    int status = 0;
    // Polled (every 20 ms) so that row time limits and stop signals are seen while children run.
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::internal, "batch", std::string("waitpid failed: ") + std::strerror(errno));
    }
    if (pid == 0) {
      if (a.row_timeout_s > 0)
        for (auto& [child, run] : running)
          if (!run.killed_for_time && std::chrono::duration<double>(clock::now() - run.t0).count() > a.row_timeout_s) {
            ::kill(child, SIGKILL);
            run.killed_for_time = true;
          }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    Outcome o;
    o.seconds = std::chrono::duration<double>(clock::now() - it->second.t0).count();
    if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    if (WIFSIGNALED(status) && it->second.killed_for_time) o.timed_out_after_s = a.row_timeout_s;
    // A child killed by a signal after the stop signal came (ours, or the terminal's to the whole process group).
    if (WIFSIGNALED(status) && g_stop_signal) o.interrupted_by = stop_signal ? stop_signal : g_stop_signal;
    const std::size_t slot = it->second.slot;
    running.erase(it);
    finish(slot, o);
  }

  ojson rows = ojson::array();
  std::size_t n_ok = 0;
  for (auto& r : results) {
    if (r["status"] == "ok") ++n_ok;
    rows.push_back(std::move(r));
  }
  ojson j;
  j["schema"] = "fitcheck.batch/0.1";
  j["manifest"] = a.manifest;
  j["out"] = a.out;
  j["check_options"] = opts;
  j["shard"] = {{"index", shard.index}, {"count", shard.count}};
  j["rows"] = rows;
  j["ok"] = n_ok;
  j["failed"] = rows.size() - n_ok;
  const std::string stem = shard.sharded ? "summary-shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count)
                                         : std::string("summary");
  write_text_file(dir / (stem + ".json"), json_text(j) + "\n", "batch");
  write_text_file(dir / (stem + ".csv"), csv_text(rows), "batch");
  if (out.json) {
    std::cout << json_text(j) << "\n";
  } else {
    std::cout << rows.size() << " row(s)";
    if (shard.sharded) std::cout << " (shard " << shard.index << "/" << shard.count << " of " << all.size() << ")";
    std::cout << ": " << n_ok << " ok, " << rows.size() - n_ok << " failed; summary in " << (dir / (stem + ".csv")).string()
              << " and " << (dir / (stem + ".json")).string() << "\n";
  }
  if (stop_signal) {
    std::cerr << "fitcheck batch: stopped by signal " << stop_signal << "; the summary lists what finished\n";
    return 128 + stop_signal;
  }
  // Every row ran and the summary is written; a failed row still fails the run (exit 1), so that a script or a
  // scheduler does not take a batch with failed rows for a clean one. The summary says which rows and why.
  return n_ok == rows.size() ? 0 : kExitRowsFailed;
}

}  // namespace

void add_batch_command(CLI::App& app, std::function<int()>& run, const OutputFlags& out) {
  auto a = std::make_shared<BatchArgs>();
  CLI::App* sub = app.add_subcommand("batch", "Run `check` on every row of a CSV manifest (scan,last[,sock]) in child "
                                              "processes; CSV and JSON summaries; shardable across a cluster");
  sub->add_option("manifest", a->manifest, "CSV manifest: scan,last[,sock] per row (header optional, # comments)")->required();
  sub->add_option("-o,--out", a->out, "Output folder (summary files and rows/ with each row's JSON and stderr)")
      ->check(folder_path())
      ->capture_default_str();
  sub->add_option("--jobs", a->jobs, "Checks run at once (child processes)")
      ->check(whole_number_in(1, 64))
      ->capture_default_str();
  sub->add_option("--shard", a->shard,
                  "Run only rows k with k % N == i: 'i/N' (0-based), or 'auto' (i from JOB_COMPLETION_INDEX or "
                  "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN)");
  a->shard_count_opt = sub->add_option("--shard-count", a->shard_count,
                                       "N for --shard auto (required with JOB_COMPLETION_INDEX; default "
                                       "SLURM_ARRAY_TASK_COUNT)")
                           ->check(whole_number_in(1, 1000000));
  a->run_minutes_opt = sub->add_option("--run-minutes", a->run_minutes, "Passed to check: run length, min")
                           ->check(number_in(0.0, 1440.0));
  sub->add_flag("--no-recommend", a->no_recommend, "Passed to check: skip the recommendations (faster)");
  a->max_file_mb_opt = sub->add_option("--max-file-mb", a->max_file_mb, "Passed to check: refuse files larger than this many MB")
                           ->check(number_in(0.001, 1e6));
  sub->add_option("--last-cache", a->last_cache,
                  "Passed to check: SQLite file of prepared lasts, so rows that share a last reuse it (rows running at "
                  "once may each prepare it before one stores it; rows with a sock alone do without it)")
      ->check(file_path())
      ->check(CLI::NonexistentPath | CLI::ExistingFile);
  sub->add_option("--row-timeout-s", a->row_timeout_s, "Stop a row's check after this many seconds (status timeout, exit "
                                                      "code 124); 0 = no limit")
      ->check(number_in(0.0, 86400.0))
      ->capture_default_str();
  sub->callback([&run, &out, a] { run = [a, &out] { return run_batch(*a, out); }; });
}

}  // namespace fitcheck::cli
