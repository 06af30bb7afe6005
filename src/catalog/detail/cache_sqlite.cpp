// Adapter: SQLite 3 for catalog's cache of prepared lasts.
#include <sqlite3.h>

#include "catalog/detail/cache.hpp"
#include "core/error.hpp"

namespace fitcheck::catalog::detail {

namespace {

constexpr const char* kTable = "fitcheck_prepared_last";

[[noreturn]] void fail(const std::string& path, const std::string& what, sqlite3* db) {
  throw Error(ErrorCode::io, "catalog",
              "last cache " + path + ": " + what + (db ? std::string(" (") + sqlite3_errmsg(db) + ")" : std::string()));
}

struct Statement {
  sqlite3_stmt* s = nullptr;
  ~Statement() { sqlite3_finalize(s); }
};

}  // namespace

struct Cache::Impl {
  std::string path, unusable;
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
};

Cache::Cache(const std::string& path) : impl_(std::make_unique<Impl>()) {
  Impl& I = *impl_;
  I.path = path;
  if (sqlite3_open_v2(path.c_str(), &I.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    fail(path, "cannot be opened or created", I.db);
  // Other processes (batch --jobs, kiosks sharing the file) may be writing: wait for them rather than fail.
  sqlite3_busy_timeout(I.db, 10000);
  // The first statement that reads the file tells a non-database apart ("file is not a database").
  {
    Statement st;
    if (sqlite3_prepare_v2(I.db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st.s, nullptr) != SQLITE_OK)
      fail(path, "is not a SQLite file (or is damaged)", I.db);
    bool ours = false, any = false;
    for (int rc; (rc = sqlite3_step(st.s)) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW) fail(path, "is not a SQLite file (or is damaged)", I.db);
      any = true;
      const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0));
      if (name && std::string(name) == kTable) ours = true;
    }
    if (any && !ours) fail(path, "is a SQLite file but not a fitcheck last cache (no table " + std::string(kTable) + ")", nullptr);
  }
  // WAL: readers do not wait for a writer. Best effort (a read-only file keeps its journal mode).
  I.exec("PRAGMA journal_mode = WAL");
  if (!I.exec("CREATE TABLE IF NOT EXISTS fitcheck_prepared_last (key TEXT PRIMARY KEY, source TEXT, "
              "stored TEXT DEFAULT CURRENT_TIMESTAMP, data BLOB NOT NULL)")) {
    // A read-only cache that has the table still serves reads.
    Statement st;
    if (sqlite3_prepare_v2(I.db, "SELECT 1 FROM fitcheck_prepared_last LIMIT 1", -1, &st.s, nullptr) != SQLITE_OK)
      I.unusable = std::string("cannot create its table (") + sqlite3_errmsg(I.db) + ")";
  }
}

Cache::~Cache() = default;

const std::string& Cache::unusable() const { return impl_->unusable; }

std::optional<std::vector<unsigned char>> Cache::get(const std::string& key) {
  Impl& I = *impl_;
  Statement st;
  if (sqlite3_prepare_v2(I.db, "SELECT data FROM fitcheck_prepared_last WHERE key = ?1", -1, &st.s, nullptr) != SQLITE_OK)
    fail(I.path, "cannot be read", I.db);
  sqlite3_bind_text(st.s, 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st.s);
  if (rc == SQLITE_DONE || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return std::nullopt;
  if (rc != SQLITE_ROW) fail(I.path, "cannot be read", I.db);
  const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st.s, 0));
  const int n = sqlite3_column_bytes(st.s, 0);
  if (!p || n <= 0) return std::vector<unsigned char>{};
  return std::vector<unsigned char>(p, p + n);
}

std::string Cache::put(const std::vector<Entry>& entries) {
  Impl& I = *impl_;
  if (entries.empty()) return {};
  auto why = [&](const char* what) { return std::string(what) + ": " + sqlite3_errmsg(I.db); };
  if (!I.exec("BEGIN IMMEDIATE")) return why("not stored");
  Statement st;
  if (sqlite3_prepare_v2(I.db, "INSERT OR REPLACE INTO fitcheck_prepared_last (key, source, data) VALUES (?1, ?2, ?3)", -1,
                         &st.s, nullptr) != SQLITE_OK) {
    const std::string w = why("not stored");
    I.exec("ROLLBACK");
    return w;
  }
  for (const auto& [key, source, blob] : entries) {
    sqlite3_reset(st.s);
    sqlite3_bind_text(st.s, 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st.s, 2, source.c_str(), static_cast<int>(source.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st.s, 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
      const std::string w = why("not stored");
      I.exec("ROLLBACK");
      return w;
    }
  }
  if (!I.exec("COMMIT")) {
    const std::string w = why("not stored");
    I.exec("ROLLBACK");
    return w;
  }
  return {};
}

std::size_t Cache::prune(const std::string& keep_prefix, int days) {
  Impl& I = *impl_;
  if (!I.unusable.empty()) return 0;
  // `stored` is CURRENT_TIMESTAMP text (UTC, "YYYY-MM-DD HH:MM:SS"), as datetime() returns: text order is time order.
  // The prefix is ASCII (format name and hex digits), so substr's characters are its bytes.
  const std::string where = " FROM fitcheck_prepared_last WHERE substr(key, 1, ?1) != ?2 AND stored < datetime('now', ?3)";
  std::string age = std::to_string(-days);  // a datetime() modifier: "-30 days"
  age += " days";
  auto run = [&](const std::string& sql, int want) {
    Statement st;
    if (sqlite3_prepare_v2(I.db, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) return false;
    sqlite3_bind_int(st.s, 1, static_cast<int>(keep_prefix.size()));
    sqlite3_bind_text(st.s, 2, keep_prefix.c_str(), static_cast<int>(keep_prefix.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st.s, 3, age.c_str(), static_cast<int>(age.size()), SQLITE_TRANSIENT);
    const int rc = sqlite3_step(st.s);
    return rc == want && (want != SQLITE_ROW || sqlite3_column_int(st.s, 0) != 0);
  };
  // Look first: a DELETE takes the write lock even when nothing matches, and would wait behind other writers.
  if (!run("SELECT EXISTS (SELECT 1" + where + ")", SQLITE_ROW)) return 0;
  if (!run("DELETE" + where, SQLITE_DONE)) return 0;
  return static_cast<std::size_t>(sqlite3_changes(I.db));
}

}  // namespace fitcheck::catalog::detail
