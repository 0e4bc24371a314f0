#include "services/commission/commission_tables.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/common/resources.h"

namespace thb::commission {
namespace {

// The consultation id of a submission named "consultations/{c}/submissions/{s}".
std::string ConsultationIdOf(const v1::Submission& s) {
  const std::vector<std::string> parts = absl::StrSplit(s.name(), '/');
  return parts.size() > 1 ? parts[1] : std::string();
}

}  // namespace

const ResourceTable<v1::Commission>& CommissionTable() {
  static const ResourceTable<v1::Commission> table("commission", "commission");
  return table;
}

const ResourceTable<v1::Member>& MemberTable() {
  static const ResourceTable<v1::Member> table(
      "members", "member",
      {{"institution", [](const v1::Member& m) { return Value(m.institution()); }},
       {"seat", [](const v1::Member& m) { return Value(int64_t{m.seat()}); }}});
  return table;
}

const ResourceTable<v1::Body>& BodyTable() {
  static const ResourceTable<v1::Body> table(
      "bodies", "body", {{"kind", [](const v1::Body& b) { return Value(int64_t{b.kind()}); }}});
  return table;
}

const ResourceTable<v1::Meeting>& MeetingTable() {
  static const ResourceTable<v1::Meeting> table(
      "meetings", "meeting",
      {{"body", [](const v1::Meeting& m) { return Value(m.body()); }},
       {"state", [](const v1::Meeting& m) { return Value(int64_t{m.state()}); }},
       {"start_time", [](const v1::Meeting& m) {
          return Value(FormatStoredTime(absl::FromUnixSeconds(m.start_time().seconds())));
        }}});
  return table;
}

const ResourceTable<v1::ActionItem>& ActionItemTable() {
  static const ResourceTable<v1::ActionItem> table(
      "action_items", "action item",
      {{"meeting", [](const v1::ActionItem& a) { return Value(a.meeting()); }},
       {"status", [](const v1::ActionItem& a) { return Value(int64_t{a.status()}); }}});
  return table;
}

const ResourceTable<v1::Consultation>& ConsultationTable() {
  static const ResourceTable<v1::Consultation> table(
      "consultations", "consultation",
      {{"plan", [](const v1::Consultation& c) { return Value(c.plan()); }}});
  return table;
}

const ResourceTable<v1::Submission>& SubmissionTable() {
  static const ResourceTable<v1::Submission> table(
      "submissions", "submission",
      {{"consultation", [](const v1::Submission& s) { return Value(ConsultationIdOf(s)); }}});
  return table;
}

}  // namespace thb::commission
