"""Screenshots of the main pages, for looking at them: serves the app on a throwaway SQLite
database with the demo data and saves PNGs under test-artifacts/pages/.

    .venv/bin/python scripts/screenshots.py [--lang zh_CN] [--role hr] [PATH ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.demo.services import DEMO_PASSWORD, load_demo  # noqa: E402
from app.extensions import db  # noqa: E402

PAGES = [
    "/",
    "/org/departments",
    "/org/departments/2",
    "/org/positions",
    "/org/positions/2",
    "/org/employees",
    "/org/employees/2",
    "/org/chart",
    "/org/headcount",
    "/org/positions/new",
    "/audit/",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="en")
    parser.add_argument("--role", default="hr")
    parser.add_argument("paths", nargs="*", default=PAGES)
    args = parser.parse_args()
    out = ROOT / "test-artifacts" / "pages"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            "development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/shots.sqlite3", "SECRET_KEY": "screenshots"}
        )
        with app.app_context():
            upgrade()
            with acting_as("demo"):
                load_demo()
                db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--disable-sync",
                ],
            )
            page = browser.new_page(
                viewport={"width": 1366, "height": 900}, locale="zh-CN" if args.lang == "zh_CN" else "en-US"
            )
            page.goto(base + "/login")
            page.fill("input[name=email]", f"{args.role}@rolebook.demo")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.press("input[name=password]", "Enter")
            page.wait_for_url(base + "/")
            for path in args.paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                target = out / f"{args.role}-{args.lang}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
