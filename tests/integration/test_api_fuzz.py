"""Schemathesis runs every check it has against every operation of the OpenAPI document, on a
live server, on SQLite and on PostgreSQL.

The run is what `st run --checks all --mode all` does, in process: the coverage phase (the
edges of each schema, undocumented methods, missing headers), fuzzing and stateful sequences,
each in positive and in negative mode, with a fixed seed, derandomized, one worker and no
example database, so every run makes the same draws (only the seeded rows' ids differ). Its
checks, by name:
not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance, response_schema_conformance, positive_data_acceptance,
negative_data_rejection, missing_required_header, unsupported_method,
allow_header_conformance, use_after_free, ensure_resource_availability, ignored_auth and
object_level_authorization (workspaces A and B as its two peers). The test asserts that
each of them ran, and that every documented operation was called. max_response_time, which
needs a limit in seconds, is not among them: tests never assert wall-clock time.

Requests carry workspace A's API key. Ids in paths and bodies are drawn at random, or half
the time from dictionaries of real rows seeded for the run: A's own (a client, an assessment
whose respondent has submitted, a webhook endpoint with a delivery), and workspace B's. No
successful answer to A may name one of B's rows, and B's rows read back unchanged afterwards.
DELETE operations draw from rows seeded to be deleted, so they do not take the others away.

Exclusions, each narrow and for a reason the document cannot express:

1. positive_data_acceptance, a 422 whose every error names a field below. The request fits
   the schema, but the server holds the field to a rule that no schema keyword can state,
   most often that the value names something that exists, which only the server knows:
   - `query.cursor`: an opaque `next_cursor` the server issued; any other string is refused.
   - `client_id`, `baseline_assessment_id`: a row of the caller's workspace.
   - `questionnaire_id`, `questionnaire_version` (and `questionnaire`, `version` of a scoring
     document): a questionnaire and version in the catalog, which is deployment data.
   - `targets.overall`, `targets.dimensions.*`: dimensions and stages of that questionnaire;
     `targets.items.*`: its items, each with an answer that fits the item.
   - `answers.*`, `attributes.*`, `respondents[i].attributes.*`: items, options and respondent
     attributes of that questionnaire (problem type `invalid-answers` where it is scored).
   - `url` of a webhook endpoint: an http(s) URL whose host resolves to public addresses.
   - `id` of a scoring document's respondent: unique among the respondents; JSON Schema's
     `uniqueItems` compares whole items, not one of their fields.
   - `closes_at`: a close date in the future, which depends on the clock;
     `copy_baseline_team`: only with a baseline round.
   - `anonymity_k`, `overlap_seconds`, `reminder_days[i]`: JSON Schema counts 3.0 as the
     integer 3, and the API refuses the decimal spelling of an integer on purpose
     (docs/api.md); no schema keyword tells the two apart.
2. negative_data_rejection counts 413 as a refusal, beside its own list (400, 401, 403, 404,
   405, 406, 409, 415, 422, 428, 429, 5xx). A body over the server's limit (1 MiB), such as a
   scoring document past `maxItems`, is refused before it is read, as every operation with a
   body documents.
3. Nothing else: any other failure of any check fails the test, with every failing request
   listed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import from_schema
from schemathesis.engine.events import FatalError, NonFatalError, ScenarioFinished

from tests.integration.conftest import Workspace, new_workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer, running_server

SEED = 20261203
# Fuzzing examples per operation, in each mode; the coverage phase has no budget of its own
# (it sends each edge case once) and the stateful phase runs its default sequences.
EXAMPLES = 25
# How often a bound path or body field takes a seeded id instead of a drawn one.
REAL_ID_SHARE = 0.5
ALL_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
)
# Exclusion 2: what negative_data_rejection counts as a refusal (its default list) and 413.
NEGATIVE_DATA_REFUSALS = [
    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"),
    "5xx",
]
# Exclusion 1 (see the module docstring): fields held to rules the document cannot state.
SEMANTIC_FIELDS = re.compile(
    r"query\.cursor|client_id|baseline_assessment_id|questionnaire(_id|_version)?|version"
    r"|targets\.(overall|dimensions(\..*)?|items(\..*)?)|anonymity_k|overlap_seconds|url|id"
    r"|closes_at|copy_baseline_team|reminder_days\[\d+\]"
    r"|(respondents\[\d+\]\.)?(answers|attributes)(\..*)?",
    re.DOTALL,  # a drawn key may hold any character, a line break too
)
# Path and body fields bound to the seeded rows: (where, dictionary).
BINDINGS = {
    "path.client_id": "clients",
    "path.external_ref": "external_refs",
    "path.assessment_id": "assessments",
    "path.respondent_id": "respondents",
    "path.endpoint_id": "endpoints",
    "path.delivery_id": "deliveries",
    "path.questionnaire_id": "questionnaires",
    "body.client_id": "clients",
    "body.baseline_assessment_id": "assessments",
    "body.questionnaire_id": "questionnaires",
    "body.questionnaire": "questionnaires",
}


@dataclass
class Rows:
    """Seeded rows of one workspace, by dictionary name."""

    ids: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.ids.setdefault(name, []).append(value)

    def row_ids(self) -> set[str]:
        """The ids the server gave the rows (external refs are the caller's own text)."""
        return {
            value
            for name, values in self.ids.items()
            if name != "external_refs"
            for value in values
        }


def _seed(workspace: Workspace, tag: str, rows: Rows, *, prefix: str = "") -> None:
    """A client, an assessment whose one respondent has submitted, and a webhook endpoint
    that has a delivery; their ids go into `rows` under `prefix` + the dictionary name."""
    api = workspace.api
    client = create_client(api, name=f"Client {tag}", external_ref=f"crm-{tag}")
    assessment = create_assessment(api, client["id"], title=f"Assessment {tag}")
    endpoint = expect(
        api.post(
            "/api/v1/webhook-endpoints",
            json={"url": "https://hooks.example.com/in", "event_types": ["respondent.submitted"]},
        ),
        201,
    )
    (respondent,) = add_respondents(api, assessment["id"], "manager")
    expect(save_answers(api, assessment["id"], respondent["id"], FULL_ANSWERS, submit=True), 200)
    deliveries = expect(api.get(f"/api/v1/webhook-endpoints/{endpoint['id']}/deliveries"), 200)
    rows.add(f"{prefix}clients", client["id"])
    rows.add(f"{prefix}external_refs", client["external_ref"])
    rows.add(f"{prefix}assessments", assessment["id"])
    rows.add(f"{prefix}respondents", respondent["id"])
    rows.add(f"{prefix}endpoints", endpoint["id"])
    for delivery in deliveries["items"]:
        rows.add(f"{prefix}deliveries", delivery["id"])


def _snapshot(workspace: Workspace, rows: Rows) -> list[Any]:
    api = workspace.api
    (assessment,) = rows.ids["assessments"]
    (respondent,) = rows.ids["respondents"]
    return [
        expect(api.get(f"/api/v1/clients/{rows.ids['clients'][0]}"), 200),
        expect(api.get(f"/api/v1/assessments/{assessment}"), 200),
        expect(api.get(f"/api/v1/assessments/{assessment}/respondents/{respondent}/answers"), 200),
        expect(api.get(f"/api/v1/webhook-endpoints/{rows.ids['endpoints'][0]}"), 200),
    ]


def _config(
    server: LiveServer, a: Workspace, b: Workspace, rows: Rows, auth_file: Path
) -> SchemathesisConfig:
    names = sorted({name for name in BINDINGS.values()})
    dictionaries = {name: {"values": rows.ids.get(name, []) or ["none"]} for name in names} | {
        f"doomed_{name}": {"values": rows.ids.get(f"doomed_{name}", []) or ["none"]}
        for name in names
    }
    auth_file.write_text(
        json.dumps(
            {
                "auth": [
                    {
                        "name": name,
                        "fixedHeaders": [
                            {"name": "Authorization", "value": f"Bearer {workspace.api_key}"}
                        ],
                    }
                    for name, workspace in (("workspace-a", a), ("workspace-b", b))
                ]
            }
        )
    )

    def bound(prefix: str) -> dict[str, Any]:
        return {
            where: {"dictionary": f"{prefix}{name}", "probability": REAL_ID_SHARE}
            for where, name in BINDINGS.items()
        }

    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},
            "suppress-health-check": ["all"],
            "base-url": server.url,
            "workers": 1,
            "continue-on-failure": True,
            "request-timeout": 60,
            "auth": {"wfc": {"path": str(auth_file), "peers": ["workspace-a", "workspace-b"]}},
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                "enabled": True,
                **{name: {"enabled": True} for name in ALL_CHECKS},
                # Exclusion 2: schemathesis's own list of refusals, and 413.
                "negative_data_rejection": {"expected-statuses": NEGATIVE_DATA_REFUSALS},
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True},
            },
            "dictionaries": dictionaries,
            "parameters": bound(""),
            "operations": [{"include-method": "DELETE", "parameters": bound("doomed_")}],
        }
    )


@dataclass(frozen=True)
class Finding:
    check: str
    request: str
    status: int | None
    body: str

    def __str__(self) -> str:
        return f"{self.check}: {self.request} -> {self.status} {self.body[:400]}"


def _excused(finding: Finding) -> bool:
    """Exclusion 1 of the module docstring."""
    if finding.check != "positive_data_acceptance" or finding.status != 422:
        return False
    try:
        errors = json.loads(finding.body).get("errors", [])
    except ValueError:
        return False
    fields = [error.get("field", "") for error in errors]
    return bool(fields) and all(SEMANTIC_FIELDS.fullmatch(name) for name in fields)


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    checks_run: set[str] = field(default_factory=set)
    operations: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    requests: int = 0


def _described(interaction: Any) -> str:
    request = interaction.request
    return f"{request.method} {request.uri} {(request.body or b'')[:300]!r}"


def _text(response: Any) -> str:
    return (response.content or b"").decode("utf-8", "replace") if response is not None else ""


def _run(schema: Any, *, own_key: str, foreign_ids: set[str]) -> Outcome:
    """Run every phase; collect each failure of each check with its request and response,
    and each successful answer to A (`own_key`) that names one of B's rows (the checks send
    as B too, for object_level_authorization, and B may read its own rows)."""
    outcome = Outcome()
    for event in from_schema(schema).execute():
        if isinstance(event, FatalError | NonFatalError):
            outcome.errors.append(str(getattr(event, "info", event)))
        if not isinstance(event, ScenarioFinished):
            continue
        recorder = event.recorder
        for case_id, interaction in recorder.interactions.items():
            response = interaction.response
            if response is None:
                continue
            outcome.requests += 1
            outcome.operations.add(recorder.cases[case_id].value.operation.label)
            sent_as = " ".join(interaction.request.headers.get("Authorization", []))
            if response.status_code < 300 and own_key in sent_as:
                # A path that names B's row, or an answer that shows one (a query may name
                # it: a filter by B's client finds nothing).
                seen = f"{urlsplit(interaction.request.uri).path} {_text(response)}"
                named = sorted(value for value in foreign_ids if value in seen)
                if named:
                    outcome.leaks.append(f"{_described(interaction)} names B's {named}")
        for case_id, nodes in recorder.checks.items():
            for node in nodes:
                outcome.checks_run.add(node.name)
                if node.failure_info is None:
                    continue
                interaction = recorder.interactions.get(case_id)
                response = interaction.response if interaction is not None else None
                sent = _described(interaction) if interaction is not None else event.label
                title = node.failure_info.failure.title
                outcome.findings.append(
                    Finding(
                        check=node.name,
                        request=f"{sent} [{event.phase.value}: {title}]",
                        status=response.status_code if response is not None else None,
                        body=_text(response),
                    )
                )
    return outcome


@pytest.fixture
def fuzz_server(server: LiveServer) -> Iterator[LiveServer]:
    """The same database, served without rate limits: the fuzzing sends thousands of
    requests a minute with one API key."""
    with running_server(server.settings.model_copy(update={"rate_limits": False})) as live:
        yield live


@pytest.fixture
def workspace_a(fuzz_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(fuzz_server, "Workspace A")
    yield created
    created.api.close()


@pytest.fixture
def workspace_b(fuzz_server: LiveServer) -> Iterator[Workspace]:
    created = new_workspace(fuzz_server, "Workspace B")
    yield created
    created.api.close()


def test_every_check_of_schemathesis_passes_on_every_operation(
    fuzz_server: LiveServer, workspace_a: Workspace, workspace_b: Workspace, tmp_path: Path
) -> None:
    rows = Rows()
    _seed(workspace_a, "a", rows)
    _seed(workspace_a, "a-doomed", rows, prefix="doomed_")
    theirs = Rows()
    _seed(workspace_b, "b", theirs)
    theirs_before = _snapshot(workspace_b, theirs)
    for name, values in theirs.ids.items():  # a drawn row is A's or B's
        for value in values:
            rows.add(name, value)
            rows.add(f"doomed_{name}", value)
    for prefix in ("", "doomed_"):  # the catalog's, shared by every workspace
        rows.add(f"{prefix}questionnaires", "example")

    document = expect(workspace_a.api.get("/openapi.json"), 200)
    config = _config(fuzz_server, workspace_a, workspace_b, rows, tmp_path / "auth.json")
    schema = schemathesis.openapi.from_dict(document, config=config)
    started = time.monotonic()
    outcome = _run(schema, own_key=workspace_a.api_key, foreign_ids=theirs.row_ids())
    elapsed = time.monotonic() - started
    print(f"schemathesis: {outcome.requests} requests in {elapsed:.1f} s")

    assert outcome.errors == []
    assert set(ALL_CHECKS) <= outcome.checks_run, set(ALL_CHECKS) - outcome.checks_run
    failures = [f for f in outcome.findings if not _excused(f)]
    assert failures == [], "\n".join(str(f) for f in failures)
    assert outcome.leaks == [], "\n".join(outcome.leaks)
    documented = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    assert documented <= outcome.operations, documented - outcome.operations
    assert _snapshot(workspace_b, theirs) == theirs_before
