#include "services/common/audit_log.h"

#include <openssl/rand.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

using type::v1::AuditEvent;

constexpr char kColumns[] =
    "sequence, time_micros, actor, role, method, resource, request_id, change_digest, "
    "previous_hash, hash";

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

AuditEvent EventFromRow(const Row& row) {
  AuditEvent e;
  e.set_sequence(row.Int(0));
  *e.mutable_time() = ToProtoTimestamp(absl::FromUnixMicros(row.Int(1)));
  e.set_actor(row.Text(2));
  e.set_role(row.Text(3));
  e.set_method(row.Text(4));
  e.set_resource(row.Text(5));
  e.set_request_id(row.Text(6));
  e.set_change_digest(row.Text(7));
  e.set_previous_hash(row.Text(8));
  e.set_hash(row.Text(9));
  return e;
}

// The service's digest key, made on first use: 32 random bytes kept in the service's own
// database, so every replica of the service uses the same key and no reader of the log has it.
absl::StatusOr<std::string> AuditDigestKey(Transaction& tx) {
  THB_ASSIGN_OR_RETURN(std::vector<Row> rows,
                       tx.Query("SELECT secret FROM audit_digest_key WHERE id = 1"));
  if (!rows.empty()) return rows[0].Text(0);
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return absl::InternalError("no random bytes for the audit digest key");
  }
  THB_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO audit_digest_key (id, secret, create_time) VALUES (1, $1, $2)",
                 {Blob{key}, absl::FormatTime(absl::Now())}));
  return key;
}

// Audit and change-feed pages hold 100 events unless the caller asks otherwise.
constexpr int32_t kFeedPageSize = 100;

}  // namespace

std::string AuditEventHash(const AuditEvent& event) {
  const std::string sequence = absl::StrCat(event.sequence());
  const std::string micros = absl::StrCat(Micros(event.time()));
  std::string input;
  for (absl::string_view field :
       {absl::string_view(event.previous_hash()), absl::string_view(sequence),
        absl::string_view(micros), absl::string_view(event.actor()),
        absl::string_view(event.role()), absl::string_view(event.method()),
        absl::string_view(event.resource()), absl::string_view(event.request_id()),
        absl::string_view(event.change_digest())}) {
    absl::StrAppend(&input, field.size(), ":", field, ";");
  }
  return Sha256Hex(input);
}

absl::Status RecordMutation(Transaction& tx, const AuditActor& actor, absl::string_view method,
                            absl::string_view request_id, absl::string_view resource,
                            const google::protobuf::Message& response) {
  // Serialized once, deterministically: remembered for the request id and digested below.
  std::string bytes = SerializeDeterministically(response);
  const bool deleted = response.GetDescriptor()->full_name() == "google.protobuf.Empty";
  std::string digest;
  if (!deleted) {
    THB_ASSIGN_OR_RETURN(std::string key, AuditDigestKey(tx));
    digest = absl::StrCat(kKeyedDigestPrefix, HmacSha256Hex(key, bytes));
  }
  THB_RETURN_IF_ERROR(RememberSerializedResponse(tx, actor, method, request_id, std::move(bytes)));
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> last,
      tx.Query("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1"));
  AuditEvent event;
  event.set_sequence(last.empty() ? 1 : last[0].Int(0) + 1);
  event.set_previous_hash(last.empty() ? "" : last[0].Text(1));
  *event.mutable_time() = ToProtoTimestamp(absl::Now());
  event.set_actor(actor.subject);
  event.set_role(actor.role);
  event.set_method(actor.method.empty() ? std::string(method) : actor.method);
  event.set_resource(std::string(resource));
  event.set_request_id(std::string(request_id));
  event.set_change_digest(digest);
  event.set_hash(AuditEventHash(event));
  return tx
      .Execute(absl::StrCat("INSERT INTO audit_events (", kColumns,
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
               {event.sequence(), Micros(event.time()), event.actor(), event.role(), event.method(),
                event.resource(), event.request_id(), event.change_digest(), event.previous_hash(),
                event.hash()})
      .status();
}

absl::StatusOr<type::v1::ListAuditEventsResponse> AuditLog::List(
    const type::v1::ListAuditEventsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request, kFeedPageSize));
  const int32_t size = page.page_size;
  int64_t after = 0;
  if (!page.after.empty() && !absl::SimpleAtoi(page.after, &after)) {
    return InvalidField("page_token", "is not a token returned by this method");
  }
  type::v1::ListAuditEventsResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    // One row more than the page tells whether there is a next page.
    std::string sql = absl::StrCat("SELECT ", kColumns, " FROM audit_events WHERE sequence > $1");
    std::vector<Value> params = {after, int64_t{size} + 1};
    if (!request.resource().empty()) {
      absl::StrAppend(&sql,
                      " AND (resource = $3 OR substr(resource, 1, length(CAST($4 AS TEXT))) = $4)");
      params.emplace_back(request.resource());
      params.emplace_back(absl::StrCat(request.resource(), "/"));
    }
    absl::StrAppend(&sql, " ORDER BY sequence LIMIT $2");
    THB_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
    response.clear_audit_events();
    for (const Row& row : rows) {
      if (response.audit_events_size() == size) {
        response.set_next_page_token(
            page.Token(absl::StrCat(response.audit_events(size - 1).sequence())));
        break;
      }
      *response.add_audit_events() = EventFromRow(row);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<type::v1::AuditVerification> AuditLog::Verify(
    const type::v1::VerifyAuditChainRequest& request) {
  using type::v1::AuditChainProblem;
  const int64_t expected = request.expected_head_sequence();
  if (expected < 0) return InvalidField("expected_head_sequence", "must not be negative");
  // A hash is 64 lower-case hex digits, as Verify reports it: anything else is a monitor's
  // mistake to report as such, not a mismatch that reads as a rewritten history.
  const std::string& hash = request.expected_head_hash();
  if (!hash.empty() && (hash.size() != 64 || !std::all_of(hash.begin(), hash.end(), [](char c) {
                          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                        }))) {
    return InvalidField("expected_head_hash",
                        "must be 64 lower-case hex digits (a SHA-256 as reported by verify)");
  }
  if (expected == 0 && !request.expected_head_hash().empty()) {
    return InvalidField("expected_head_sequence", "is required with expected_head_hash");
  }
  type::v1::AuditVerification result;
  auto broken = [&result](int64_t sequence, AuditChainProblem problem, std::string detail) {
    result.set_first_broken_sequence(sequence);
    result.set_problem(problem);
    result.set_detail(std::move(detail));
  };
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    result.Clear();
    std::string previous_hash;
    int64_t previous_sequence = 0;
    return tx.ForEachRow(
        absl::StrCat("SELECT ", kColumns, " FROM audit_events ORDER BY sequence"), {},
        [&](const Row& row) -> absl::Status {
          AuditEvent event = EventFromRow(row);
          result.set_head_sequence(event.sequence());
          result.set_head_hash(event.hash());
          if (result.first_broken_sequence() != 0) return absl::OkStatus();
          result.set_events_checked(result.events_checked() + 1);
          if (event.sequence() != previous_sequence + 1) {
            broken(event.sequence(), type::v1::AUDIT_CHAIN_PROBLEM_MISSING_EVENTS,
                   absl::StrCat("event ", event.sequence(), " follows event ", previous_sequence,
                                ": events in between are missing"));
          } else if (event.previous_hash() != previous_hash) {
            broken(event.sequence(), type::v1::AUDIT_CHAIN_PROBLEM_UNLINKED,
                   absl::StrCat("event ", event.sequence(),
                                " does not name the hash of the event before it"));
          } else if (AuditEventHash(event) != event.hash()) {
            broken(event.sequence(), type::v1::AUDIT_CHAIN_PROBLEM_EDITED,
                   absl::StrCat("event ", event.sequence(),
                                " does not match its hash: its content was changed"));
          } else if (event.sequence() == expected && !request.expected_head_hash().empty() &&
                     event.hash() != request.expected_head_hash()) {
            broken(event.sequence(), type::v1::AUDIT_CHAIN_PROBLEM_HEAD_MISMATCH,
                   absl::StrCat("event ", event.sequence(),
                                " is not the expected head (its hash differs): the history up to "
                                "it was rewritten"));
          }
          previous_sequence = event.sequence();
          previous_hash = event.hash();
          return absl::OkStatus();
        });
  }));
  // Every stored event linked; a log that ends before the expected head lost its newest events.
  if (result.first_broken_sequence() == 0 && result.head_sequence() < expected) {
    broken(result.head_sequence() + 1, type::v1::AUDIT_CHAIN_PROBLEM_TRUNCATED,
           absl::StrCat("the log ends at event ", result.head_sequence(), " but event ", expected,
                        " was its head before: events ", result.head_sequence() + 1, " to ",
                        expected, " were deleted"));
  }
  result.set_intact(result.first_broken_sequence() == 0);
  return result;
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::EventsAfter(int64_t after, int limit) {
  std::vector<AuditEvent> events;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query(absl::StrCat("SELECT ", kColumns,
                              " FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2"),
                 {after, int64_t{limit}}));
    events.clear();
    for (const Row& row : rows) events.push_back(EventFromRow(row));
    return absl::OkStatus();
  }));
  return events;
}

absl::StatusOr<type::v1::ListChangesResponse> AuditLog::ListChanges(
    const type::v1::ListChangesRequest& request) {
  if (request.after_sequence() < 0) {
    return InvalidField("after_sequence", "must not be negative");
  }
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request.page_size(), "", "", kFeedPageSize));
  THB_ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                       EventsAfter(request.after_sequence(), page.page_size));
  type::v1::ListChangesResponse response;
  response.set_last_sequence(events.empty() ? request.after_sequence() : events.back().sequence());
  for (AuditEvent& e : events) *response.add_events() = std::move(e);
  return response;
}

}  // namespace thb
