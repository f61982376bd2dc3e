// A static check that an HTML page loads nothing from anywhere: used by the
// report tests on every rendered page.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace ember::report::samples {

inline std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// Snippets of `html` that reference or run something outside the page:
/// URLs with a scheme or protocol-relative, src/href attributes that are not
/// in-page fragments ("#id"), url(...) that is not a fragment, scripts,
/// @import, and elements that embed other documents or images.
inline std::vector<std::string> ExternalReferences(std::string_view html) {
  const std::string text = Lower(html);
  std::vector<std::string> found;
  const auto snippet = [&](size_t at) { return std::string(html.substr(at, 60)); };
  for (std::string_view bad :
       {"http://", "https://", "ftp://", "<script", "javascript:", "@import", "<link", "<img", "<iframe", "<object",
        "<embed", "<image", "<use", "<base", "<meta http-equiv", "@font-face"}) {
    for (size_t at = text.find(bad); at != std::string::npos; at = text.find(bad, at + 1)) found.push_back(snippet(at));
  }
  for (std::string_view attribute : {"src=", "href=", "srcset=", "action=", "poster=", "data="}) {
    for (size_t at = text.find(attribute); at != std::string::npos; at = text.find(attribute, at + 1)) {
      if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '-')) continue;
      size_t v = at + attribute.size();
      if (v < text.size() && (text[v] == '"' || text[v] == '\'')) ++v;
      if (v >= text.size() || text[v] != '#') found.push_back(snippet(at));
    }
  }
  for (size_t at = text.find("url("); at != std::string::npos; at = text.find("url(", at + 1)) {
    size_t v = at + 4;
    while (v < text.size() && (text[v] == ' ' || text[v] == '"' || text[v] == '\'')) ++v;
    if (v >= text.size() || text[v] != '#') found.push_back(snippet(at));
  }
  return found;
}

}  // namespace ember::report::samples
