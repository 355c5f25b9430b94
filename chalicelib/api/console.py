"""The staff console: static files from chalicelib/console, served by the app itself (public; its API calls carry
the staff token). Text files only, so API Gateway needs no binary media types."""

from __future__ import annotations

import functools
from pathlib import Path

from chalice.app import Response

from chalicelib.api.docs import Doc
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.domain.errors import NotFound

routes = Routes(__name__)
FILES = Path(__file__).resolve().parent.parent / "console"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}


@functools.cache
def assets() -> dict[str, str]:
    """The servable files, by name: only what the package ships, so a made-up or `..` name is simply unknown."""
    return {p.name: CONTENT_TYPES[p.suffix] for p in FILES.iterdir() if p.is_file() and p.suffix in CONTENT_TYPES}


@functools.cache
def _text(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8")


def _file(name: str) -> Response:
    kind = assets().get(name)
    if kind is None:
        raise NotFound("The console has no such file.")
    headers: dict[str, str | list[str]] = {
        "Content-Type": kind,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=_text(name), status_code=200, headers=headers)


@routes.route("/console", allow=PUBLIC, doc=Doc("The staff console's page", media="text/html"))
def page(call: Call) -> Response:
    if call.path.endswith("/"):  # /console/ reaches this route too, but its files would resolve under it
        return Response(body="", status_code=301, headers={"Location": "../console"})
    return _file("index.html")


@routes.route(
    "/console/{asset}",
    allow=PUBLIC,
    doc=Doc("A file of the staff console", media=tuple(kind.split(";")[0] for kind in CONTENT_TYPES.values())),
)
def asset(call: Call, asset: str) -> Response:
    return _file(asset)
