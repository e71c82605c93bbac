"""The duty-coverage migration: department functions that hold several numbered items run
together are split as the parser splits duties, the existing ones first and in order (their rows
kept), the others after them; the links table and the title column come and go with it. On the
suite's engine, in a database of its own."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.jobs.test_label_migration import scratch_app  # noqa: F401 (a database of its own)

BEFORE = "3c9e51f0a7d2"


def test_run_together_functions_are_split_in_order(scratch_app):  # noqa: F811
    with scratch_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            sa.text(
                "INSERT INTO departments (code, name, path, depth, nature, service_object, authority, "
                "management_functions, evaluation_criteria, created_at, version) VALUES "
                "('EC', '电商部', '/1/', 0, '', '', '', '', '', CURRENT_TIMESTAMP, 1)"
            )
        )
        department_id = db.session.execute(sa.text("SELECT id FROM departments")).scalar()
        db.session.execute(
            sa.text(
                "INSERT INTO department_functions (department_id, position, text) VALUES "
                "(:d, 0, '1.负责网店日常维护；2.负责网络推广'), (:d, 1, '负责官网的维护与修改')"
            ),
            {"d": department_id},
        )
        before = [
            row[0] for row in db.session.execute(sa.text("SELECT id FROM department_functions ORDER BY position"))
        ]
        db.session.commit()
        db.session.remove()

        upgrade()
        rows = [
            tuple(row)
            for row in db.session.execute(
                sa.text("SELECT id, position, title, text FROM department_functions ORDER BY position")
            )
        ]
        assert [(r[1], r[2], r[3]) for r in rows] == [
            (0, "", "负责网店日常维护"),
            (1, "", "负责网络推广"),
            (2, "", "负责官网的维护与修改"),
        ]
        assert [rows[0][0], rows[2][0]] == before  # the existing rows are kept
        assert db.session.execute(sa.text("SELECT COUNT(*) FROM jd_duty_functions")).scalar() == 0
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "jd_duty_functions" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        upgrade()
