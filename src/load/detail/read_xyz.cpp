// Point lists: one point per line, "x y z [more columns]", separated by spaces, tabs or commas. Lines starting with
// '#' or '//' are comments (the freecad .asc starts with "# ASCII"); one leading non-numeric line is taken as a
// column header. Any later line that does not start with three numbers is an error naming the line.
#include <charconv>
#include <fstream>
#include <string>

#include "load/detail/readers.hpp"

namespace fitcheck::load::detail {

namespace {

// Parses up to three leading numbers; returns how many were read. std::from_chars accepts "nan" and "inf" too,
// which load.cpp then refuses with a clear message.
int parse_xyz(const std::string& line, double out[3]) {
  const char* s = line.data();
  const char* end = s + line.size();
  int n = 0;
  while (n < 3) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == ',' || *s == ';' || *s == '\r')) ++s;
    if (s >= end) break;
    if (*s == '+') ++s;
    auto [ptr, ec] = std::from_chars(s, end, out[n]);
    if (ec != std::errc() || ptr == s) break;
    s = ptr;
    ++n;
  }
  return n;
}

}  // namespace

Raw read_xyz(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p, "cannot be opened");
  Raw raw;
  raw.format = "xyz";
  std::string line;
  long long line_no = 0;
  bool header_allowed = true;
  while (std::getline(in, line)) {
    ++line_no;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line[first] == '#' || line.compare(first, 2, "//") == 0) continue;
    double v[3];
    const int n = parse_xyz(line, v);
    if (n == 3) {
      raw.geometry.vertices.emplace_back(v[0], v[1], v[2]);
      header_allowed = false;
      continue;
    }
    if (header_allowed && n == 0) {  // e.g. "x y z" column names
      header_allowed = false;
      continue;
    }
    std::string shown = line.substr(0, 60);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';  // binary garbage
    fail_io(p, "line " + std::to_string(line_no) + ": expected 'x y z', got '" + shown + "'");
  }
  if (raw.geometry.vertices.empty()) fail_io(p, "no 'x y z' lines: not a point list");
  return raw;
}

}  // namespace fitcheck::load::detail
