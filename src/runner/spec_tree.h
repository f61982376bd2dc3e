// The spec as a JSON tree plus the YAML position of every node, so that
// checks made after parsing (and after --set overrides) still point at the
// line the user wrote. Scalars get YAML's plain-scalar types: unquoted
// 5 / 0.1 / true / null become numbers, booleans and null; quoted values
// stay strings.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ember::runner {

struct SpecPosition {
  int line = 0;  // 1-based; 0 for values set by an override
  int column = 0;
  std::string override_text;  // "--set a.b=c" when the value came from one
};

struct SpecTree {
  std::string file;  // for messages
  nlohmann::json root;
  std::map<std::string, SpecPosition> positions;  // JSON pointer -> where it was written

  /// Position of `pointer`, or of its closest ancestor that has one.
  SpecPosition PositionOf(const std::string& pointer) const;
  /// "file:line:column" or "--set x=y" for `pointer`.
  std::string Where(const std::string& pointer) const;
  /// Throws ParseError at `pointer`'s position with `what`.
  [[noreturn]] void Fail(const std::string& pointer, const std::string& what) const;
};

/// Replaces ${VAR} and ${VAR:-default} with environment values. Throws
/// ParseError (file, line, column) for an unset variable without default or
/// an unterminated reference. "$${" stands for a literal "${".
std::string SubstituteEnvironment(const std::string& text, const std::string& file);

/// Parses YAML text into a tree. Throws ParseError with YAML's position.
SpecTree ParseYamlTree(const std::string& text, const std::string& file);

/// Applies "dotted.path=value" (value parsed as a YAML scalar or flow
/// collection; list items addressed by index) to the tree. Throws
/// InvalidArgument naming the override when the path runs through a scalar or
/// a list index is out of range.
void ApplyOverride(SpecTree& tree, const std::string& assignment);

}  // namespace ember::runner
