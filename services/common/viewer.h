// Who is reading, and what of a message they may see. The dispatcher builds one Viewer per
// request from the verified token and hands it to the domain; every restricted field's audience
// is declared once in the contracts (thb.type.v1.audience, audience.proto), and
// RedactForViewer applies those declarations to whatever a service sends: unary responses,
// streamed messages, and the projections audit digests are computed over.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/common/auth.h"
#include "thb/type/v1/audience.pb.h"

namespace thb {

class Viewer {
 public:
  explicit Viewer(Principal principal) : principal_(std::move(principal)) {}
  // The public: no token.
  static Viewer Public() { return Viewer(Principal::Anonymous()); }
  // The service itself at work on behalf of a caller already authorized (e.g. reading what it
  // is about to update): holds every role.
  static Viewer Internal();

  const Principal& principal() const { return principal_; }
  bool authenticated() const { return principal_.authenticated; }
  const std::string& subject() const { return principal_.subject; }
  const std::string& institution() const { return principal_.institution; }
  bool HasRole(absl::string_view role) const { return principal_.HasRole(role); }

  // Whether this viewer may read `field` of `message` (true for unrestricted fields).
  bool MayRead(const google::protobuf::Message& message,
               const google::protobuf::FieldDescriptor& field) const;

 private:
  Principal principal_;
};

// Clears, in `message` and every message inside it, each restricted field `viewer` may not read.
void RedactForViewer(const Viewer& viewer, google::protobuf::Message* message);

// The declared audience of `field`, or null when the field is unrestricted.
const type::v1::FieldAudience* AudienceOf(const google::protobuf::FieldDescriptor& field);

// Every restricted field declared in the messages reachable from `descriptor` (itself, its
// fields' message types, recursively), in declaration order.
std::vector<const google::protobuf::FieldDescriptor*> RestrictedFieldsUnder(
    const google::protobuf::Descriptor* descriptor);

}  // namespace thb
