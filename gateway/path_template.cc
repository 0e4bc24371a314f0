#include "gateway/path_template.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"

namespace thb::gateway {
namespace {

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("path template \"", text, "\": ", why));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;  // '%' needs two hex digits after it
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  if (!absl::StartsWith(text, "/")) return Bad(text, "must start with '/'");
  absl::string_view rest = text.substr(1);
  // The verb is a ':' after the last '/' that is outside braces.
  size_t depth = 0, verb_pos = absl::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (rest[i] == '/' && depth == 0) verb_pos = absl::string_view::npos;
    if (rest[i] == ':' && depth == 0) verb_pos = i;
  }
  if (verb_pos != absl::string_view::npos) {
    t.verb_ = std::string(rest.substr(verb_pos + 1));
    rest = rest.substr(0, verb_pos);
    if (t.verb_.empty()) return Bad(text, "empty verb");
  }
  size_t i = 0;
  auto parse_plain = [&](absl::string_view token) -> absl::Status {
    if (token.empty()) return Bad(text, "empty segment");
    if (token == "*") {
      t.segments_.push_back({Segment::kSingle, ""});
    } else if (token == "**") {
      t.segments_.push_back({Segment::kMulti, ""});
    } else {
      if (absl::StrContains(token, "{") || absl::StrContains(token, "}") ||
          absl::StrContains(token, "*")) {
        return Bad(text, absl::StrCat("bad literal segment \"", token, "\""));
      }
      t.segments_.push_back({Segment::kLiteral, std::string(token)});
      ++t.literal_count_;
    }
    return absl::OkStatus();
  };
  while (i <= rest.size()) {
    if (i < rest.size() && rest[i] == '{') {
      size_t close = rest.find('}', i);
      if (close == absl::string_view::npos) return Bad(text, "unclosed '{'");
      absl::string_view inner = rest.substr(i + 1, close - i - 1);
      Variable var;
      size_t eq = inner.find('=');
      var.field_path = std::string(inner.substr(0, eq));
      if (var.field_path.empty()) return Bad(text, "variable without a field path");
      var.first_segment = t.segments_.size();
      if (eq == absl::string_view::npos) {
        t.segments_.push_back({Segment::kSingle, ""});
      } else {
        for (absl::string_view token : absl::StrSplit(inner.substr(eq + 1), '/')) {
          THB_RETURN_IF_ERROR(parse_plain(token));
        }
      }
      var.end_segment = t.segments_.size();
      t.variables_.push_back(std::move(var));
      i = close + 1;
    } else {
      size_t slash = rest.find('/', i);
      absl::string_view token =
          rest.substr(i, slash == absl::string_view::npos ? slash : slash - i);
      THB_RETURN_IF_ERROR(parse_plain(token));
      i = slash == absl::string_view::npos ? rest.size() : slash;
    }
    if (i >= rest.size()) break;
    if (rest[i] != '/') return Bad(text, "expected '/' after a variable");
    ++i;
  }
  for (size_t s = 0; s < t.segments_.size(); ++s) {
    if (t.segments_[s].kind == Segment::kMulti && s + 1 != t.segments_.size()) {
      return Bad(text, "'**' must be the last segment");
    }
  }
  return t;
}

bool PathTemplate::MatchFrom(const std::vector<std::string>& parts, size_t seg, size_t part,
                             absl::InlinedVector<size_t, 16>& seg_start) const {
  if (seg == segments_.size()) {
    seg_start[seg] = part;
    return part == parts.size();
  }
  seg_start[seg] = part;
  const Segment& s = segments_[seg];
  if (s.kind == Segment::kMulti) {
    seg_start[seg + 1] = parts.size();
    return true;  // '**' is last and takes the rest (possibly nothing)
  }
  if (part >= parts.size()) return false;
  if (s.kind == Segment::kLiteral && parts[part] != s.literal) return false;
  return MatchFrom(parts, seg + 1, part + 1, seg_start);
}

std::optional<RequestPath> RequestPath::Split(absl::string_view path) {
  if (!absl::StartsWith(path, "/")) return std::nullopt;
  absl::string_view rest = path.substr(1);
  const size_t last_slash = rest.rfind('/');
  const size_t colon = rest.find(':', last_slash == absl::string_view::npos ? 0 : last_slash);
  RequestPath out;
  if (colon != absl::string_view::npos) {
    out.verb = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  for (absl::string_view raw : absl::StrSplit(rest, '/')) {
    std::string decoded;
    if (!PercentDecode(raw, &decoded)) return std::nullopt;
    out.parts.push_back(std::move(decoded));
  }
  return out;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(absl::string_view path) const {
  std::optional<RequestPath> split = RequestPath::Split(path);
  if (!split) return std::nullopt;
  return Match(*split);
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(const RequestPath& path) const {
  // A template without a verb does not match a custom method of some other route.
  if (verb_.empty() ? path.verb.has_value() : path.verb != verb_) return std::nullopt;
  const std::vector<std::string>& parts = path.parts;
  absl::InlinedVector<size_t, 16> seg_start(segments_.size() + 1, 0);
  if (!MatchFrom(parts, 0, 0, seg_start)) return std::nullopt;
  std::vector<PathBinding> bindings;
  for (const Variable& v : variables_) {
    const size_t from = seg_start[v.first_segment];
    const size_t to = seg_start[v.end_segment];
    std::vector<absl::string_view> taken(parts.begin() + from, parts.begin() + to);
    std::string value = absl::StrJoin(taken, "/");
    if (value.empty()) return std::nullopt;
    bindings.push_back({v.field_path, std::move(value)});
  }
  return bindings;
}

namespace {

// "plans" -> "plan", "bodies" -> "body", "statisticsSubmissions" -> "statisticsSubmission".
std::string Singular(const std::string& collection) {
  if (absl::EndsWith(collection, "ies")) return collection.substr(0, collection.size() - 3) + "y";
  if (absl::EndsWith(collection, "s") && !absl::EndsWith(collection, "ss")) {
    return collection.substr(0, collection.size() - 1);
  }
  return collection + "Id";
}

}  // namespace

std::string PathTemplate::OpenApiPath(std::vector<OpenApiParameter>* parameters) const {
  std::string out;
  size_t var = 0;
  for (size_t i = 0; i < segments_.size(); ++i) {
    while (var < variables_.size() && variables_[var].end_segment <= i) ++var;
    const bool in_var = var < variables_.size() && variables_[var].first_segment <= i;
    const Segment& seg = segments_[i];
    out += "/";
    if (seg.kind == Segment::kLiteral) {
      out += seg.literal;
      continue;
    }
    OpenApiParameter p;
    p.field_path = in_var ? variables_[var].field_path : "";
    p.multi = seg.kind == Segment::kMulti;
    const bool whole = in_var && variables_[var].end_segment - variables_[var].first_segment == 1;
    if (whole || i == 0 || segments_[i - 1].kind != Segment::kLiteral) {
      p.name = p.field_path.empty() ? absl::StrCat("segment", i) : p.field_path;
    } else {
      p.name = Singular(segments_[i - 1].literal);
    }
    out += "{" + p.name + "}";
    parameters->push_back(std::move(p));
  }
  if (!verb_.empty()) out += ":" + verb_;
  return out;
}

}  // namespace thb::gateway
