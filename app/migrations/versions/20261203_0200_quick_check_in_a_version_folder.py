"""quick-check 1.0.0 moved into a version folder: its stored content hash follows.

Packages now live in a folder per version (questionnaires/<id>/<version>/). The quick check's
questionnaire names the files it shares with its full form by a relative path, and that path
is part of the content hash; moving both packages into version folders changed the path
("../operational-maturity/stage_model.yaml" became
"../../operational-maturity/1.0.0/stage_model.yaml") and nothing else. Assessments pinned to
quick-check 1.0.0 are re-pinned to the new hash of the same content, so they keep loading.
Their results do not change, so the results version stays as it is.

Downgrade pins them back to the old hash.

Revision ID: 20261203_0200
Revises: 20261203_0100
Create Date: 2026-12-03 02:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0200"
down_revision: str | Sequence[str] | None = "20261203_0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUICK_CHECK = ("quick-check", "1.0.0")
FLAT_FOLDER_HASH = "a69b31c798cebfab4c7e279514a3c8da0967d5c75f0862f3e66fa6499681f383"
VERSION_FOLDER_HASH = "36b629f0bc23d8accbc7428c27eb2fb287cf1d81597c213cc6de4f4f5ec9e245"

_REPIN = sa.text(
    "UPDATE assessment SET content_hash = :new WHERE questionnaire_id = :id "
    "AND questionnaire_version = :version AND content_hash = :old"
)


def _repin(old: str, new: str) -> None:
    questionnaire_id, version = QUICK_CHECK
    op.get_bind().execute(
        _REPIN, {"new": new, "old": old, "id": questionnaire_id, "version": version}
    )


def upgrade() -> None:
    _repin(FLAT_FOLDER_HASH, VERSION_FOLDER_HASH)


def downgrade() -> None:
    _repin(VERSION_FOLDER_HASH, FLAT_FOLDER_HASH)
