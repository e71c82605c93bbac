"""The migration that gives versions their own KPI and competency labels: it fills existing rows
from the libraries and goes back down without losing the rows, on the suite's engine, in a
database of its own."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from app.extensions import db
from tests import factories

BEFORE, REVISION = "f6b918a1ea2a", "f49f7545f6bd"
KPI_LABELS = {"kpi_code", "kpi_name", "kpi_unit", "kpi_direction"}
COMPETENCY_LABELS = {"competency_code", "competency_name", "competency_description", "level_description"}


@pytest.fixture
def scratch_app(make_app, database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        name = f"scratch_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        scratch_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        admin, scratch_url = None, f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=scratch_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_labels_are_filled_from_the_libraries_and_the_downgrade_keeps_the_rows(scratch_app):
    with scratch_app.app_context():
        upgrade()
        department = factories.create_department("EC", "电商部")
        position = factories.create_position("EC-CS", department, "在线客服")
        kpi = factories.create_kpi("SALES", "销售额", unit="元")
        competency = factories.create_competency("CRM", "客户关系管理能力", levels=["一", "二", "三", "四", ""])
        content = factories.jd_content("在线客服", kpis=[(kpi, 1800000, 100)], competencies=[(competency, 3)])
        version = factories.publish_jd(position, content)
        version_id = version.id
        db.session.remove()

        downgrade(revision=BEFORE)
        assert not KPI_LABELS & _columns("jd_kpi_targets")
        assert not COMPETENCY_LABELS & _columns("jd_competencies")
        with db.engine.begin() as conn:
            # What the library says when the migration runs is what the versions keep.
            conn.execute(sa.text("UPDATE kpis SET name = '成交额', unit = '万元', direction = 'lower'"))
            conn.execute(sa.text("UPDATE competencies SET description = '维护客户'"))
            conn.execute(sa.text("UPDATE jd_competencies SET level = 5"))  # an empty level text

        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            target = conn.execute(
                sa.text("SELECT version_id, target, kpi_code, kpi_name, kpi_unit, kpi_direction FROM jd_kpi_targets")
            ).one()
            requirement = conn.execute(
                sa.text(
                    "SELECT version_id, level, competency_code, competency_name, competency_description, "
                    "level_description FROM jd_competencies"
                )
            ).one()
        assert tuple(target) == (version_id, 1800000, "SALES", "成交额", "万元", "lower")
        assert tuple(requirement) == (version_id, 5, "CRM", "客户关系管理能力", "维护客户", "")
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE jd_competencies SET level = 3"))
        downgrade(revision=BEFORE)
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT level_description FROM jd_competencies")).scalar_one() == "三"
            with pytest.raises(sa.exc.IntegrityError):  # the copied direction is checked like the library's
                conn.execute(sa.text("UPDATE jd_kpi_targets SET kpi_direction = 'sideways'"))
