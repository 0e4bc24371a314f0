#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/status.pb.h"

extern const unsigned char thb_descriptor_set[];
extern const std::size_t thb_descriptor_set_size;

namespace thb::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using json = nlohmann::json;

std::string Ref(const std::string& full_name) { return "#/components/schemas/" + full_name; }

class Builder {
 public:
  explicit Builder(absl::string_view descriptor_set) {
    google::protobuf::FileDescriptorSet set;
    if (set.ParseFromArray(descriptor_set.data(), static_cast<int>(descriptor_set.size()))) {
      for (const auto& file : set.file()) pool_.BuildFile(file);  // in order: imports come first
    }
  }

  json Document(const RouteTable& routes) {
    json paths = json::object();
    std::set<std::string> tags;
    for (const Route& route : routes.routes()) {
      std::vector<PathTemplate::OpenApiParameter> path_params;
      const std::string path = route.path.OpenApiPath(&path_params);
      const std::string verb = absl::AsciiStrToLower(route.http_method);
      const std::string service = route.method->service()->name();
      tags.insert(service);
      // Unique per operation: a method's additional bindings get _2, _3...
      std::string operation_id = absl::StrCat(service, "_", route.method->name());
      for (int n = 2; !operation_ids_.insert(operation_id).second; ++n) {
        operation_id = absl::StrCat(service, "_", route.method->name(), "_", n);
      }
      json op = {{"operationId", operation_id}, {"tags", {service}}};
      const std::string doc = Comment(route.method->full_name());
      if (!doc.empty()) {
        op["summary"] =
            std::string(absl::StripTrailingAsciiWhitespace(doc.substr(0, doc.find('\n'))));
        op["description"] = doc;
      }
      json parameters = json::array();
      std::set<std::string> bound;
      for (const auto& p : path_params) {
        bound.insert(p.field_path);
        json param = {
            {"name", p.name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}};
        param["description"] =
            p.multi ? absl::StrCat("The rest of `", p.field_path, "`, slashes included.")
                    : absl::StrCat("A segment of `", p.field_path, "`.");
        parameters.push_back(param);
      }
      const Descriptor* input = route.method->input_type();
      if (route.body != "*") {
        for (int i = 0; i < input->field_count(); ++i) {
          const FieldDescriptor* f = input->field(i);
          if (bound.count(f->name()) || f->name() == route.body) continue;
          AddQueryParameters(f, f->json_name(), 0, parameters);
        }
      }
      if (!parameters.empty()) op["parameters"] = parameters;
      if (!route.body.empty()) {
        const json schema = route.body == "*" ? json{{"$ref", Ref(Schema(input))}}
                                              : FieldSchema(input->FindFieldByName(route.body));
        op["requestBody"] = {{"required", true},
                             {"content", {{"application/json", {{"schema", schema}}}}}};
      }
      const Descriptor* output = route.method->output_type();
      json out_schema = route.response_body.empty()
                            ? json{{"$ref", Ref(Schema(output))}}
                            : FieldSchema(output->FindFieldByName(route.response_body));
      json ok = {{"description", route.method->server_streaming()
                                     ? "A stream of messages, one JSON object per line."
                                     : "OK"}};
      ok["content"]
        [route.method->server_streaming() ? "application/x-ndjson" : "application/json"] = {
            {"schema", out_schema}};
      op["responses"] = {{"200", ok},
                         {"4XX", {{"$ref", "#/components/responses/Error"}}},
                         {"5XX", {{"$ref", "#/components/responses/Error"}}}};
      paths[path][verb] = op;
    }
    Schema(google::rpc::Status::descriptor());  // the error body (its details are Any)
    json tag_list = json::array();
    for (const std::string& t : tags) {
      json tag = {{"name", t}};
      for (const char* pkg : {"thb.coordinator.v1.", "thb.commission.v1.", "thb.rapporteur.v1."}) {
        const std::string doc = Comment(pkg + t);
        if (!doc.empty()) tag["description"] = doc;
      }
      tag_list.push_back(tag);
    }
    return {
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "THB Suite API"},
          {"version", "v1"},
          {"summary",
           "National anti-trafficking architecture: Co-ordinator, Commission, Rapporteur."},
          {"description",
           "HTTP/JSON front of the THB Suite gRPC services, generated from their google.api.http "
           "annotations. JSON is proto3 JSON: lowerCamelCase, enums by name, 64-bit integers as "
           "strings. Errors are google.rpc.Status objects. Mutations take an optional requestId."},
          {"license", {{"name", "See the repository"}, {"identifier", "LicenseRef-THB-Suite"}}}}},
        {"servers", {{{"url", "/"}}}},
        {"security", {{{"bearerAuth", json::array()}}}},
        {"tags", tag_list},
        {"paths", paths},
        {"components",
         {{"schemas", schemas_},
          {"securitySchemes",
           {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}},
          {"responses",
           {{"Error",
             {{"description",
               "An error: the HTTP status follows the gRPC code (google/rpc/code.proto); the body "
               "is "
               "a google.rpc.Status with details such as google.rpc.BadRequest field violations."},
              {"content",
               {{"application/json", {{"schema", {{"$ref", Ref("google.rpc.Status")}}}}}}}}}}}}}};
  }

 private:
  std::string Comment(const std::string& full_name) {
    google::protobuf::SourceLocation loc;
    bool found = false;
    if (const auto* m = pool_.FindMethodByName(full_name))
      found = m->GetSourceLocation(&loc);
    else if (const auto* d = pool_.FindMessageTypeByName(full_name))
      found = d->GetSourceLocation(&loc);
    else if (const auto* e = pool_.FindEnumTypeByName(full_name))
      found = e->GetSourceLocation(&loc);
    else if (const auto* f = pool_.FindFieldByName(full_name))
      found = f->GetSourceLocation(&loc);
    else if (const auto* s = pool_.FindServiceByName(full_name))
      found = s->GetSourceLocation(&loc);
    if (!found) return "";
    std::vector<std::string> lines;
    for (absl::string_view l : absl::StrSplit(loc.leading_comments, '\n')) {
      lines.emplace_back(absl::StripAsciiWhitespace(l));
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return absl::StrJoin(lines, "\n");
  }

  void AddQueryParameters(const FieldDescriptor* f, const std::string& name, int depth, json& out) {
    if (f->message_type() != nullptr && !IsWellKnown(f->message_type()) && !f->is_map()) {
      if (depth >= 2 || f->is_repeated()) return;  // a.b.c at most; repeated messages need a body
      for (int i = 0; i < f->message_type()->field_count(); ++i) {
        const FieldDescriptor* sub = f->message_type()->field(i);
        AddQueryParameters(sub, name + "." + sub->json_name(), depth + 1, out);
      }
      return;
    }
    if (f->is_map()) return;
    json param = {{"name", name}, {"in", "query"}, {"schema", FieldSchema(f)}};
    const std::string doc = Comment(f->full_name());
    if (!doc.empty()) param["description"] = doc;
    if (f->is_repeated()) {
      param["style"] = "form";
      param["explode"] = true;
    }
    out.push_back(param);
  }

  static bool IsWellKnown(const Descriptor* d) {
    const std::string& n = d->full_name();
    return n == "google.protobuf.Timestamp" || n == "google.protobuf.Duration" ||
           n == "google.protobuf.FieldMask" || n == "google.protobuf.Empty" ||
           n == "google.protobuf.Any" || n == "google.protobuf.Struct" ||
           n == "google.protobuf.Value" ||
           (absl::StartsWith(n, "google.protobuf.") && absl::EndsWith(n, "Value"));
  }

  json ScalarSchema(const FieldDescriptor* f) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return {{"type", "integer"}, {"format", "int32"}};
      case FieldDescriptor::CPPTYPE_UINT32:
        return {{"type", "integer"}, {"format", "uint32"}};
      case FieldDescriptor::CPPTYPE_INT64:
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::CPPTYPE_UINT64:
        return {{"type", "string"}, {"format", "uint64"}};
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return {{"type", "number"}, {"format", "double"}};
      case FieldDescriptor::CPPTYPE_FLOAT:
        return {{"type", "number"}, {"format", "float"}};
      case FieldDescriptor::CPPTYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::CPPTYPE_ENUM:
        return {{"$ref", Ref(EnumSchema(f->enum_type()))}};
      case FieldDescriptor::CPPTYPE_STRING:
        if (f->type() == FieldDescriptor::TYPE_BYTES)
          return {{"type", "string"}, {"contentEncoding", "base64"}};
        return {{"type", "string"}};
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return {{"$ref", Ref(Schema(f->message_type()))}};
    }
    return json::object();
  }

  json FieldSchema(const FieldDescriptor* f) {
    if (f->is_map()) {
      return {{"type", "object"},
              {"additionalProperties", ScalarSchema(f->message_type()->map_value())}};
    }
    json item = ScalarSchema(f);
    if (f->is_repeated()) return {{"type", "array"}, {"items", item}};
    return item;
  }

  std::string EnumSchema(const EnumDescriptor* e) {
    if (schemas_.contains(e->full_name())) return e->full_name();
    json values = json::array();
    for (int i = 0; i < e->value_count(); ++i) values.push_back(e->value(i)->name());
    json s = {{"type", "string"}, {"enum", values}};
    std::string doc = Comment(e->full_name());
    if (!doc.empty()) s["description"] = doc;
    schemas_[e->full_name()] = s;
    return e->full_name();
  }

  std::string Schema(const Descriptor* d) {
    const std::string& name = d->full_name();
    if (schemas_.contains(name)) return name;
    if (name == "google.protobuf.Timestamp") {
      schemas_[name] = {{"type", "string"}, {"format", "date-time"}};
    } else if (name == "google.protobuf.Duration") {
      schemas_[name] = {{"type", "string"},
                        {"description", "Seconds with an s suffix, e.g. \"1.5s\"."}};
    } else if (name == "google.protobuf.FieldMask") {
      schemas_[name] = {{"type", "string"},
                        {"description", "Comma-separated lowerCamelCase field paths."}};
    } else if (name == "google.protobuf.Empty") {
      schemas_[name] = {{"type", "object"}};
    } else if (name == "google.protobuf.Any") {
      schemas_[name] = {{"type", "object"},
                        {"properties", {{"@type", {{"type", "string"}}}}},
                        {"additionalProperties", true}};
    } else if (IsWellKnown(d)) {
      schemas_[name] = {{"description", name}};  // wrappers and Struct: the plain JSON value
    } else {
      schemas_[name] = json::object();  // placeholder against recursion
      json props = json::object();
      for (int i = 0; i < d->field_count(); ++i) {
        const FieldDescriptor* f = d->field(i);
        json fs = FieldSchema(f);
        const std::string doc = Comment(f->full_name());
        if (!doc.empty()) fs["description"] = doc;
        props[f->json_name()] = fs;
      }
      json s = {{"type", "object"}, {"properties", props}};
      const std::string doc = Comment(name);
      if (!doc.empty()) s["description"] = doc;
      schemas_[name] = s;
    }
    return name;
  }

  google::protobuf::DescriptorPool pool_;
  json schemas_ = json::object();
  std::set<std::string> operation_ids_;
};

}  // namespace

absl::StatusOr<std::string> BuildOpenApi(const RouteTable& routes,
                                         absl::string_view descriptor_set) {
  Builder builder(descriptor_set);
  return builder.Document(routes).dump(1);
}

absl::string_view EmbeddedDescriptorSet() {
  return absl::string_view(reinterpret_cast<const char*>(thb_descriptor_set),
                           thb_descriptor_set_size);
}

}  // namespace thb::gateway
