#include "services/common/idempotency.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

// Whose request ids these are, and what the request being served is.
struct Caller {
  std::string subject;
  std::string institution;
  std::string fingerprint;  // empty without a request (outside an RPC): not compared
};

// The caller `actor` is in the request-id store: token subject and institution ("internal"
// and "" for AuditActor::Internal()). The fingerprint covers the whole request, request_id
// included: the request_id is part of the key, so it is equal in any two requests compared
// here, and hashing the message as received avoids copying a large request (100,000
// statistics rows) to clear it.
Caller CallerOf(const AuditActor& actor) {
  if (actor.request != nullptr && actor.request_fingerprint.empty()) {
    actor.request_fingerprint = RequestFingerprint(*actor.request);
  }
  return {actor.subject, actor.institution, actor.request_fingerprint};
}

}  // namespace

std::string SerializeDeterministically(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  return Sha256Hex(SerializeDeterministically(request));
}

absl::StatusOr<bool> FindPriorResponse(Transaction& tx, const AuditActor& actor,
                                       absl::string_view method, absl::string_view request_id,
                                       google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  const Caller caller = CallerOf(actor);
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT fingerprint, response FROM request_ids WHERE subject = $1 AND "
               "institution = $2 AND method = $3 AND request_id = $4",
               {caller.subject, caller.institution, std::string(method), std::string(request_id)}));
  if (rows.empty()) return false;
  const std::string stored = rows[0].Text(0);
  if (!stored.empty() && !caller.fingerprint.empty() && stored != caller.fingerprint) {
    return InvalidField("request_id",
                        "was already used by this caller for a different request; a retry must "
                        "repeat the request unchanged, a new request needs a new request_id");
  }
  if (!response->ParseFromString(rows[0].Text(1))) {
    return absl::InternalError("stored idempotent response does not parse");
  }
  return true;
}

absl::StatusOr<bool> FindPriorResponseBeforeWrite(Database& db, const AuditActor& actor,
                                                  absl::string_view method,
                                                  absl::string_view request_id,
                                                  google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  bool found = false;
  THB_RETURN_IF_ERROR(db.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(found, FindPriorResponse(tx, actor, method, request_id, response));
    return absl::OkStatus();
  }));
  return found;
}

absl::Status RememberResponse(Transaction& tx, const AuditActor& actor, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& response) {
  if (request_id.empty()) return absl::OkStatus();
  return RememberSerializedResponse(tx, actor, method, request_id, response.SerializeAsString());
}

absl::Status RememberSerializedResponse(Transaction& tx, const AuditActor& actor,
                                        absl::string_view method, absl::string_view request_id,
                                        std::string response) {
  if (request_id.empty()) return absl::OkStatus();
  Caller caller = CallerOf(actor);
  return tx
      .Execute(
          "INSERT INTO request_ids (subject, institution, method, request_id, fingerprint, "
          "response, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {std::move(caller.subject), std::move(caller.institution), std::string(method),
           std::string(request_id), std::move(caller.fingerprint), Blob{std::move(response)},
           absl::FormatTime(absl::Now())})
      .status();
}

}  // namespace thb
