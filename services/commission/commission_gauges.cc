#include "services/commission/commission_gauges.h"

#include <map>

#include "services/commission/action_items.h"
#include "services/common/calendar.h"
#include "services/common/gauges.h"
#include "services/common/logging.h"
#include "services/common/status_macros.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {
std::vector<prometheus::MetricFamily> CommissionGauges::Collect() const {
  std::map<std::string, double> seats;
  for (int s = v1::SEAT_GOVERNMENT; s <= v1::SEAT_OBSERVER; ++s) seats[v1::Seat_Name(s)] = 0;
  double held = 0, open = 0, overdue = 0;
  const absl::CivilDay today = DayOf(clock_.Now());
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(std::vector<Row> members,
                         tx.Query("SELECT seat, COUNT(*) FROM members GROUP BY seat"));
    for (const Row& r : members)
      seats[v1::Seat_Name(static_cast<int>(r.Int(0)))] = static_cast<double>(r.Int(1));
    THB_ASSIGN_OR_RETURN(std::vector<Row> meetings,
                         tx.Query("SELECT COUNT(*) FROM meetings WHERE state = $1",
                                  {static_cast<int64_t>(v1::Meeting::STATE_HELD)}));
    held = static_cast<double>(meetings[0].Int(0));
    THB_ASSIGN_OR_RETURN(std::vector<Row> items,
                         tx.Query("SELECT data FROM action_items WHERE status = $1 OR status = $2",
                                  {static_cast<int64_t>(v1::ActionItem::STATUS_OPEN),
                                   static_cast<int64_t>(v1::ActionItem::STATUS_IN_PROGRESS)}));
    for (const Row& r : items) {
      v1::ActionItem item;
      if (!item.ParseFromString(r.Text(0)))
        return absl::DataLossError("stored action item does not parse");
      ++open;
      if (IsOverdue(item, today)) ++overdue;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) {
    Log(LogLevel::kWarning, "domain gauges unavailable", {{"error", std::string(s.message())}});
    return {};
  }
  auto by_seat =
      GaugeFamily("thb_commission_members", "Members of the Commission, by seat category.");
  for (const auto& [seat, n] : seats) AddGauge(by_seat, n, "seat", seat);
  auto meetings = GaugeFamily("thb_commission_meetings_held",
                              "Meetings of the Commission and its bodies that were held.");
  AddGauge(meetings, held);
  auto open_items =
      GaugeFamily("thb_commission_action_items_open", "Action items open or in progress.");
  AddGauge(open_items, open);
  auto overdue_items =
      GaugeFamily("thb_commission_action_items_overdue", "Open action items past their due date.");
  AddGauge(overdue_items, overdue);
  return {by_seat, meetings, open_items, overdue_items};
}

}  // namespace thb::commission
