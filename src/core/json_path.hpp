// Where a nlohmann::json parse is, for messages that name the key ("foot_profile[2].circumference_mm"), and the
// first key given twice in one object. Used as the parser callback of json::parse (the sock spec, glTF files).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace fitcheck {

/// Where the parser is, so that a number overflow (which nlohmann reports without a position) and syntax errors can
/// name the key: `json::parse(text, [&path](int, json::parse_event_t ev, json& v) { return path.on_event(ev, v); })`.
class JsonPath {
 public:
  bool on_event(nlohmann::json::parse_event_t ev, const nlohmann::json& parsed) {
    switch (ev) {
      case nlohmann::json::parse_event_t::object_start:
        stack_.push_back({false, 0, {}, {}});
        break;
      case nlohmann::json::parse_event_t::array_start:
        stack_.push_back({true, 0, {}, {}});
        break;
      case nlohmann::json::parse_event_t::key:
        stack_.back().key = parsed.get<std::string>();
        if (!stack_.back().keys.insert(stack_.back().key).second && duplicate_.empty()) duplicate_ = str();
        break;
      case nlohmann::json::parse_event_t::object_end:
      case nlohmann::json::parse_event_t::array_end:
        if (!stack_.empty()) stack_.pop_back();
        element_done();
        break;
      case nlohmann::json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  }
  std::string str() const {
    std::string s;
    for (const auto& f : stack_) {
      // Appended piece by piece: "[" + std::to_string(...) + "]" trips GCC 12's -Wrestrict once inlined.
      if (f.array) {
        s += '[';
        s += std::to_string(f.index);
        s += ']';
      } else {
        if (f.key.empty()) break;
        if (!s.empty()) s += '.';
        s += f.key;
      }
    }
    return s;
  }
  /// The path of the first key that appeared twice in one object ("" when none): JSON parsers keep one of the two
  /// values (nlohmann the last), so which was meant is unclear.
  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };
  std::string duplicate_;
  void element_done() {
    if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
  }
  std::vector<Frame> stack_;
};

}  // namespace fitcheck
