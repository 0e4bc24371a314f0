#include "tests/policy_matrix.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/api/annotations.pb.h"
#include "services/commission/commission_policy.h"
#include "services/common/viewer.h"
#include "services/coordinator/coordinator_policy.h"
#include "services/rapporteur/rapporteur_policy.h"
#include "thb/commission/v1/commission.pb.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::testing {

const std::vector<PolicedService>& SuiteServices() {
  static const auto* services = new std::vector<PolicedService>{
      {"coordinator", &coordinator::CoordinatorPolicy(),
       coordinator::v1::Institution::descriptor()->file()->FindServiceByName("CoordinatorService")},
      {"commission", &commission::CommissionPolicy(),
       commission::v1::Commission::descriptor()->file()->FindServiceByName("CommissionService")},
      {"rapporteur", &rapporteur::RapporteurPolicy(),
       rapporteur::v1::Report::descriptor()->file()->FindServiceByName("RapporteurService")},
  };
  return *services;
}

const std::vector<std::string>& MatrixCallers() {
  static const auto* callers = [] {
    auto* v = new std::vector<std::string>{"public"};
    v->insert(v->end(), AllRoles().begin(), AllRoles().end());
    return v;
  }();
  return *callers;
}

bool PolicyAllows(const PolicyTable& policy, const std::string& method, const std::string& caller) {
  Principal p;
  if (caller != "public") {
    p.authenticated = true;
    p.roles = {caller};
  }
  return policy.Authorize(method, p).ok();
}

std::string HttpVerb(const google::protobuf::MethodDescriptor& method) {
  const google::api::HttpRule& rule = method.options().GetExtension(google::api::http);
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return "get";
    case google::api::HttpRule::kPost:
      return "post";
    case google::api::HttpRule::kPatch:
      return "patch";
    case google::api::HttpRule::kPut:
      return "put";
    case google::api::HttpRule::kDelete:
      return "delete";
    default:
      return "";
  }
}

bool IsMutation(const google::protobuf::MethodDescriptor& method) {
  if (method.name() == "VerifyAuditChain" || method.name() == "QueryStatistics") return false;
  return HttpVerb(method) != "get";
}

std::string PolicyMatrixMarkdown() {
  std::string out;
  std::vector<std::string> header = {"RPC", "kind"};
  header.insert(header.end(), MatrixCallers().begin(), MatrixCallers().end());
  for (const PolicedService& service : SuiteServices()) {
    absl::StrAppend(&out, "### ", service.descriptor->full_name(), "\n\n| ",
                    absl::StrJoin(header, " | "), " |\n|",
                    absl::StrJoin(std::vector<std::string>(header.size(), "---"), "|"), "|\n");
    for (int i = 0; i < service.descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& m = *service.descriptor->method(i);
      std::vector<std::string> row = {m.name(), IsMutation(m) ? "change" : "read"};
      for (const std::string& caller : MatrixCallers()) {
        row.emplace_back(PolicyAllows(*service.policy, m.name(), caller) ? "✓" : "·");
      }
      absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
    }
    out += "\n";
  }
  return out;
}

std::optional<std::string> GeneratedBlock(const std::string& path, const std::string& begin,
                                          const std::string& end) {
  std::ifstream in(path);
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  const size_t from = text.find(begin + "\n");
  const size_t to = text.find(end);
  if (!in || from == std::string::npos || to == std::string::npos || to < from) return std::nullopt;
  return text.substr(from + begin.size() + 1, to - from - begin.size() - 1);
}

std::vector<RestrictedRpc> RpcsCarryingRestrictedFields() {
  std::vector<RestrictedRpc> out;
  for (const PolicedService& service : SuiteServices()) {
    for (int i = 0; i < service.descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* m = service.descriptor->method(i);
      std::vector<const google::protobuf::FieldDescriptor*> fields =
          RestrictedFieldsUnder(m->output_type());
      if (!fields.empty()) out.push_back({service.name, m, std::move(fields)});
    }
  }
  return out;
}

bool AudienceIncludes(const google::protobuf::FieldDescriptor& field, const std::string& caller) {
  const type::v1::FieldAudience* audience = AudienceOf(field);
  if (audience == nullptr) return true;
  for (const std::string& role : audience->roles()) {
    if (role == caller) return true;
  }
  return false;
}

std::string FieldAudienceMarkdown() {
  // Each restricted field once, with the RPCs that can carry it.
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  std::map<const google::protobuf::FieldDescriptor*, std::vector<std::string>> carried_by;
  for (const RestrictedRpc& rpc : RpcsCarryingRestrictedFields()) {
    for (const auto* f : rpc.fields) {
      if (carried_by[f].empty()) fields.push_back(f);
      carried_by[f].push_back(rpc.method->name());
    }
  }
  std::string out =
      "| field | readers | public when | why | RPCs whose responses carry it "
      "|\n|---|---|---|---|---|\n";
  for (const auto* f : fields) {
    const type::v1::FieldAudience& a = *AudienceOf(*f);
    absl::StrAppend(
        &out, "| `", f->full_name(), "` | ", absl::StrJoin(a.roles(), ", "), " | ",
        a.public_when().empty() ? "never" : absl::StrCat("`", a.public_when(), "` is true"), " | ",
        a.reason(), " | ", absl::StrJoin(carried_by[f], ", "), " |\n");
  }
  return out;
}

}  // namespace thb::testing
