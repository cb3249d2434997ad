#pragma once

// A small strict JSON reader that records the line of every value and accepts
// '#' comments outside strings (run.conf, host.conf, required_env_vars.json).
// nlohmann::json gives no positions; messages need "FILE:LINE:".

#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

struct JsonMember;

// One parsed JSON value with its line (1-based).
struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  int line = 0;
  bool boolean = false;
  double number = 0;
  bool integer = false; // the number had no fraction or exponent
  std::string string;   // text of a string
  std::vector<JsonValue> items;
  std::vector<JsonMember> members; // in file order, keys unique

  // "a string", "a number", "a boolean", "null", "a list", "an object": for messages.
  std::string_view type_name() const;
};

// One member of an object. A struct rather than std::pair, which needs a complete JsonValue.
struct JsonMember {
  std::string key;
  JsonValue value;
};

// Parses text; throws a config Error "FILE:LINE: invalid JSON: ..." on any error
// (including a duplicate key in one object).
JsonValue parse_jsonc(std::string_view text, const std::string& filename);

} // namespace dockerops::project
