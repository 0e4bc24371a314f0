// Where the Commission keeps its resources: one ResourceTable per versioned table of
// commission_schema.cc, with the index columns its lists and checks read. (Status reports, an
// append-only history without versions, are written by commission_bodies.cc itself.)
#pragma once

#include "services/common/resource_table.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

// The Commission singleton: one row, id "commission".
const ResourceTable<v1::Commission>& CommissionTable();
const ResourceTable<v1::Member>& MemberTable();
const ResourceTable<v1::Body>& BodyTable();
const ResourceTable<v1::Meeting>& MeetingTable();
const ResourceTable<v1::ActionItem>& ActionItemTable();
const ResourceTable<v1::Consultation>& ConsultationTable();
// Row ids are "<consultation id>/<submission id>".
const ResourceTable<v1::Submission>& SubmissionTable();

}  // namespace thb::commission
