#include "gateway/json_printer.h"

#include <google/protobuf/descriptor.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace thb::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Valid range of Timestamp and Duration (google/protobuf/timestamp.proto, duration.proto).
constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z
constexpr int64_t kMaxDurationSeconds = 315576000000;

void AppendEscaped(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out->append("\\\"");
        continue;
      case '\\':
        out->append("\\\\");
        continue;
      case '\b':
        out->append("\\b");
        continue;
      case '\f':
        out->append("\\f");
        continue;
      case '\n':
        out->append("\\n");
        continue;
      case '\r':
        out->append("\\r");
        continue;
      case '\t':
        out->append("\\t");
        continue;
      case '<':
        out->append("\\u003c");
        continue;  // safe to embed in HTML, as protobuf prints
      case '>':
        out->append("\\u003e");
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out->append(buf);
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      // U+2028 and U+2029 end lines in JavaScript.
      out->append(static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029");
      i += 2;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// The shortest of %.15g / %.17g (doubles) or %.6g / %.9g (floats) that reads back exactly.
void AppendDouble(double v, std::string* out) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  out->append(buf);
}
void AppendFloat(float v, std::string* out) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(v));
  if (std::strtof(buf, nullptr) != v)
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  out->append(buf);
}
template <typename T>
bool AppendFinite(T v, std::string* out) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    return false;
  }
  return true;
}

// "." and 3, 6 or 9 digits, as few as the value needs; nothing for whole seconds.
void AppendNanos(int32_t nanos, std::string* out) {
  if (nanos == 0) return;
  char buf[16];
  if (nanos % 1000000 == 0) {
    std::snprintf(buf, sizeof buf, ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0) {
    std::snprintf(buf, sizeof buf, ".%06d", nanos / 1000);
  } else {
    std::snprintf(buf, sizeof buf, ".%09d", nanos);
  }
  out->append(buf);
}

class Printer {
 public:
  Printer(bool always_print_primitive_fields, std::string* out)
      : always_(always_print_primitive_fields), out_(out) {}

  bool PrintMessage(const Message& m) {
    const Descriptor* d = m.GetDescriptor();
    if (d->file()->name().rfind("google/protobuf/", 0) == 0) {
      const std::string& name = d->full_name();
      if (name == "google.protobuf.Timestamp") return PrintTimestamp(m);
      if (name == "google.protobuf.Duration") return PrintDuration(m);
      if (name == "google.protobuf.FieldMask") return PrintFieldMask(m);
      if (name == "google.protobuf.Struct") return PrintField(m, d->FindFieldByNumber(1));
      if (name == "google.protobuf.ListValue") return PrintField(m, d->FindFieldByNumber(1));
      if (name == "google.protobuf.Value") return PrintValue(m);
      if (name == "google.protobuf.Any") return false;
      if (IsWrapper(name)) return PrintSingular(m, d->FindFieldByNumber(1));
    }
    const Reflection* r = m.GetReflection();
    out_->push_back('{');
    bool first = true;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->is_repeated()) {
        if (r->FieldSize(m, f) == 0 && !always_) continue;
      } else if (!r->HasField(m, f) && (f->has_presence() || !always_)) {
        continue;
      }
      if (!first) out_->push_back(',');
      first = false;
      AppendEscaped(f->json_name(), out_);
      out_->push_back(':');
      if (!PrintField(m, f)) return false;
    }
    out_->push_back('}');
    return true;
  }

 private:
  static bool IsWrapper(const std::string& name) {
    return name == "google.protobuf.DoubleValue" || name == "google.protobuf.FloatValue" ||
           name == "google.protobuf.Int64Value" || name == "google.protobuf.UInt64Value" ||
           name == "google.protobuf.Int32Value" || name == "google.protobuf.UInt32Value" ||
           name == "google.protobuf.BoolValue" || name == "google.protobuf.StringValue" ||
           name == "google.protobuf.BytesValue";
  }

  // A whole field: a list, a map (as an object) or one value.
 public:
  bool PrintField(const Message& m, const FieldDescriptor* f) {
    if (!f->is_repeated()) return PrintSingular(m, f);
    const Reflection* r = m.GetReflection();
    const int n = r->FieldSize(m, f);
    if (f->is_map()) {
      const FieldDescriptor* key = f->message_type()->map_key();
      const FieldDescriptor* value = f->message_type()->map_value();
      out_->push_back('{');
      for (int i = 0; i < n; ++i) {
        if (i > 0) out_->push_back(',');
        const Message& entry = r->GetRepeatedMessage(m, f, i);
        AppendEscaped(MapKey(entry, key), out_);
        out_->push_back(':');
        if (!PrintSingular(entry, value)) return false;
      }
      out_->push_back('}');
      return true;
    }
    out_->push_back('[');
    for (int i = 0; i < n; ++i) {
      if (i > 0) out_->push_back(',');
      if (!PrintValue(m, f, i)) return false;
    }
    out_->push_back(']');
    return true;
  }

 private:
  static std::string MapKey(const Message& entry, const FieldDescriptor* key) {
    const Reflection* r = entry.GetReflection();
    switch (key->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return r->GetString(entry, key);
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->GetBool(entry, key) ? "true" : "false";
      case FieldDescriptor::CPPTYPE_INT32:
        return absl::StrCat(r->GetInt32(entry, key));
      case FieldDescriptor::CPPTYPE_INT64:
        return absl::StrCat(r->GetInt64(entry, key));
      case FieldDescriptor::CPPTYPE_UINT32:
        return absl::StrCat(r->GetUInt32(entry, key));
      case FieldDescriptor::CPPTYPE_UINT64:
        return absl::StrCat(r->GetUInt64(entry, key));
      default:
        return "";  // map keys are integral, bool or string
    }
  }

  bool PrintSingular(const Message& m, const FieldDescriptor* f) {
    return PrintValue(m, f, kSingular);
  }

  // One value of `f`: the field itself (index kSingular) or element `index` of a repeated field.
  static constexpr int kSingular = -1;
  bool PrintValue(const Message& m, const FieldDescriptor* f, int index) {
    const Reflection* r = m.GetReflection();
    auto get = [&](auto single, auto repeated) {
      return index == kSingular ? (r->*single)(m, f) : (r->*repeated)(m, f, index);
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(out_, get(&Reflection::GetInt32, &Reflection::GetRepeatedInt32));
        return true;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(out_, get(&Reflection::GetUInt32, &Reflection::GetRepeatedUInt32));
        return true;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(out_, "\"", get(&Reflection::GetInt64, &Reflection::GetRepeatedInt64),
                        "\"");
        return true;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(out_, "\"", get(&Reflection::GetUInt64, &Reflection::GetRepeatedUInt64),
                        "\"");
        return true;
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        const double v = get(&Reflection::GetDouble, &Reflection::GetRepeatedDouble);
        if (!AppendFinite(v, out_)) AppendDouble(v, out_);
        return true;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        const float v = get(&Reflection::GetFloat, &Reflection::GetRepeatedFloat);
        if (!AppendFinite(v, out_)) AppendFloat(v, out_);
        return true;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        out_->append(get(&Reflection::GetBool, &Reflection::GetRepeatedBool) ? "true" : "false");
        return true;
      case FieldDescriptor::CPPTYPE_ENUM:
        PrintEnum(f, get(&Reflection::GetEnumValue, &Reflection::GetRepeatedEnumValue));
        return true;
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        PrintString(f, index == kSingular ? r->GetStringReference(m, f, &scratch)
                                          : r->GetRepeatedStringReference(m, f, index, &scratch));
        return true;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return PrintMessage(index == kSingular ? r->GetMessage(m, f)
                                               : r->GetRepeatedMessage(m, f, index));
    }
    return false;
  }

  void PrintString(const FieldDescriptor* f, const std::string& v) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      absl::StrAppend(out_, "\"", absl::Base64Escape(v), "\"");
    } else {
      AppendEscaped(v, out_);
    }
  }

  void PrintEnum(const FieldDescriptor* f, int number) {
    if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
      out_->append("null");
      return;
    }
    const auto* value = f->enum_type()->FindValueByNumber(number);
    if (value == nullptr) {
      absl::StrAppend(out_, number);  // a value newer than this gateway's descriptors
    } else {
      AppendEscaped(value->name(), out_);
    }
  }

  static void SecondsAndNanos(const Message& m, int64_t* seconds, int32_t* nanos) {
    const Reflection* r = m.GetReflection();
    *seconds = r->GetInt64(m, m.GetDescriptor()->FindFieldByNumber(1));
    *nanos = r->GetInt32(m, m.GetDescriptor()->FindFieldByNumber(2));
  }

  bool PrintTimestamp(const Message& m) {
    int64_t seconds;
    int32_t nanos;
    SecondsAndNanos(m, &seconds, &nanos);
    if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds || nanos < 0 ||
        nanos > 999999999) {
      return false;
    }
    const absl::CivilSecond t =
        absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
    char buf[32];
    std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d", static_cast<int>(t.year()),
                  t.month(), t.day(), t.hour(), t.minute(), t.second());
    out_->append(buf);
    AppendNanos(nanos, out_);
    out_->append("Z\"");
    return true;
  }

  bool PrintDuration(const Message& m) {
    int64_t seconds;
    int32_t nanos;
    SecondsAndNanos(m, &seconds, &nanos);
    if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds || nanos < -999999999 ||
        nanos > 999999999 || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
      return false;
    }
    out_->push_back('"');
    if (seconds < 0 || nanos < 0) out_->push_back('-');
    absl::StrAppend(out_, seconds < 0 ? -seconds : seconds);
    AppendNanos(nanos < 0 ? -nanos : nanos, out_);
    out_->append("s\"");
    return true;
  }

  // Paths in lowerCamelCase joined by commas; a path that would not read back the same (an
  // upper-case letter, or "_" not followed by a lower-case letter) is left to protobuf.
  bool PrintFieldMask(const Message& m) {
    const Reflection* r = m.GetReflection();
    const FieldDescriptor* paths = m.GetDescriptor()->FindFieldByNumber(1);
    std::string joined;
    for (int i = 0; i < r->FieldSize(m, paths); ++i) {
      if (i > 0) joined.push_back(',');
      const std::string path = r->GetRepeatedString(m, paths, i);
      for (size_t j = 0; j < path.size(); ++j) {
        const char c = path[j];
        if (absl::ascii_isupper(c)) return false;
        if (c == '_') {
          if (j + 1 >= path.size() || !absl::ascii_islower(path[j + 1])) return false;
          joined.push_back(absl::ascii_toupper(path[++j]));
        } else {
          joined.push_back(c);
        }
      }
    }
    AppendEscaped(joined, out_);
    return true;
  }

  bool PrintValue(const Message& m) {
    const Reflection* r = m.GetReflection();
    const auto* kind = m.GetDescriptor()->FindOneofByName("kind");
    const FieldDescriptor* f = r->GetOneofFieldDescriptor(m, kind);
    if (f == nullptr) return false;  // protobuf rejects a Value with no kind
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE && !std::isfinite(r->GetDouble(m, f))) {
      return false;
    }
    return PrintSingular(m, f);
  }

  bool always_;
  std::string* out_;
};

}  // namespace

bool PrintJsonField(const google::protobuf::Message& message,
                    const google::protobuf::FieldDescriptor* field, std::string* out) {
  return Printer(false, out).PrintField(message, field);
}

bool PrintJson(const google::protobuf::Message& message, bool always_print_primitive_fields,
               std::string* out) {
  return Printer(always_print_primitive_fields, out).PrintMessage(message);
}

}  // namespace thb::gateway
