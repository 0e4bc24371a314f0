// gRPC adapter of thb.commission.v1.CommissionService over the shared dispatcher.
// The audit log and change-feed RPCs come from AuditRpcs, the same on every service.
#pragma once

#include "services/commission/action_items.h"
#include "services/commission/commission_bodies.h"
#include "services/commission/commission_charter.h"
#include "services/commission/consultations.h"
#include "services/commission/meetings.h"
#include "services/commission/member_roster.h"
#include "services/common/audit_rpcs.h"
#include "services/common/rpc_dispatcher.h"
#include "thb/commission/v1/commission.grpc.pb.h"

namespace thb::commission {

class CommissionHandler final : public AuditRpcs<v1::CommissionService::CallbackService> {
 public:
  CommissionHandler(const RpcDispatcher& dispatcher, AuditLog& audit, CommitSignal& commits,
                    CommissionCharter& charter, MemberRoster& members, Meetings& meetings,
                    ActionItems& action_items, Consultations& consultations,
                    CommissionBodies& bodies)
      : AuditRpcs(dispatcher, audit, commits),
        dispatcher_(dispatcher),
        charter_(charter),
        members_(members),
        meetings_(meetings),
        action_items_(action_items),
        consultations_(consultations),
        bodies_(bodies) {}
  grpc::ServerUnaryReactor* CreateBody(grpc::CallbackServerContext* ctx,
                                       const v1::CreateBodyRequest* request,
                                       v1::Body* response) override;
  grpc::ServerUnaryReactor* GetBody(grpc::CallbackServerContext* ctx,
                                    const v1::GetBodyRequest* request, v1::Body* response) override;
  grpc::ServerUnaryReactor* ListBodies(grpc::CallbackServerContext* ctx,
                                       const v1::ListBodiesRequest* request,
                                       v1::ListBodiesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateBody(grpc::CallbackServerContext* ctx,
                                       const v1::UpdateBodyRequest* request,
                                       v1::Body* response) override;
  grpc::ServerUnaryReactor* CreateStatusReport(grpc::CallbackServerContext* ctx,
                                               const v1::CreateStatusReportRequest* request,
                                               v1::StatusReport* response) override;
  grpc::ServerUnaryReactor* ListStatusReports(grpc::CallbackServerContext* ctx,
                                              const v1::ListStatusReportsRequest* request,
                                              v1::ListStatusReportsResponse* response) override;
  grpc::ServerUnaryReactor* CreateConsultation(grpc::CallbackServerContext* ctx,
                                               const v1::CreateConsultationRequest* request,
                                               v1::Consultation* response) override;
  grpc::ServerUnaryReactor* GetConsultation(grpc::CallbackServerContext* ctx,
                                            const v1::GetConsultationRequest* request,
                                            v1::Consultation* response) override;
  grpc::ServerUnaryReactor* ListConsultations(grpc::CallbackServerContext* ctx,
                                              const v1::ListConsultationsRequest* request,
                                              v1::ListConsultationsResponse* response) override;
  grpc::ServerUnaryReactor* CreateSubmission(grpc::CallbackServerContext* ctx,
                                             const v1::CreateSubmissionRequest* request,
                                             v1::Submission* response) override;
  grpc::ServerUnaryReactor* GetSubmission(grpc::CallbackServerContext* ctx,
                                          const v1::GetSubmissionRequest* request,
                                          v1::Submission* response) override;
  grpc::ServerUnaryReactor* ListSubmissions(grpc::CallbackServerContext* ctx,
                                            const v1::ListSubmissionsRequest* request,
                                            v1::ListSubmissionsResponse* response) override;
  grpc::ServerUnaryReactor* RespondToSubmission(grpc::CallbackServerContext* ctx,
                                                const v1::RespondToSubmissionRequest* request,
                                                v1::Submission* response) override;
  grpc::ServerUnaryReactor* CreateMeeting(grpc::CallbackServerContext* ctx,
                                          const v1::CreateMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* GetMeeting(grpc::CallbackServerContext* ctx,
                                       const v1::GetMeetingRequest* request,
                                       v1::Meeting* response) override;
  grpc::ServerUnaryReactor* ListMeetings(grpc::CallbackServerContext* ctx,
                                         const v1::ListMeetingsRequest* request,
                                         v1::ListMeetingsResponse* response) override;
  grpc::ServerUnaryReactor* CancelMeeting(grpc::CallbackServerContext* ctx,
                                          const v1::CancelMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* RecordMeetingOutcome(grpc::CallbackServerContext* ctx,
                                                 const v1::RecordMeetingOutcomeRequest* request,
                                                 v1::Meeting* response) override;
  grpc::ServerUnaryReactor* GetActionItem(grpc::CallbackServerContext* ctx,
                                          const v1::GetActionItemRequest* request,
                                          v1::ActionItem* response) override;
  grpc::ServerUnaryReactor* ListActionItems(grpc::CallbackServerContext* ctx,
                                            const v1::ListActionItemsRequest* request,
                                            v1::ListActionItemsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeCadence(grpc::CallbackServerContext* ctx,
                                           const v1::AnalyzeCadenceRequest* request,
                                           v1::CadenceAnalysis* response) override;
  grpc::ServerUnaryReactor* AnalyzeParticipation(grpc::CallbackServerContext* ctx,
                                                 const v1::AnalyzeParticipationRequest* request,
                                                 v1::ParticipationAnalysis* response) override;

  grpc::ServerUnaryReactor* GetCommission(grpc::CallbackServerContext* ctx,
                                          const v1::GetCommissionRequest* request,
                                          v1::Commission* response) override;
  grpc::ServerUnaryReactor* UpdateCommission(grpc::CallbackServerContext* ctx,
                                             const v1::UpdateCommissionRequest* request,
                                             v1::Commission* response) override;
  grpc::ServerUnaryReactor* UpdateMember(grpc::CallbackServerContext* ctx,
                                         const v1::UpdateMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* DeleteMember(grpc::CallbackServerContext* ctx,
                                         const v1::DeleteMemberRequest* request,
                                         google::protobuf::Empty* response) override;

  grpc::ServerUnaryReactor* CreateMember(grpc::CallbackServerContext* ctx,
                                         const v1::CreateMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* ctx,
                                      const v1::GetMemberRequest* request,
                                      v1::Member* response) override;
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* ctx,
                                        const v1::ListMembersRequest* request,
                                        v1::ListMembersResponse* response) override;

  grpc::ServerUnaryReactor* UpdateMeeting(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* CreateActionItem(grpc::CallbackServerContext* ctx,
                                             const v1::CreateActionItemRequest* request,
                                             v1::ActionItem* response) override;
  grpc::ServerUnaryReactor* UpdateActionItem(grpc::CallbackServerContext* ctx,
                                             const v1::UpdateActionItemRequest* request,
                                             v1::ActionItem* response) override;
  grpc::ServerUnaryReactor* UpdateConsultation(grpc::CallbackServerContext* ctx,
                                               const v1::UpdateConsultationRequest* request,
                                               v1::Consultation* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  CommissionCharter& charter_;
  MemberRoster& members_;
  Meetings& meetings_;
  ActionItems& action_items_;
  Consultations& consultations_;
  CommissionBodies& bodies_;
};

}  // namespace thb::commission
