#include "services/common/input_limits.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace thb {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsIdentifier(const FieldDescriptor* f) {
  const std::string& n = f->name();
  return n == "name" || n == "etag" || n == "page_token" || n == "filter" || n == "order_by" ||
         n == "parent" || absl::EndsWith(n, "_id") || (absl::EndsWith(n, "_name") && n != "display_name");
}

size_t StringLimit(const FieldDescriptor* f, const InputLimits& limits) {
  if (auto it = limits.field_limits.find(f->full_name()); it != limits.field_limits.end()) return it->second;
  return IsIdentifier(f) ? limits.max_identifier_bytes : limits.max_string_bytes;
}

size_t CountLimit(const FieldDescriptor* f, const InputLimits& limits) {
  if (auto it = limits.field_limits.find(f->full_name()); it != limits.field_limits.end()) return it->second;
  return limits.max_repeated;
}

void Check(const Message& m, const std::string& prefix, const InputLimits& limits, FieldViolations* v) {
  const auto* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      if (static_cast<size_t>(n) > CountLimit(f, limits)) {
        v->Add(path, absl::StrCat("has ", n, " entries; at most ", CountLimit(f, limits), " are accepted"));
        continue;  // not worth checking each of too many entries
      }
      for (int i = 0; i < n; ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          std::string scratch;
          const size_t size = r->GetRepeatedStringReference(m, f, i, &scratch).size();
          if (size > StringLimit(f, limits)) {
            v->Add(item, absl::StrCat("longer than ", StringLimit(f, limits), " bytes (", size, ")"));
          }
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          Check(r->GetRepeatedMessage(m, f, i), item, limits, v);
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      const size_t size = r->GetStringReference(m, f, &scratch).size();
      if (size > StringLimit(f, limits)) {
        v->Add(path, absl::StrCat("longer than ", StringLimit(f, limits), " bytes (", size, ")"));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Check(r->GetMessage(m, f), path, limits, v);
    }
  }
}

}  // namespace

const InputLimits& SuiteInputLimits() {
  static const InputLimits* limits = [] {
    auto* l = new InputLimits();
    l->field_limits["thb.rapporteur.v1.Report.content"] = 1024 * 1024;
    l->field_limits["thb.rapporteur.v1.StatisticsSubmission.rows"] = 100000;
    return l;
  }();
  return *limits;
}

void CheckInputLimits(const google::protobuf::Message& message, const InputLimits& limits,
                      FieldViolations* violations) {
  Check(message, "", limits, violations);
}

}  // namespace thb
