#include "services/common/viewer.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"

namespace thb {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// What redaction must look at in one message type, worked out once per type: its restricted
// fields, and the message-typed fields through which more restricted fields can be reached.
struct RedactionShape {
  std::vector<const FieldDescriptor*> restricted;
  std::vector<const FieldDescriptor*> descend;
};

class ShapeCache {
 public:
  // The shape of `d`, or null when nothing restricted can be reached from it.
  const RedactionShape* Get(const Descriptor* d) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = shapes_.find(d);
      if (it != shapes_.end()) return it->second.get();
    }
    absl::MutexLock lock(&mu_);
    absl::flat_hash_set<const Descriptor*> visiting;
    return Compute(d, visiting);
  }

 private:
  const RedactionShape* Compute(const Descriptor* d,
                                absl::flat_hash_set<const Descriptor*>& visiting)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (auto it = shapes_.find(d); it != shapes_.end()) return it->second.get();
    // A recursive type (google.protobuf.Struct, say) holds nothing of ours: stop at the cycle.
    if (!visiting.insert(d).second) return nullptr;
    auto shape = std::make_unique<RedactionShape>();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (AudienceOf(*f) != nullptr) shape->restricted.push_back(f);
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
          Compute(f->message_type(), visiting) != nullptr) {
        shape->descend.push_back(f);
      }
    }
    visiting.erase(d);
    if (shape->restricted.empty() && shape->descend.empty()) shape.reset();
    const RedactionShape* out = shape.get();
    shapes_[d] = std::move(shape);
    return out;
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<RedactionShape>> shapes_
      ABSL_GUARDED_BY(mu_);
};

ShapeCache& Shapes() {
  static auto* cache = new ShapeCache();
  return *cache;
}

void Redact(const Viewer& viewer, Message* message) {
  const RedactionShape* shape = Shapes().Get(message->GetDescriptor());
  if (shape == nullptr) return;
  const auto* reflection = message->GetReflection();
  for (const FieldDescriptor* f : shape->restricted) {
    if (!viewer.MayRead(*message, *f)) reflection->ClearField(message, f);
  }
  for (const FieldDescriptor* f : shape->descend) {
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(*message, f);
      for (int i = 0; i < n; ++i) Redact(viewer, reflection->MutableRepeatedMessage(message, f, i));
    } else if (reflection->HasField(*message, f)) {
      Redact(viewer, reflection->MutableMessage(message, f));
    }
  }
}

}  // namespace

Viewer Viewer::Internal() {
  Principal internal;
  internal.authenticated = true;
  internal.subject = "internal";
  internal.roles = AllRoles();
  return Viewer(std::move(internal));
}

const type::v1::FieldAudience* AudienceOf(const FieldDescriptor& field) {
  const auto& options = field.options();
  if (!options.HasExtension(type::v1::audience)) return nullptr;
  return &options.GetExtension(type::v1::audience);
}

bool Viewer::MayRead(const Message& message, const FieldDescriptor& field) const {
  const type::v1::FieldAudience* audience = AudienceOf(field);
  if (audience == nullptr) return true;
  for (const std::string& role : audience->roles()) {
    if (principal_.HasRole(role)) return true;
  }
  if (!audience->public_when().empty()) {
    const FieldDescriptor* flag = message.GetDescriptor()->FindFieldByName(audience->public_when());
    if (flag != nullptr && flag->cpp_type() == FieldDescriptor::CPPTYPE_BOOL &&
        !flag->is_repeated() && message.GetReflection()->GetBool(message, flag)) {
      return true;
    }
  }
  return false;
}

void RedactForViewer(const Viewer& viewer, Message* message) {
  if (message != nullptr) Redact(viewer, message);
}

std::vector<const FieldDescriptor*> RestrictedFieldsUnder(const Descriptor* descriptor) {
  std::vector<const FieldDescriptor*> out;
  absl::flat_hash_set<const Descriptor*> seen;
  std::vector<const Descriptor*> stack = {descriptor};
  while (!stack.empty()) {
    const Descriptor* d = stack.back();
    stack.pop_back();
    if (!seen.insert(d).second) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (AudienceOf(*f) != nullptr) out.push_back(f);
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) stack.push_back(f->message_type());
    }
  }
  return out;
}

}  // namespace thb
