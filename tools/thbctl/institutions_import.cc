#include "tools/thbctl/institutions_import.h"

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/iso_codes.h"
#include "services/common/resources.h"
#include "services/common/sha256.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"
#include "tools/thbctl/csv_reader.h"

namespace thb::ctl {
namespace {

namespace co = thb::coordinator::v1;
namespace tv1 = thb::type::v1;

}  // namespace

int RunInstitutionsImport(const Connection& coordinator, const std::string& file, bool dry_run,
                          std::ostream& out, std::ostream& err) {
  std::map<std::string, int> column;
  std::vector<std::string> problems;
  std::vector<co::CreateInstitutionRequest> requests;
  std::vector<int64_t> rows;            // the file row of each request
  std::map<std::string, int64_t> seen;  // id -> row
  absl::Status read = ForEachRecord(file, [&](const std::vector<std::string>& f, int64_t row) {
    auto bad = [&](absl::string_view field, absl::string_view why) {
      problems.push_back(absl::StrCat("row ", row, ": ", field, ": ", why));
    };
    if (row == 1) {
      absl::StatusOr<std::map<std::string, int>> header = HeaderColumns(
          f, {"id", "display_name", "sector", "kind", "parent", "region", "contact_email"});
      if (!header.ok()) {
        problems.emplace_back(header.status().message());
        return false;
      }
      column = *std::move(header);
      for (const char* required : {"id", "display_name", "sector", "kind"}) {
        if (!column.count(required)) {
          problems.push_back(absl::StrCat("row 1: column ", required, " is required"));
        }
      }
      return problems.empty();
    }
    auto get = [&](const std::string& name) -> std::string {
      auto it = column.find(name);
      if (it == column.end() || it->second >= static_cast<int>(f.size())) return "";
      return std::string(absl::StripAsciiWhitespace(f[it->second]));
    };
    co::CreateInstitutionRequest r;
    const std::string id = std::string(absl::StripPrefix(get("id"), "institutions/"));
    if (!IsValidResourceId(id)) {
      bad("id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
    } else if (seen.count(id)) {
      bad("id", absl::StrCat(id, " is already on row ", seen[id]));
    } else {
      seen[id] = row;
    }
    r.set_institution_id(id);
    co::Institution* inst = r.mutable_institution();
    inst->set_display_name(get("display_name"));
    if (inst->display_name().empty()) bad("display_name", "is required");
    if (auto v = ParseEnumCode(tv1::Sector_descriptor(), "SECTOR_", get("sector"))) {
      inst->set_sector(static_cast<tv1::Sector>(*v));
    } else {
      bad("sector", absl::StrCat("unknown code ", Shown(get("sector"))));
    }
    if (auto v =
            ParseEnumCode(co::InstitutionKind_descriptor(), "INSTITUTION_KIND_", get("kind"))) {
      inst->set_kind(static_cast<co::InstitutionKind>(*v));
    } else {
      bad("kind", absl::StrCat("unknown code ", Shown(get("kind"))));
    }
    const std::string parent = get("parent");
    if (!parent.empty()) {
      inst->set_parent(absl::StartsWith(parent, "institutions/")
                           ? parent
                           : absl::StrCat("institutions/", parent));
    }
    const std::string region = get("region");
    if (!region.empty() && !IsRegionCode(region)) bad("region", "is not an ISO 3166-2 code");
    inst->set_region(region);
    inst->set_contact_email(get("contact_email"));
    // The same row always makes the same request: a re-run is a retry.
    r.set_request_id(absl::StrCat("thbctl-", Sha256Hex(r.SerializeAsString()).substr(0, 32)));
    requests.push_back(std::move(r));
    rows.push_back(row);
    return true;
  });
  if (!read.ok()) problems.emplace_back(read.message());
  if (problems.empty() && requests.empty()) problems.emplace_back("the file has no institutions");
  if (!problems.empty()) {
    for (const std::string& p : problems) err << p << "\n";
    err << "nothing was imported\n";
    return 2;
  }
  auto stub = co::CoordinatorService::NewStub(OpenChannel(coordinator));
  // Parents: in the file (then created first; no cycles), or registered and active already.
  std::map<std::string, size_t> index;  // institutions/{id} -> request
  for (size_t i = 0; i < requests.size(); ++i) {
    index[absl::StrCat("institutions/", requests[i].institution_id())] = i;
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    const std::string& parent = requests[i].institution().parent();
    if (parent.empty() || index.count(parent)) continue;
    co::GetInstitutionRequest get;
    get.set_name(parent);
    co::Institution found;
    grpc::Status s = stub->GetInstitution(NewContext(coordinator).get(), get, &found);
    if (s.error_code() == grpc::StatusCode::NOT_FOUND ||
        s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      problems.push_back(absl::StrCat("row ", rows[i], ": parent: ", Shown(parent),
                                      " is neither in the file nor registered"));
    } else if (!s.ok()) {
      err << "checking " << parent << ": " << Describe(s) << "\n";
      return 1;
    } else if (found.state() != co::Institution::STATE_ACTIVE) {
      problems.push_back(absl::StrCat("row ", rows[i], ": parent: ", parent, " is archived"));
    }
  }
  // Parents before children, depth first; a row met again on its own path closes a cycle.
  std::vector<size_t> order;
  std::vector<int> mark(requests.size(), 0);  // 0 new, 1 on the path, 2 placed
  std::function<void(size_t)> place = [&](size_t i) {
    if (mark[i] == 2) return;
    if (mark[i] == 1) {
      problems.push_back(absl::StrCat("row ", rows[i], ": parent: institutions/",
                                      requests[i].institution_id(),
                                      " is its own ancestor (a cycle of parents)"));
      return;
    }
    mark[i] = 1;
    auto parent = index.find(requests[i].institution().parent());
    if (parent != index.end()) place(parent->second);
    mark[i] = 2;
    order.push_back(i);
  };
  for (size_t i = 0; i < requests.size(); ++i) place(i);
  if (!problems.empty()) {
    for (const std::string& p : problems) err << p << "\n";
    err << "nothing was imported\n";
    return 2;
  }
  if (dry_run) {
    out << "dry run: " << requests.size() << " institutions are valid; nothing was imported\n";
    return 0;
  }
  int created = 0, existing = 0;
  for (size_t i : order) {
    const co::CreateInstitutionRequest& r = requests[i];
    co::Institution result;
    grpc::Status s = stub->CreateInstitution(NewContext(coordinator).get(), r, &result);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++existing;
      out << "institutions/" << r.institution_id() << " exists already (left as it is)\n";
      continue;
    }
    if (!s.ok()) {
      err << "institutions/" << r.institution_id() << ": " << Describe(s) << "\n";
      err << created << " created before the failure; run the same command again to go on\n";
      return 1;
    }
    ++created;
    out << "stored " << result.name() << "\n";
  }
  out << created << " stored (a re-run answers the first result), " << existing
      << " existing under another caller's request\n";
  return 0;
}

}  // namespace thb::ctl
