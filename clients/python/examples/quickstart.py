import datetime
import os

import grpc
import thb_client
from thb.coordinator.v1 import coordinator_pb2 as co, coordinator_pb2_grpc as co_grpc
from thb.rapporteur.v1 import rapporteur_pb2 as ra, rapporteur_pb2_grpc as ra_grpc
from thb.type.v1 import vocabulary_pb2 as vocabulary

coordinator = co_grpc.CoordinatorServiceStub(grpc.insecure_channel(os.environ["THB_COORDINATOR"]))
rapporteur = ra_grpc.RapporteurServiceStub(grpc.insecure_channel(os.environ["THB_RAPPORTEUR"]))
office = thb_client.bearer(os.environ["THB_OFFICE_TOKEN"])  # role coordinator_office

# Register an institution. The request id makes a retry safe: it returns the first result.
police = thb_client.call(coordinator.CreateInstitution, co.CreateInstitutionRequest(
    institution_id="border-police", request_id="register-border-police",
    institution=co.Institution(display_name="Border Police",
                               sector=vocabulary.SECTOR_IMMIGRATION_AND_BORDER,
                               kind=co.INSTITUTION_KIND_GOVERNMENT)), metadata=office)
print("created", police.name)

# Every institution, page after page (each page repeats the request with the next token).
for institution in thb_client.pages(coordinator.ListInstitutions,
                                    co.ListInstitutionsRequest(page_size=2)):
    print("institution", institution.name)

# The police submit last year's statistics, with a token naming their institution.
police_token = thb_client.bearer(os.environ["THB_POLICE_TOKEN"])
year = datetime.date.today().year - 1
submission = thb_client.call(rapporteur.CreateStatisticsSubmission,
    ra.CreateStatisticsSubmissionRequest(request_id=f"police-{year}", statistics_submission=
        ra.StatisticsSubmission(reporting_institution=police.name,
                                period=ra.ReportingPeriod(year=year), rows=[
            ra.StatisticsRow(indicator=ra.STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED, count=42),
            ra.StatisticsRow(indicator=ra.STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED,
                             sex=vocabulary.SEX_FEMALE, count=30)])), metadata=police_token)
print("submitted", submission.name, "version", submission.version)

# Refusals are structured: act on field violations and reasons, never on the message text.
try:
    thb_client.call(coordinator.CreateInstitution,
                    co.CreateInstitutionRequest(institution=co.Institution(display_name="")),
                    metadata=office)
except thb_client.InvalidArgument as err:
    for violation in err.field_violations:
        print("violation", violation.field, "-", violation.description)
try:
    thb_client.call(coordinator.DeleteInstitution,
                    co.DeleteInstitutionRequest(name="institutions/nobody"), metadata=office)
except thb_client.NotFound as err:
    print("refused", err.reason, err.resource_info.resource_name)
