import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.LocalDate;
import org.thbsuite.client.BearerToken;
import org.thbsuite.client.Pages;
import org.thbsuite.client.ThbException;
import org.thbsuite.coordinator.v1.*;
import org.thbsuite.rapporteur.v1.*;
import org.thbsuite.type.v1.Sector;
import org.thbsuite.type.v1.Sex;

public class Quickstart {
  public static void main(String[] args) throws Exception {
    ManagedChannel coordinatorChannel =
        ManagedChannelBuilder.forTarget(System.getenv("THB_COORDINATOR")).usePlaintext().build();
    ManagedChannel rapporteurChannel =
        ManagedChannelBuilder.forTarget(System.getenv("THB_RAPPORTEUR")).usePlaintext().build();
    CoordinatorServiceGrpc.CoordinatorServiceBlockingStub coordinator =
        CoordinatorServiceGrpc.newBlockingStub(coordinatorChannel);
    CoordinatorServiceGrpc.CoordinatorServiceBlockingStub office =
        coordinator.withCallCredentials(new BearerToken(System.getenv("THB_OFFICE_TOKEN")));

    // Register an institution. The request id makes a retry safe: it returns the first result.
    Institution police = ThbException.call(() -> office.createInstitution(
        CreateInstitutionRequest.newBuilder()
            .setInstitutionId("border-police-java")
            .setRequestId("register-border-police-java")
            .setInstitution(Institution.newBuilder()
                .setDisplayName("Border Police")
                .setSector(Sector.SECTOR_IMMIGRATION_AND_BORDER)
                .setKind(InstitutionKind.INSTITUTION_KIND_GOVERNMENT))
            .build()));
    System.out.println("created " + police.getName());

    // Every institution, page after page (each page repeats the request with the next token).
    for (Institution institution : Pages.of(coordinator::listInstitutions,
        ListInstitutionsRequest.newBuilder().setPageSize(2).build(),
        ListInstitutionsResponse::getInstitutionsList)) {
      System.out.println("institution " + institution.getName());
    }

    // The police submit last year's statistics, with a token naming their institution.
    RapporteurServiceGrpc.RapporteurServiceBlockingStub rapporteur =
        RapporteurServiceGrpc.newBlockingStub(rapporteurChannel)
            .withCallCredentials(new BearerToken(System.getenv("THB_POLICE_TOKEN")));
    int year = LocalDate.now().getYear() - 1;
    StatisticsSubmission submission = ThbException.call(() -> rapporteur.createStatisticsSubmission(
        CreateStatisticsSubmissionRequest.newBuilder()
            .setRequestId("police-java-" + year)
            .setStatisticsSubmission(StatisticsSubmission.newBuilder()
                .setReportingInstitution(police.getName())
                .setPeriod(ReportingPeriod.newBuilder().setYear(year))
                .addRows(StatisticsRow.newBuilder()
                    .setIndicator(StatisticalIndicator.STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED)
                    .setCount(42))
                .addRows(StatisticsRow.newBuilder()
                    .setIndicator(StatisticalIndicator.STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED)
                    .setSex(Sex.SEX_FEMALE)
                    .setCount(30)))
            .build()));
    System.out.println("submitted " + submission.getName() + " version " + submission.getVersion());

    // Refusals are structured: act on field violations and reasons, never on the message text.
    try {
      ThbException.call(() -> office.createInstitution(CreateInstitutionRequest.newBuilder()
          .setInstitution(Institution.newBuilder().setDisplayName("")).build()));
    } catch (ThbException e) {
      e.fieldViolations().forEach(v ->
          System.out.println("violation " + v.getField() + " - " + v.getDescription()));
    }
    try {
      ThbException.call(() -> office.deleteInstitution(
          DeleteInstitutionRequest.newBuilder().setName("institutions/nobody").build()));
    } catch (ThbException e) {
      System.out.println("refused " + e.reason() + " " + e.resourceInfo().getResourceName());
    }
    coordinatorChannel.shutdownNow();
    rapporteurChannel.shutdownNow();
  }
}
