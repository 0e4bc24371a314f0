// google.api.http path templates: parsing and matching.
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb::gateway {

struct PathBinding {
  std::string field_path;  // e.g. "institution.name"
  std::string value;       // e.g. "institutions/abc" (percent-decoded per segment)
};

// A request path split once for matching against many templates: its percent-decoded segments
// and the custom verb after a colon in the last segment, if any.
struct RequestPath {
  std::vector<std::string> parts;
  std::optional<std::string> verb;

  // nullopt when the path does not start with "/" or has a malformed escape.
  static std::optional<RequestPath> Split(absl::string_view path);
};

class PathTemplate {
 public:
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Bindings when `path` (no query string) matches; nullopt otherwise.
  std::optional<std::vector<PathBinding>> Match(absl::string_view path) const;
  std::optional<std::vector<PathBinding>> Match(const RequestPath& path) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // Literal segments count, used to prefer the most specific of several matching templates.
  int literal_count() const { return literal_count_; }

  // The template as an OpenAPI path, one parameter per wildcard segment: a variable's pattern
  // is expanded ("{name=plans/*/measures/*}" -> "plans/{plan}/measures/{measure}", named after
  // the collection before each "*"), so clients fill plain segments and never escape "/".
  struct OpenApiParameter {
    std::string name;        // e.g. "plan"
    std::string field_path;  // the request field the segment belongs to, e.g. "name"
    bool multi = false;      // "**": the rest of the path, "/" included
  };
  std::string OpenApiPath(std::vector<OpenApiParameter>* parameters) const;

 private:
  struct Segment {
    enum Kind { kLiteral, kSingle, kMulti } kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t first_segment;  // index into segments_
    size_t end_segment;    // one past the last
  };

  bool MatchFrom(const std::vector<std::string>& parts, size_t seg, size_t part,
                 absl::InlinedVector<size_t, 16>& seg_start) const;

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  int literal_count_ = 0;
};

// Decodes %XX escapes; false on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out);

}  // namespace thb::gateway
