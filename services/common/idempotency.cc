#include "services/common/idempotency.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace thb {

absl::StatusOr<bool> FindPriorResponse(Transaction& tx, absl::string_view method,
                                       absl::string_view request_id,
                                       google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  absl::StatusOr<std::vector<Row>> rows =
      tx.Query("SELECT response FROM request_ids WHERE method = $1 AND request_id = $2",
               {std::string(method), std::string(request_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return false;
  if (!response->ParseFromString((*rows)[0].Text(0))) {
    return absl::InternalError("stored idempotent response does not parse");
  }
  return true;
}

absl::StatusOr<bool> FindPriorResponseBeforeWrite(Database& db, absl::string_view method,
                                                  absl::string_view request_id,
                                                  google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  bool found = false;
  absl::Status s = db.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior = FindPriorResponse(tx, method, request_id, response);
    if (!prior.ok()) return prior.status();
    found = *prior;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return found;
}

absl::Status RememberResponse(Transaction& tx, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& response) {
  if (request_id.empty()) return absl::OkStatus();
  return RememberSerializedResponse(tx, method, request_id, response.SerializeAsString());
}

absl::Status RememberSerializedResponse(Transaction& tx, absl::string_view method,
                                        absl::string_view request_id, std::string response) {
  if (request_id.empty()) return absl::OkStatus();
  return tx
      .Execute("INSERT INTO request_ids (method, request_id, response, create_time) "
               "VALUES ($1, $2, $3, $4)",
               {std::string(method), std::string(request_id), Blob{std::move(response)},
                absl::FormatTime(absl::Now())})
      .status();
}

}  // namespace thb
