#!/usr/bin/python3
"""thbctl against the real suite (clients/testing/with_suite.py starts it; THBCTL names the binary):
imports that check everything before storing anything and can be re-run, the 13-column GLOTIP
export, the change feed, and a relay to a receiver that fails on purpose."""
import csv
import datetime
import http.server
import io
import json
import os
import subprocess
import tempfile
import threading
import unittest
import uuid

THBCTL = os.environ["THBCTL"]
YEAR = datetime.date.today().year - 1


def run(*args, token=None, stdin=None):
    env = dict(os.environ)
    env.pop("THB_TOKEN", None)
    if token:
        env["THB_TOKEN"] = token
    return subprocess.run([THBCTL, *args], env=env, capture_output=True, text=True, input=stdin,
                          timeout=300)


def token(roles, institution=""):
    args = ["token", f"--key_file={os.environ['THB_KEY_FILE']}", f"--roles={roles}"]
    if institution:
        args.append(f"--institution={institution}")
    out = run(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


OFFICE = None
RAPPORTEUR = None


def setUpModule():
    global OFFICE, RAPPORTEUR
    OFFICE = token("coordinator_office")
    RAPPORTEUR = token("rapporteur_office")


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def new_id(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def import_institutions(directory, *ids):
    rows = "".join(f"{i},{i} office,law enforcement,government,,\n" for i in ids)
    out = run("institutions", "import", write(directory, new_id("inst") + ".csv",
                                              "id,display_name,sector,kind,parent,region\n" + rows),
              token=OFFICE)
    assert out.returncode == 0, out.stdout + out.stderr


def submissions(institution):
    """Every stored version of `institution`'s submissions, read through the gateway."""
    import urllib.request
    req = urllib.request.Request(
        f"{os.environ['THB_GATEWAY']}/v1/rapporteur/statisticsSubmissions?pageSize=1000"
        "&includeSuperseded=true", headers={"Authorization": f"Bearer {RAPPORTEUR}"})
    with urllib.request.urlopen(req) as res:
        listed = json.load(res).get("statisticsSubmissions", [])
    return [s for s in listed if s["reportingInstitution"] == institution]


class Institutions(unittest.TestCase):
    def test_import_is_checked_first_and_a_rerun_changes_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            parent, child = new_id("ministry"), new_id("unit")
            path = write(d, "institutions.csv",
                         "id,display_name,sector,kind,parent,region,contact_email\n"
                         f"{child},Child unit,LAW_ENFORCEMENT,GOVERNMENT,{parent},AT-9,u@x.example\n"
                         f"{parent},Ministry,government policy,government,,,\n")
            first = run("institutions", "import", path, token=OFFICE)
            self.assertEqual(first.returncode, 0, first.stderr)
            again = run("institutions", "import", path, token=OFFICE)
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn(f"stored institutions/{child}", again.stdout)
            bad = write(d, "bad.csv", "id,display_name,sector,kind\n"
                                      f"{new_id('ok')},Fine,HEALTH,GOVERNMENT\n"
                                      "Bad Id,Name,HEALTH,GOVERNMENT\n"
                                      f"{new_id('x')},Name,ASTROLOGY,GOVERNMENT\n")
            out = run("institutions", "import", bad, token=OFFICE)
            self.assertEqual(out.returncode, 2)
            self.assertIn("row 3: id:", out.stderr)
            self.assertIn('row 4: sector: unknown code "ASTROLOGY"', out.stderr)
            self.assertIn("nothing was imported", out.stderr)
            self.assertNotIn("stored", out.stdout)  # the valid first row was not sent either

    def test_parents_are_checked_before_anything_is_stored(self):
        with tempfile.TemporaryDirectory() as d:
            fine, orphan = new_id("fine"), new_id("orphan")
            out = run("institutions", "import", write(d, "orphan.csv",
                      "id,display_name,sector,kind,parent\n"
                      f"{fine},Fine,HEALTH,GOVERNMENT,\n"
                      f"{orphan},Orphan,HEALTH,GOVERNMENT,no-such-parent\n"), token=OFFICE)
            self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
            self.assertIn('row 3: parent: "institutions/no-such-parent" is neither in the file',
                          out.stderr)
            a, b, c = new_id("a"), new_id("b"), new_id("c")
            out = run("institutions", "import", write(d, "cycle.csv",
                      "id,display_name,sector,kind,parent\n"
                      f"{a},A,HEALTH,GOVERNMENT,{b}\n{b},B,HEALTH,GOVERNMENT,{a}\n"
                      f"{c},C,HEALTH,GOVERNMENT,{c}\n"), token=OFFICE)
            self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
            self.assertIn("a cycle of parents", out.stderr)
            # A chain given children first is stored parents first.
            top, mid, low = new_id("top"), new_id("mid"), new_id("low")
            out = run("institutions", "import", write(d, "chain.csv",
                      "id,display_name,sector,kind,parent\n"
                      f"{low},Low,HEALTH,GOVERNMENT,{mid}\n{mid},Mid,HEALTH,GOVERNMENT,{top}\n"
                      f"{top},Top,HEALTH,GOVERNMENT,\n"), token=OFFICE)
            self.assertEqual(out.returncode, 0, out.stderr)
            stored = [l.split()[1] for l in out.stdout.splitlines() if l.startswith("stored")]
            self.assertEqual(stored, [f"institutions/{x}" for x in (top, mid, low)])
            import urllib.error
            import urllib.request
            for name in (fine, orphan, a, b, c):  # none of the refused files stored anything
                with self.assertRaises(urllib.error.HTTPError) as caught:
                    urllib.request.urlopen(
                        f"{os.environ['THB_GATEWAY']}/v1/coordinator/institutions/{name}")
                self.assertEqual(caught.exception.code, 404)

    def test_file_content_is_printed_safely(self):
        with tempfile.TemporaryDirectory() as d:
            out = run("institutions", "import", write(
                d, "evil.csv", "id,display_name,sector,kind\n"
                f"{new_id('e')},E,\x1b]0;PWNED\x07{'x' * 5000},GOVERNMENT\n"), token=OFFICE)
            self.assertEqual(out.returncode, 2)
            self.assertNotIn("\x1b", out.stderr)
            self.assertIn("\\x1b]0;PWNED\\x07", out.stderr)
            self.assertLess(len(out.stderr), 1000)


class StatisticsImport(unittest.TestCase):
    def test_import_dry_run_rerun_and_refusals(self):
        with tempfile.TemporaryDirectory() as d:
            police, labour = new_id("police"), new_id("labour")
            import_institutions(d, police, labour)
            rows = io.StringIO()
            w = csv.writer(rows, lineterminator="\n")
            w.writerow(["reporting_institution", "year", "indicator", "sex", "form", "count"])
            for who in (police, labour):
                w.writerow([who, YEAR, "VICTIMS_IDENTIFIED", "", "", 120])
                w.writerow([who, YEAR, "VICTIMS_IDENTIFIED", "FEMALE", "", 70])
                w.writerow([who, YEAR, "VICTIMS_IDENTIFIED", "MALE", "", 50])
                w.writerow([who, YEAR, "victims identified", "", "forced labour", 30])
            path = write(d, "stats.csv", rows.getvalue())

            dry = run("statistics", "import", path, "--dry_run", token=RAPPORTEUR)
            self.assertEqual(dry.returncode, 0, dry.stderr)
            self.assertIn("dry run: 8 rows in 2 submissions are valid", dry.stdout)
            self.assertEqual(submissions(f"institutions/{police}"), [])

            first = run("statistics", "import", path, "--progress=lines", token=RAPPORTEUR)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertIn("imported 8 rows in 2 submissions", first.stdout)
            self.assertIn("importing: 8/8 rows (100%)", first.stderr)
            stored = submissions(f"institutions/{police}")
            self.assertEqual([s["version"] for s in stored], [1])
            # A re-run (after an interruption, say) stores nothing twice.
            again = run("statistics", "import", path, token=RAPPORTEUR)
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertEqual(len(submissions(f"institutions/{police}")), 1)
            self.assertEqual(len(submissions(f"institutions/{labour}")), 1)

    def test_standard_input_is_imported_like_a_file(self):
        with tempfile.TemporaryDirectory() as d:
            police = new_id("police")
            import_institutions(d, police)
            text = "indicator,sex,count\nVICTIMS_IDENTIFIED,,30\nVICTIMS_IDENTIFIED,FEMALE,20\n"
            out = run("statistics", "import", "-", f"--institution={police}", f"--year={YEAR}",
                      token=RAPPORTEUR, stdin=text)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("imported 2 rows in 1 submissions", out.stdout)
            self.assertEqual([s["version"] for s in submissions(f"institutions/{police}")], [1])

    def test_bad_rows_are_listed_and_nothing_is_stored(self):
        with tempfile.TemporaryDirectory() as d:
            police = new_id("police")
            import_institutions(d, police)
            path = write(d, "bad.csv",
                         "indicator,sex,citizenship,country,count\n"
                         "VICTIMS_IDENTIFIED,,,,10\n"
                         "VICTIMS_UNKNOWN,,,,10\n"
                         "VICTIMS_IDENTIFIED,martian,,,ten\n"
                         "VICTIMS_IDENTIFIED,,OTHER_COUNTRY,,4\n")
            out = run("statistics", "import", path, f"--institution={police}", f"--year={YEAR}",
                      token=RAPPORTEUR)
            self.assertEqual(out.returncode, 2)
            for line in ('row 3: indicator: unknown code "VICTIMS_UNKNOWN"',
                         'row 4: sex: unknown code "martian"', "row 4: count:",
                         "row 5: country: is required when citizenship is OTHER_COUNTRY"):
                self.assertIn(line, out.stderr)
            self.assertEqual(submissions(f"institutions/{police}"), [])
            # A file that is not CSV, and one with an unknown column.
            out = run("statistics", "import", write(d, "x.csv", 'indicator,count\n"open,1\n'),
                      f"--institution={police}", f"--year={YEAR}", token=RAPPORTEUR)
            self.assertEqual(out.returncode, 2)
            self.assertIn("not valid CSV", out.stderr)
            out = run("statistics", "import", write(d, "y.csv", "indicator,colour,count\n"),
                      token=RAPPORTEUR)
            self.assertEqual(out.returncode, 2)
            self.assertIn('column "colour"', out.stderr)

    def test_a_group_the_service_refuses_stops_every_group_before_any_is_stored(self):
        with tempfile.TemporaryDirectory() as d:
            police = new_id("police")
            import_institutions(d, police)
            path = write(d, "mixed.csv",
                         "reporting_institution,year,indicator,count\n"
                         f"{police},{YEAR},VICTIMS_IDENTIFIED,12\n"
                         f"not-registered,{YEAR},VICTIMS_IDENTIFIED,12\n")
            out = run("statistics", "import", path, token=RAPPORTEUR)
            self.assertEqual(out.returncode, 1)
            self.assertIn("institutions/not-registered", out.stderr)
            self.assertIn("INSTITUTION_NOT_REGISTERED", out.stderr)
            self.assertIn("nothing was imported", out.stderr)
            self.assertEqual(submissions(f"institutions/{police}"), [])
            # A reporting institution may import only its own statistics.
            own = token("reporting_institution", f"institutions/{police}")
            out = run("statistics", "import", path, token=own)
            self.assertEqual(out.returncode, 1)
            self.assertIn("NOT_OWN_STATISTICS", out.stderr)


class Export(unittest.TestCase):
    def test_glotip_has_unodcs_13_columns_and_withheld_values_are_empty(self):
        with tempfile.TemporaryDirectory() as d:
            police = new_id("police")
            import_institutions(d, police)
            path = write(d, "s.csv", "indicator,sex,count\nPERSONS_CONVICTED,,40\n"
                                     "PERSONS_CONVICTED,FEMALE,3\nPERSONS_CONVICTED,MALE,37\n")
            out = run("statistics", "import", path, f"--institution={police}",
                      f"--year={YEAR}", token=RAPPORTEUR)
            self.assertEqual(out.returncode, 0, out.stderr)
            target = os.path.join(d, "glotip.csv")
            out = run("statistics", "export", f"--from_year={YEAR}", f"--out={target}")
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(target, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            self.assertEqual(rows[0], ["Country", "Iso3_code", "Region", "Subregion", "Indicator",
                                       "Dimension", "Category", "Sex", "Age", "Year",
                                       "Unit of measurement", "VALUE", "Source"])
            convicted = {r[7]: r[11] for r in rows[1:] if r[4] == "Persons convicted"}
            self.assertEqual(convicted["Female"], "")    # 3 < k: withheld, never published
            self.assertEqual(convicted["Male"], "")      # complementary suppression
            self.assertNotIn("3", convicted.values())
            self.assertTrue(all(r[1] == "XVD" and r[12] for r in rows[1:]))
            as_json = json.loads(run("statistics", "export", "--format=json").stdout)
            self.assertTrue(any(r["suppressed"] and r["value"] is None for r in as_json["rows"]))
            self.assertIn("country,indicator", run("statistics", "export", "--format=csv").stdout)
            self.assertEqual(run("statistics", "export", "--format=xml").returncode, 2)


class Receiver:
    """An HTTP receiver that fails on purpose: 503 on the first attempt of every event id listed
    in `fail_first`, and a dropped connection on the first attempt of those in `drop_first`."""

    def __init__(self, fail_first=(), drop_first=(), always_fail=False):
        self.attempts, self.delivered = [], []
        self.fail_first, self.drop_first = set(fail_first), set(drop_first)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                receiver.attempts.append((key, self.headers["Content-Type"], body))
                if always_fail or key in receiver.fail_first:
                    receiver.fail_first.discard(key)
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if key in receiver.drop_first:
                    receiver.drop_first.discard(key)
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                receiver.delivered.append(key)
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def latest_sequence():
    import urllib.request
    req = urllib.request.Request(
        f"{os.environ['THB_GATEWAY']}/v1/coordinator/auditEvents:verify", data=b"{}",
        headers={"Authorization": f"Bearer {OFFICE}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return int(json.load(res).get("headSequence", 0))


class Changes(unittest.TestCase):
    def test_watch_prints_events_after_a_sequence(self):
        with tempfile.TemporaryDirectory() as d:
            after = latest_sequence()
            ids = [new_id("watch"), new_id("watch")]
            import_institutions(d, *ids)
            out = run("changes", "watch", "coordinator", f"--after_sequence={after}",
                      "--max_events=2", token=OFFICE)
            self.assertEqual(out.returncode, 0, out.stderr)
            events = [json.loads(line) for line in out.stdout.splitlines()]
            self.assertEqual([e["resource"] for e in events], [f"institutions/{i}" for i in ids])
            self.assertEqual(int(events[0]["sequence"]), after + 1)
            self.assertEqual(run("changes", "watch", "coordinator", "--max_events=1").returncode,
                             1)  # no token: refused, not retried forever

    def test_relay_delivers_at_least_once_in_order_and_resumes_from_its_checkpoint(self):
        with tempfile.TemporaryDirectory() as d:
            after = latest_sequence()
            ids = [new_id("relayed") for _ in range(5)]
            import_institutions(d, *ids)
            seq = [after + i for i in range(1, 6)]
            names = [f"coordinator-{s}" for s in seq]
            receiver = Receiver(fail_first=[names[0], names[3]], drop_first=[names[1]])
            checkpoint = os.path.join(d, "checkpoint")
            common = ["changes", "relay", "coordinator", f"--to={receiver.url}",
                      f"--checkpoint={checkpoint}", f"--after_sequence={after}",
                      "--retry_initial=10ms", "--retry_max=50ms"]
            first = run(*common, "--max_events=3", token=OFFICE)
            self.assertEqual(first.returncode, 0, first.stderr)
            with open(checkpoint, encoding="utf-8") as f:
                self.assertEqual(int(f.read()), seq[2])
            second = run(*common, "--max_events=2", token=OFFICE)  # resumes after seq[2]
            self.assertEqual(second.returncode, 0, second.stderr)
            receiver.close()
            self.assertEqual(receiver.delivered, names)  # each once, in order
            self.assertGreater(len(receiver.attempts), len(names))  # the failures were retried
            key, content_type, body = receiver.attempts[0]
            self.assertEqual(content_type, "application/cloudevents+json; charset=utf-8")
            self.assertEqual(body["id"], key)
            self.assertEqual(body["specversion"], "1.0")
            self.assertEqual(body["source"], "/thb-suite/coordinator")
            self.assertEqual(body["type"], "org.thbsuite.coordinator.CreateInstitution")
            self.assertEqual(body["subject"], f"institutions/{ids[0]}")

    def test_relay_gives_up_after_max_attempts_and_keeps_its_checkpoint(self):
        with tempfile.TemporaryDirectory() as d:
            after = latest_sequence()
            import_institutions(d, new_id("undelivered"))
            receiver = Receiver(always_fail=True)
            checkpoint = write(d, "checkpoint", f"{after}\n")
            out = run("changes", "relay", "coordinator", f"--to={receiver.url}",
                      f"--checkpoint={checkpoint}", "--max_attempts=3", "--retry_initial=10ms",
                      token=OFFICE)
            receiver.close()
            self.assertEqual(out.returncode, 1)
            self.assertEqual(len(receiver.attempts), 3)
            with open(checkpoint, encoding="utf-8") as f:
                self.assertEqual(int(f.read()), after)
            bad = run("changes", "relay", "coordinator", "--to=ftp://x", token=OFFICE)
            self.assertEqual(bad.returncode, 2)
            # A checkpoint that is not a file is a clear error, not a crash.
            bad = run("changes", "relay", "coordinator", f"--to={receiver.url}",
                      f"--checkpoint={d}", token=OFFICE)
            self.assertEqual(bad.returncode, 2, bad.stderr)
            self.assertIn("is not a regular file", bad.stderr)

    def test_relay_does_not_hang_on_a_receiver_that_never_answers(self):
        import socket
        with tempfile.TemporaryDirectory() as d:
            after = latest_sequence()
            import_institutions(d, new_id("unanswered"))
            silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
            silent.listen(16)
            port = silent.getsockname()[1]
            out = run("changes", "relay", "coordinator", f"--to=http://127.0.0.1:{port}/x",
                      f"--after_sequence={after}", "--max_attempts=2", "--deadline=1",
                      "--retry_initial=10ms", token=OFFICE)
            silent.close()
            self.assertEqual(out.returncode, 1, out.stderr)
            self.assertEqual(out.stderr.count("attempt"), 2, out.stderr)


if __name__ == "__main__":
    unittest.main()
