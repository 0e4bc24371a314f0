#include "gateway/transcoder.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/json_printer.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/utf8.h"

namespace thb::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// INVALID_ARGUMENT naming the parameter in the message and in a google.rpc.BadRequest field
// violation. The name comes from the client: ill-formed UTF-8 in it is replaced.
absl::Status BadParameter(absl::string_view name, absl::string_view why) {
  const std::string printable = ToValidUtf8(name);
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(printable);
  violation->set_description(std::string(why));
  return WithDetail(
      absl::InvalidArgumentError(absl::StrCat("parameter \"", printable, "\": ", why)),
      bad_request);
}

// Finds a field by proto name or JSON name.
const FieldDescriptor* FindField(const google::protobuf::Descriptor* d, absl::string_view name) {
  std::string n(name);
  if (const FieldDescriptor* f = d->FindFieldByName(n)) return f;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->json_name() == n) return d->field(i);
  }
  return nullptr;
}

// Walks "a.b.c" to the message holding the last field, creating submessages on the way.
absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> ResolvePath(Message* root,
                                                                        absl::string_view path) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  Message* msg = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(msg->GetDescriptor(), parts[i]);
    if (f == nullptr) return BadParameter(path, "no such field");
    if (i + 1 == parts.size()) return std::make_pair(msg, f);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      return BadParameter(path, "only singular message fields can be traversed");
    }
    msg = msg->GetReflection()->MutableMessage(msg, f);
  }
  return BadParameter(path, "empty field path");
}

// Whether every name along `path` is a field (without touching a message).
bool NamesAField(const google::protobuf::Descriptor* d, absl::string_view path) {
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (d == nullptr) return false;
    const FieldDescriptor* f = FindField(d, part);
    if (f == nullptr) return false;
    d = f->message_type();
  }
  return true;
}

bool IsWellKnownScalarMessage(const google::protobuf::Descriptor* d) {
  const std::string& n = d->full_name();
  return n == "google.protobuf.Timestamp" || n == "google.protobuf.Duration" ||
         n == "google.protobuf.FieldMask" ||
         (absl::StartsWith(n, "google.protobuf.") && absl::EndsWith(n, "Value"));
}

// Sets (or, for repeated fields, appends) an integer given as text, through the reflection
// setter or adder of its type; `expected` says what the text must be.
template <typename T>
absl::Status SetInteger(Message* msg, const FieldDescriptor* f, absl::string_view name,
                        const std::string& text, absl::string_view expected,
                        void (Reflection::*set)(Message*, const FieldDescriptor*, T) const,
                        void (Reflection::*add)(Message*, const FieldDescriptor*, T) const) {
  T v;
  if (!absl::SimpleAtoi(text, &v)) return BadParameter(name, expected);
  (msg->GetReflection()->*(f->is_repeated() ? add : set))(msg, f, v);
  return absl::OkStatus();
}

// Sets (or, for repeated fields, appends) one value given as text.
absl::Status SetFromText(Message* msg, const FieldDescriptor* f, absl::string_view name,
                         const std::string& text) {
  const Reflection* r = msg->GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = text;
      if (f->type() == FieldDescriptor::TYPE_BYTES && !absl::Base64Unescape(text, &v) &&
          !absl::WebSafeBase64Unescape(text, &v)) {
        return BadParameter(name, "is not base64");
      }
      rep ? r->AddString(msg, f, v) : r->SetString(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32:
      return SetInteger<int32_t>(msg, f, name, text, "is not a 32-bit integer",
                                 &Reflection::SetInt32, &Reflection::AddInt32);
    case FieldDescriptor::CPPTYPE_INT64:
      return SetInteger<int64_t>(msg, f, name, text, "is not a 64-bit integer",
                                 &Reflection::SetInt64, &Reflection::AddInt64);
    case FieldDescriptor::CPPTYPE_UINT32:
      return SetInteger<uint32_t>(msg, f, name, text, "is not an unsigned integer",
                                  &Reflection::SetUInt32, &Reflection::AddUInt32);
    case FieldDescriptor::CPPTYPE_UINT64:
      return SetInteger<uint64_t>(msg, f, name, text, "is not an unsigned integer",
                                  &Reflection::SetUInt64, &Reflection::AddUInt64);
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(text, &v)) return BadParameter(name, "is not a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(msg, f, static_cast<float>(v))
            : r->SetFloat(msg, f, static_cast<float>(v));
      } else {
        rep ? r->AddDouble(msg, f, v) : r->SetDouble(msg, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(text, &v)) return BadParameter(name, "is not true or false");
      rep ? r->AddBool(msg, f, v) : r->SetBool(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = f->enum_type()->FindValueByName(text);
      int number;
      if (value == nullptr && absl::SimpleAtoi(text, &number)) {
        value = f->enum_type()->FindValueByNumber(number);
      }
      if (value == nullptr) {
        return BadParameter(name, absl::StrCat("is not a value of ", f->enum_type()->full_name()));
      }
      rep ? r->AddEnum(msg, f, value) : r->SetEnum(msg, f, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!IsWellKnownScalarMessage(f->message_type())) {
        return BadParameter(name, "a message cannot be given as one value; name its fields (a.b=)");
      }
      Message* sub = rep ? r->AddMessage(msg, f) : r->MutableMessage(msg, f);
      // Well-known types take their JSON form: Timestamp "2025-01-01T00:00:00Z", Duration "5s",
      // FieldMask "a,b", wrappers the plain value.
      std::string json = nlohmann::json(text).dump();
      const std::string& n = f->message_type()->full_name();
      if (n != "google.protobuf.Timestamp" && n != "google.protobuf.Duration" &&
          n != "google.protobuf.FieldMask" && n != "google.protobuf.StringValue" &&
          n != "google.protobuf.BytesValue") {
        json = text;  // numbers and booleans unquoted
      }
      auto st = google::protobuf::util::JsonStringToMessage(json, sub);
      if (!st.ok()) return BadParameter(name, st.message().as_string());
      return absl::OkStatus();
    }
  }
  return BadParameter(name, "unsupported field type");
}

bool QueryDecode(absl::string_view in, std::string* out) {
  std::string plus_as_space(in);
  for (char& c : plus_as_space) {
    if (c == '+') c = ' ';
  }
  return PercentDecode(plus_as_space, out);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Message>> BuildRequestMessage(
    const Route& route, const std::vector<PathBinding>& bindings, absl::string_view query,
    absl::string_view body, bool ignore_unknown_fields) {
  const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
      route.method->input_type());
  std::unique_ptr<Message> msg(prototype->New());
  google::protobuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = ignore_unknown_fields;
  parse_options.case_insensitive_enum_parsing = false;

  // 1. Body.
  Message* body_target = nullptr;
  if (!route.body.empty()) {
    if (route.body == "*") {
      body_target = msg.get();
    } else {
      const FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(route.body);
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
        return absl::UnimplementedError("body bound to a non-message field");
      }
      body_target = msg->GetReflection()->MutableMessage(msg.get(), f);
    }
    if (!IsValidUtf8(body)) return BadParameter("body", "request body is not valid UTF-8");
    if (!absl::StripAsciiWhitespace(body).empty()) {
      auto st = google::protobuf::util::JsonStringToMessage(std::string(body), body_target,
                                                            parse_options);
      if (!st.ok()) {
        // The parser's words name the JSON field; the violation names the request body.
        google::rpc::BadRequest bad_request;
        auto* violation = bad_request.add_field_violations();
        violation->set_field("body");
        violation->set_description(ToValidUtf8(st.message().as_string()));
        return WithDetail(
            absl::InvalidArgumentError(absl::StrCat("request body: ", violation->description())),
            bad_request);
      }
    }
  } else if (!absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(route.http_method, " ", route.path.text(), " takes no request body"));
  }

  // 2. Query parameters for fields not bound by the path or the body.
  if (!query.empty()) {
    for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      std::string key, value;
      if (!QueryDecode(kv.first, &key) || !QueryDecode(kv.second, &value)) {
        return BadParameter(pair, "query parameter is not percent-encoded correctly");
      }
      if (!IsValidUtf8(key)) return BadParameter(key, "query parameter name is not valid UTF-8");
      if (!IsValidUtf8(value)) return BadParameter(key, "query parameter value is not valid UTF-8");
      if (route.body == "*") {
        return BadParameter(key, "this method takes its parameters in the JSON body");
      }
      if (ignore_unknown_fields && !NamesAField(msg->GetDescriptor(), key)) continue;
      THB_ASSIGN_OR_RETURN(auto target, ResolvePath(msg.get(), key));
      if (!route.body.empty() && (key == route.body || absl::StartsWith(key, route.body + "."))) {
        return BadParameter(key, "is part of the request body");
      }
      THB_RETURN_IF_ERROR(SetFromText(target.first, target.second, key, value));
    }
  }

  // 3. Path variables win over anything the body said.
  for (const PathBinding& b : bindings) {
    THB_ASSIGN_OR_RETURN(auto target, ResolvePath(msg.get(), b.field_path));
    if (target.second->is_repeated() ||
        target.second->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      return absl::InternalError(
          absl::StrCat("path variable ", b.field_path, " is not a string field"));
    }
    if (!IsValidUtf8(b.value))
      return BadParameter(b.field_path, "path variable is not valid UTF-8");
    target.first->GetReflection()->SetString(target.first, target.second, b.value);
  }

  // 4. PATCH without update_mask: the fields present in the body are the ones to change.
  if (route.http_method == "PATCH" && body_target != nullptr && body_target != msg.get()) {
    const FieldDescriptor* mask_field = msg->GetDescriptor()->FindFieldByName("update_mask");
    if (mask_field != nullptr &&
        mask_field->message_type()->full_name() == "google.protobuf.FieldMask" &&
        !msg->GetReflection()->HasField(*msg, mask_field)) {
      nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
      if (parsed.is_object()) {
        auto* mask = static_cast<google::protobuf::FieldMask*>(
            msg->GetReflection()->MutableMessage(msg.get(), mask_field));
        for (const auto& [key, value] : parsed.items()) {
          const FieldDescriptor* f = FindField(body_target->GetDescriptor(), key);
          if (f != nullptr) mask->add_paths(f->name());
        }
      }
    }
  }
  return msg;
}

namespace {

// protobuf's printer: for what PrintJson leaves to it (Any, out-of-range well-known values).
absl::StatusOr<std::string> LibraryResponseToJson(const Route& route, const Message& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  std::string out;
  const Message* target = &response;
  const FieldDescriptor* field = nullptr;
  if (!route.response_body.empty()) {
    field = response.GetDescriptor()->FindFieldByName(route.response_body);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
      target = &response.GetReflection()->GetMessage(response, field);
      field = nullptr;
    } else {
      options.always_print_primitive_fields = true;  // a scalar or list body is never omitted
    }
  }
  auto st = google::protobuf::util::MessageToJsonString(*target, &out, options);
  if (!st.ok())
    return absl::InternalError(absl::StrCat("response to JSON: ", st.message().as_string()));
  if (field == nullptr) return out;
  // A scalar or repeated field as the body: its JSON value alone.
  nlohmann::json whole = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (whole.is_discarded() || !whole.contains(field->json_name())) return std::string("null");
  return whole[field->json_name()].dump();
}

}  // namespace

absl::StatusOr<std::string> ResponseToJson(const Route& route, const Message& response) {
  std::string out;
  bool printed;
  if (route.response_body.empty()) {
    printed = PrintJson(response, /*always_print_primitive_fields=*/false, &out);
  } else {
    const FieldDescriptor* field = response.GetDescriptor()->FindFieldByName(route.response_body);
    printed = PrintJsonField(response, field, &out);  // a scalar or list body is never omitted
  }
  if (printed) return out;
  return LibraryResponseToJson(route, response);
}

}  // namespace thb::gateway
