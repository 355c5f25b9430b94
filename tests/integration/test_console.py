"""`GET /console` and its files: served from the package with their types, nothing else reachable."""

from __future__ import annotations

import re

from chalicelib.api import console
from tests.integration.conftest import Api


def test_the_page_is_served_to_anyone_as_html_and_names_only_files_the_console_serves(api: Api) -> None:
    answer = api.get("/console")

    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    named = re.findall(r'(?:src|href)="console/([^"]+)"', answer.body)
    assert set(named) == {"console.css", "icon.svg", "main.js"}
    assert set(named) <= set(console.assets())


def test_the_page_with_a_trailing_slash_moves_to_the_page_so_its_files_resolve(api: Api) -> None:
    answer = api.client.http.get("/console/")  # the same route, so not an operation of its own

    assert answer.status_code == 301
    assert answer.headers["Location"] == "../console"  # relative: behind API Gateway too, /api/console/


def test_each_file_comes_with_its_text_type(api: Api) -> None:
    kinds = {name: api.get(f"/console/{name}").headers["Content-Type"] for name in console.assets()}

    assert kinds["main.js"] == kinds["i18n.js"] == "text/javascript; charset=utf-8"
    assert kinds["console.css"] == "text/css; charset=utf-8"
    assert kinds["icon.svg"] == "image/svg+xml; charset=utf-8"
    assert set(kinds.values()) <= set(console.CONTENT_TYPES.values())


def test_every_module_imports_only_modules_that_are_served() -> None:
    served = set(console.assets())
    for name in (n for n in served if n.endswith(".js")):
        imported = re.findall(r'from "\./([^"]+)"|import\("\./([^"]+)"\)', (console.FILES / name).read_text())
        assert {a or b for a, b in imported} <= served, name


def test_a_file_that_is_not_the_consoles_or_a_path_out_of_it_is_not_found(api: Api) -> None:
    for asset in ("nope.js", "..%2Fapp.py", "%2E%2E%2Fconfig.py", "__init__.py", "console.css.map", ".."):
        answer = api.get(f"/console/{asset}")
        assert answer.status == 404, asset
        assert answer.body["error"]["code"] == "NOT_FOUND"
