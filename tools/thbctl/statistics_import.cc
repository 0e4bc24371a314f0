#include "tools/thbctl/statistics_import.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"
#include "tools/thbctl/csv_reader.h"

namespace thb::ctl {
namespace {

namespace rv1 = thb::rapporteur::v1;

constexpr size_t kMaxProblemsShown = 100;

// Progress on stderr: a bar redrawn in place on a terminal, a line per step otherwise.
class Progress {
 public:
  Progress(std::ostream& err, bool bar, std::string what, int64_t total)
      : err_(err), bar_(bar), what_(std::move(what)), total_(total) {}
  void Update(int64_t done) {
    const int percent = total_ > 0 ? static_cast<int>(done * 100 / total_) : 100;
    if (bar_) {
      const int width = 30;
      const int filled = percent * width / 100;
      err_ << "\r" << what_ << " [" << std::string(filled, '#') << std::string(width - filled, ' ')
           << "] " << percent << "% " << done << "/" << total_ << " rows" << std::flush;
      if (done >= total_) err_ << "\n";
    } else if (percent / 10 != last_ / 10 || done >= total_) {
      err_ << what_ << ": " << done << "/" << total_ << " rows (" << percent << "%)\n";
    }
    last_ = percent;
  }

 private:
  std::ostream& err_;
  bool bar_;
  std::string what_;
  int64_t total_;
  int last_ = -1;
};

// The index in `rows` of a field violation "statistics_submission.rows[123].count", or -1.
int RowIndexOf(const std::string& field) {
  const size_t open = field.find("rows[");
  if (open == std::string::npos) return -1;
  const size_t close = field.find(']', open);
  int index = -1;
  if (close == std::string::npos ||
      !absl::SimpleAtoi(field.substr(open + 5, close - open - 5), &index)) {
    return -1;
  }
  return index;
}

struct Group {
  rv1::StatisticsSubmission submission;
  std::vector<int64_t> records;  // the file record of each row
  int64_t expected = 0;          // rows of this group in the file (pass 1)
};

// Reads the file again and calls `ready` with each group as soon as its last row is read.
absl::Status ForEachGroup(const ImportOptions& options, const StatisticsColumns& columns,
                          const std::map<GroupKey, int64_t>& sizes,
                          const std::function<bool(const GroupKey&, Group&)>& ready) {
  std::map<GroupKey, Group> open;
  std::vector<std::string> ignored;
  absl::Status read =
      ForEachRecord(options.file, [&](const std::vector<std::string>& fields, int64_t number) {
        if (number == 1) return true;
        std::optional<ParsedRow> parsed =
            ParseStatisticsRecord(columns, fields, number, options.defaults, &ignored);
        if (!parsed) return true;  // cannot happen: pass 1 found no bad row
        Group& g = open[parsed->group];
        if (g.records.empty()) {
          g.expected = sizes.at(parsed->group);
          g.submission.set_reporting_institution(parsed->group.institution);
          g.submission.mutable_period()->set_year(parsed->group.year);
          g.submission.mutable_period()->set_quarter(parsed->group.quarter);
        }
        *g.submission.add_rows() = std::move(parsed->row);
        g.records.push_back(number);
        if (static_cast<int64_t>(g.records.size()) == g.expected) {
          const GroupKey key = parsed->group;
          const bool go_on = ready(key, g);
          open.erase(key);
          if (!go_on) return false;
        }
        return true;
      });
  return read;
}

// Standard input, copied to a temporary file that the caller removes.
absl::StatusOr<std::string> SpoolStdin() {
  std::string path = (std::filesystem::temp_directory_path() / "thbctl-stdin-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return absl::UnavailableError("cannot create a temporary file for standard input");
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t n = ::read(0, buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0 || ::write(fd, buffer.data(), static_cast<size_t>(n)) != n) {
      ::close(fd);
      std::remove(path.c_str());
      return absl::UnavailableError("cannot copy standard input to a temporary file");
    }
  }
  ::close(fd);
  return path;
}

}  // namespace

int RunStatisticsImport(const Connection& rapporteur, const ImportOptions& given, std::ostream& out,
                        std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  // The file is read three times: standard input is first copied to a temporary file.
  ImportOptions options = given;
  std::unique_ptr<std::string, void (*)(std::string*)> spooled(nullptr, [](std::string* path) {
    std::remove(path->c_str());
    delete path;
  });
  if (options.file == "-") {
    absl::StatusOr<std::string> copy = SpoolStdin();
    if (!copy.ok()) {
      err << copy.status().message() << "\n";
      return 1;
    }
    spooled.reset(new std::string(*copy));
    options.file = *copy;
  }
  // 1. Every row, checked here.
  std::optional<StatisticsColumns> columns;
  std::vector<std::string> problems;
  std::map<GroupKey, int64_t> sizes;
  int64_t rows = 0;
  absl::Status read =
      ForEachRecord(options.file, [&](const std::vector<std::string>& fields, int64_t number) {
        if (number == 1) {
          absl::StatusOr<StatisticsColumns> header = ParseStatisticsHeader(fields);
          if (!header.ok()) {
            problems.emplace_back(header.status().message());
            return false;
          }
          columns = *header;
          return true;
        }
        ++rows;
        std::optional<ParsedRow> parsed =
            ParseStatisticsRecord(*columns, fields, number, options.defaults, &problems);
        if (parsed) ++sizes[parsed->group];
        return true;
      });
  if (!read.ok()) problems.emplace_back(read.message());
  if (problems.empty() && !columns) problems.emplace_back("row 1: the file is empty (no header)");
  if (problems.empty() && rows == 0) problems.emplace_back("the file has a header but no rows");
  for (const auto& [key, n] : sizes) {
    if (n > kMaxRowsPerSubmission) {
      problems.push_back(absl::StrCat(key.Label(), ": ", n, " rows; one submission holds at most ",
                                      kMaxRowsPerSubmission,
                                      " (split it by quarter or institution)"));
    }
  }
  if (!problems.empty()) {
    for (size_t i = 0; i < problems.size() && i < kMaxProblemsShown; ++i) {
      err << problems[i] << "\n";
    }
    if (problems.size() > kMaxProblemsShown) {
      err << "... and " << problems.size() - kMaxProblemsShown << " more problems\n";
    }
    err << "nothing was imported: " << problems.size() << " problem"
        << (problems.size() == 1 ? "" : "s") << " in " << options.file << "\n";
    return 2;
  }

  auto stub = rv1::RapporteurService::NewStub(OpenChannel(rapporteur));
  // The service's refusal of a group, with its field violations mapped back to file rows.
  auto report = [&](const GroupKey& key, const Group& g, const grpc::Status& s) {
    err << key.Label() << ": " << Describe(s) << "\n";
    // Describe printed the field violations; name the file rows of the ones about a row (read
    // from the details, never from the message text).
    std::set<int64_t> named;
    for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(s))) {
      const int index = RowIndexOf(v.field);
      if (index >= 0 && index < static_cast<int>(g.records.size())) {
        named.insert(g.records[index]);
      }
    }
    for (int64_t record : named) err << "  (file row " << record << ")\n";
  };

  // 2. Every submission, checked by the service before any is stored.
  Progress checking(err, options.progress_bar, "checking", rows);
  int64_t checked = 0;
  size_t groups_seen = 0;
  bool refused = false;
  absl::Status pass = ForEachGroup(options, *columns, sizes, [&](const GroupKey& key, Group& g) {
    rv1::CreateStatisticsSubmissionRequest request;
    *request.mutable_statistics_submission() = g.submission;
    request.set_validate_only(true);
    rv1::StatisticsSubmission preview;
    grpc::Status s =
        stub->CreateStatisticsSubmission(NewContext(rapporteur).get(), request, &preview);
    if (!s.ok()) {
      report(key, g, s);
      refused = true;
      return s.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
             s.error_code() == grpc::StatusCode::FAILED_PRECONDITION;  // check the others too
    }
    for (const auto& w : preview.warnings()) {
      err << key.Label() << ": warning " << w.code() << ": " << w.message() << "\n";
    }
    checked += static_cast<int64_t>(g.records.size());
    ++groups_seen;
    checking.Update(checked);
    return true;
  });
  if (pass.ok() && !refused && groups_seen != sizes.size()) {
    err << "the file changed while it was read; nothing was imported\n";
    return 1;
  }
  if (!pass.ok()) {
    err << pass.message() << "\n";
    return 1;
  }
  if (refused) {
    err << "nothing was imported: the service refused the submissions above\n";
    return 1;
  }
  if (options.dry_run) {
    out << "dry run: " << rows << " rows in " << sizes.size()
        << " submissions are valid; nothing was imported\n";
    return 0;
  }

  // 3. Each submission, stored; a request id derived from its content makes a re-run safe.
  Progress sending(err, options.progress_bar, "importing", rows);
  int64_t sent = 0;
  int64_t stored = 0;
  bool failed = false;
  pass = ForEachGroup(options, *columns, sizes, [&](const GroupKey& key, Group& g) {
    rv1::CreateStatisticsSubmissionRequest request;
    *request.mutable_statistics_submission() = g.submission;
    request.set_request_id(
        absl::StrCat("thbctl-", Sha256Hex(g.submission.SerializeAsString()).substr(0, 32)));
    rv1::StatisticsSubmission result;
    grpc::Status s =
        stub->CreateStatisticsSubmission(NewContext(rapporteur).get(), request, &result);
    if (!s.ok()) {
      report(key, g, s);
      failed = true;
      return false;
    }
    ++stored;
    out << result.name() << " " << key.Label() << " version " << result.version() << " ("
        << g.records.size() << " rows)\n";
    sent += static_cast<int64_t>(g.records.size());
    sending.Update(sent);
    return true;
  });
  if (pass.ok() && !failed && stored != static_cast<int64_t>(sizes.size())) {
    err << "the file changed while it was imported: " << stored << " of " << sizes.size()
        << " submissions were stored\n";
    return 1;
  }
  if (!pass.ok() || failed) {
    if (!pass.ok()) err << pass.message() << "\n";
    err << stored << " of " << sizes.size()
        << " submissions were stored before the failure; run the same command again to store "
           "the rest (the stored ones are not repeated)\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << absl::StrFormat("imported %d rows in %d submissions in %.1f s\n", rows, sizes.size(),
                         seconds);
  return 0;
}

}  // namespace thb::ctl
