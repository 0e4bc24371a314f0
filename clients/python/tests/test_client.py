"""thb_client against the real suite (clients/testing/with_suite.py starts it): the README's
example, paging, structured errors, bearer tokens and a change feed that survives broken
connections. Each test uses its own resources, so the order does not matter."""
import datetime
import hashlib
import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import unittest
import uuid

import grpc
import thb_client
from thb.commission.v1 import commission_pb2 as cm, commission_pb2_grpc as cm_grpc
from thb.coordinator.v1 import coordinator_pb2 as co, coordinator_pb2_grpc as co_grpc
from thb.type.v1 import vocabulary_pb2 as vocabulary
from google.type import date_pb2

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent


def token(roles, institution=""):
    argv = [os.environ["THBCTL"], "token", f"--key_file={os.environ['THB_KEY_FILE']}",
            f"--roles={roles}"]
    if institution:
        argv.append(f"--institution={institution}")
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def coordinator_stub(target=None):
    channel = grpc.insecure_channel(target or os.environ["THB_COORDINATOR"])
    return co_grpc.CoordinatorServiceStub(channel), channel


def new_id(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_institution(stub, office, institution_id, sector=vocabulary.SECTOR_HEALTH):
    return thb_client.call(stub.CreateInstitution, co.CreateInstitutionRequest(
        institution_id=institution_id, institution=co.Institution(
            display_name=institution_id, sector=sector, kind=co.INSTITUTION_KIND_GOVERNMENT)),
        metadata=office)


class TcpProxy:
    """Forwards a local port to `target`; cut() breaks every open connection (new ones are
    still accepted), as a load balancer restart or a network blip would."""

    def __init__(self, target):
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self):
        self.server.close()
        self.cut()


class ReadmeExample(unittest.TestCase):
    def test_the_readme_shows_this_example_and_it_runs(self):
        example = (HERE.parent / "examples" / "quickstart.py").read_text()
        readme = (ROOT / "README.md").read_text()
        self.assertTrue(example in readme, "README.md must show examples/quickstart.py verbatim")
        env = dict(os.environ,
                   THB_OFFICE_TOKEN=token("coordinator_office"),
                   THB_POLICE_TOKEN=token("reporting_institution", "institutions/border-police"))
        out = subprocess.run([sys.executable, str(HERE.parent / "examples" / "quickstart.py")],
                             env=env, capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertIn("created institutions/border-police", lines)
        self.assertIn("institution institutions/border-police", lines)
        self.assertTrue(any(l.startswith("submitted statisticsSubmissions/") and
                            l.endswith("version 1") for l in lines), out.stdout)
        self.assertIn("violation institution.display_name - is required", lines)
        self.assertIn("refused RESOURCE_NOT_FOUND institutions/nobody", lines)
        # Run again: the request ids make both writes retries, answered with the first results.
        again = subprocess.run([sys.executable, str(HERE.parent / "examples" / "quickstart.py")],
                               env=env, capture_output=True, text=True)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("created institutions/border-police", again.stdout)
        self.assertIn("version 1", again.stdout)


class Paging(unittest.TestCase):
    def setUp(self):
        self.stub, self.channel = coordinator_stub()
        self.office = thb_client.bearer(token("coordinator_office"))

    def tearDown(self):
        self.channel.close()

    def test_pages_yields_every_item_once(self):
        made = {create_institution(self.stub, self.office, new_id("paged"),
                                   vocabulary.SECTOR_ACADEMIA).name for _ in range(5)}
        seen = [i.name for i in thb_client.pages(
            self.stub.ListInstitutions,
            co.ListInstitutionsRequest(page_size=2, sector=vocabulary.SECTOR_ACADEMIA))]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(made <= set(seen))

    def test_a_token_under_another_filter_is_refused(self):
        for _ in range(3):
            create_institution(self.stub, self.office, new_id("filtered"),
                               vocabulary.SECTOR_EDUCATION)
        first = self.stub.ListInstitutions(
            co.ListInstitutionsRequest(page_size=1, sector=vocabulary.SECTOR_EDUCATION))
        self.assertTrue(first.next_page_token)
        with self.assertRaises(thb_client.InvalidArgument) as caught:
            thb_client.call(self.stub.ListInstitutions, co.ListInstitutionsRequest(
                page_size=1, sector=vocabulary.SECTOR_HEALTH, page_token=first.next_page_token))
        self.assertEqual([v.field for v in caught.exception.field_violations], ["page_token"])


class Errors(unittest.TestCase):
    def test_precondition_failures_reason_and_resource(self):
        channel = grpc.insecure_channel(os.environ["THB_COMMISSION"])
        commission = cm_grpc.CommissionServiceStub(channel)
        secretariat = thb_client.bearer(token("commission_secretariat"))
        with self.assertRaises(thb_client.FailedPrecondition) as caught:
            thb_client.call(commission.CreateMember, cm.CreateMemberRequest(member=cm.Member(
                institution="institutions/not-registered", seat=cm.SEAT_CIVIL_SOCIETY,
                role=cm.MEMBER_ROLE_MEMBER)), metadata=secretariat)
        err = caught.exception
        self.assertEqual(err.reason, "INSTITUTION_NOT_REGISTERED")
        self.assertEqual(err.error_info.domain, "thb-suite")
        self.assertEqual([(p.type, p.subject) for p in err.precondition_failures],
                         [("REFERENCE", "institutions/not-registered")])
        channel.close()

    def test_not_found_names_the_resource_and_a_missing_token_is_unauthenticated(self):
        stub, channel = coordinator_stub()
        with self.assertRaises(thb_client.NotFound) as caught:
            thb_client.call(stub.GetInstitution, co.GetInstitutionRequest(name="institutions/ghost"))
        self.assertEqual(caught.exception.resource_info.resource_type,
                         "thb.coordinator.v1.Institution")
        with self.assertRaises(thb_client.Unauthenticated) as caught:
            create_institution(stub, thb_client.bearer(""), new_id("anonymous"))
        self.assertEqual(caught.exception.reason, "TOKEN_REQUIRED")
        self.assertIsInstance(caught.exception, thb_client.ThbError)
        channel.close()

    def test_bearer_refuses_a_header_injection(self):
        with self.assertRaises(ValueError):
            thb_client.bearer("abc\r\nx-evil: 1")
        self.assertEqual(thb_client.bearer(""), ())


class ChangeFeed(unittest.TestCase):
    def test_watch_changes_resumes_after_a_broken_connection_without_loss_or_repeats(self):
        proxy = TcpProxy(os.environ["THB_COORDINATOR"])
        stub, channel = coordinator_stub(proxy.address)
        direct, direct_channel = coordinator_stub()
        office = thb_client.bearer(token("coordinator_office"))
        start = direct.ListChanges(__import__("thb.type.v1.audit_pb2", fromlist=["x"])
                                   .ListChangesRequest(after_sequence=0, page_size=1000),
                                   metadata=office)
        after = max([e.sequence for e in start.events] or [0])
        reconnects = []
        feed = thb_client.watch_changes(stub, after_sequence=after, metadata=office,
                                        initial_backoff=0.05, max_backoff=0.2,
                                        on_reconnect=lambda e, d: reconnects.append(e))
        names = [new_id("watched") for _ in range(4)]
        create_institution(direct, office, names[0])
        create_institution(direct, office, names[1])
        got = [next(feed), next(feed)]
        proxy.cut()  # the stream breaks; two more changes happen while it is down
        create_institution(direct, office, names[2])
        create_institution(direct, office, names[3])
        got += [next(feed), next(feed)]
        feed.close()
        self.assertTrue(reconnects, "the stream never broke: the test proves nothing")
        self.assertEqual([e.resource for e in got], [f"institutions/{n}" for n in names])
        sequences = [e.sequence for e in got]
        self.assertEqual(sequences, sorted(set(sequences)))
        proxy.close()
        channel.close()
        direct_channel.close()


def canonical_json(message):
    """The canonical JSON of the contract (ProgressPublication): proto field names, keys sorted,
    no whitespace, numbers without a fraction as integers."""
    from google.protobuf import json_format

    def integral_as_int(value):
        if isinstance(value, float) and value.is_integer() and abs(value) < 9e15:
            return int(value)
        if isinstance(value, dict):
            return {k: integral_as_int(v) for k, v in value.items()}
        if isinstance(value, list):
            return [integral_as_int(v) for v in value]
        return value

    printed = json_format.MessageToJson(message, preserving_proto_field_name=True)
    return json.dumps(integral_as_int(json.loads(printed)), sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


class ProgressPublication(unittest.TestCase):
    """A published progress report's SHA-256 recomputed outside the suite, from its fields and the
    recipe the contract states."""

    def test_the_published_hash_is_reproducible_from_the_published_fields(self):
        stub, channel = coordinator_stub()
        self.addCleanup(channel.close)
        office = thb_client.bearer(token("coordinator_office"))
        lead = new_id("lead")
        create_institution(stub, office, lead)
        plan_id = new_id("plan")
        call = thb_client.call
        call(stub.CreatePlan, co.CreatePlanRequest(plan_id=plan_id, plan=co.ActionPlan(
            title="Plan \u00e9t\u00e9\r\nwith a CR LF", currency_code="EUR",
            period_start=date_pb2.Date(year=2025, month=1, day=1),
            period_end=date_pb2.Date(year=2027, month=12, day=31))), metadata=office)
        plan = f"plans/{plan_id}"
        call(stub.CreateObjective, co.CreateObjectiveRequest(
            parent=plan, objective_id="o", objective=co.Objective(
                title="Protect", pillar=vocabulary.PILLAR_PROTECTION)), metadata=office)
        call(stub.CreateMeasure, co.CreateMeasureRequest(parent=plan, measure_id="m", measure=co.Measure(
            objective=f"{plan}/objectives/o", title="Shelters", pillar=vocabulary.PILLAR_PROTECTION,
            forms=[vocabulary.FORM_OF_EXPLOITATION_FORCED_LABOUR],
            lead_institution=f"institutions/{lead}",
            due_date=date_pb2.Date(year=2026, month=12, day=31))), metadata=office)
        call(stub.AdoptPlan, co.AdoptPlanRequest(name=plan), metadata=office)
        call(stub.CreateProgressReport, co.CreateProgressReportRequest(
            parent=f"{plan}/measures/m", progress_report=co.ProgressReport(
                narrative="Two shelters opened; one for men.", progress_percent=45)),
            metadata=office)
        today = datetime.date.today()
        draft = call(stub.CreateProgressPublication, co.CreateProgressPublicationRequest(
            parent=plan, progress_publication_id="y1", progress_publication=co.ProgressPublication(
                title="Year one", summary="Summary\r\nwith \u00e9",
                period_start=date_pb2.Date(year=today.year - 1, month=1, day=1),
                period_end=date_pb2.Date(year=today.year, month=today.month, day=today.day))),
            metadata=office)
        self.assertEqual(draft.state, co.ProgressPublication.STATE_DRAFT)
        with self.assertRaises(thb_client.NotFound):  # a draft is not public
            call(stub.GetProgressPublication, co.GetProgressPublicationRequest(name=draft.name))
        call(stub.PublishProgressPublication,
             co.PublishProgressPublicationRequest(name=draft.name), metadata=office)
        published = call(stub.GetProgressPublication,
                         co.GetProgressPublicationRequest(name=draft.name))  # public now
        self.assertEqual(len(published.narratives), 1)
        body = co.ProgressPublication(summary=published.summary, snapshot=published.snapshot,
                                      narratives=published.narratives)
        d = lambda x: f"{x.year:04d}-{x.month:02d}-{x.day:02d}"
        lines = ["thb-progress-publication-v1", plan, published.title,
                 d(published.period_start), d(published.period_end), "", canonical_json(body)]
        text = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
        self.assertEqual(hashlib.sha256(text.encode()).hexdigest(), published.content_sha256)


class FollowChangesExample(unittest.TestCase):
    def test_the_example_prints_the_changes_after_a_sequence(self):
        from thb.type.v1 import audit_pb2
        stub, channel = coordinator_stub()
        office_token = token("coordinator_office")
        office = thb_client.bearer(office_token)
        listed = stub.ListChanges(audit_pb2.ListChangesRequest(after_sequence=0, page_size=1000),
                                  metadata=office)
        after = max([e.sequence for e in listed.events] or [0])
        names = [new_id("followed"), new_id("followed")]
        for name in names:
            create_institution(stub, office, name)
        channel.close()
        out = subprocess.run(
            [sys.executable, str(HERE.parent / "examples" / "follow_changes.py"), str(after), "2"],
            env=dict(os.environ, THB_OFFICE_TOKEN=office_token), capture_output=True, text=True,
            timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.splitlines(),
                         [f"{after + 1} CreateInstitution institutions/{names[0]}",
                          f"{after + 2} CreateInstitution institutions/{names[1]}"])


class Package(unittest.TestCase):
    def test_the_package_builds_with_its_stubs(self):
        import tempfile
        import zipfile
        with tempfile.TemporaryDirectory() as out:
            build = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--no-index", "-w", out, str(HERE.parent)], capture_output=True, text=True)
            self.assertEqual(build.returncode, 0, build.stdout + build.stderr)
            wheels = list(pathlib.Path(out).glob("thb_client-*.whl"))
            self.assertEqual(len(wheels), 1)
            names = zipfile.ZipFile(wheels[0]).namelist()
        for expected in ("thb_client/errors.py", "thb/coordinator/v1/coordinator_pb2.py",
                         "thb/coordinator/v1/coordinator_pb2_grpc.py",
                         "thb/rapporteur/v1/rapporteur_pb2_grpc.py",
                         "google/rpc/error_details_pb2.py"):
            self.assertIn(expected, names)


if __name__ == "__main__":
    unittest.main()
