"""The README's walk-throughs run as written, each block on its own, against a stack on moved ports."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import Stack, running_stack

SOURCED = ". scripts/walkthrough.sh"
BLOCKS = [b for b in re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S) if b.startswith(SOURCED)]


@pytest.fixture(scope="module")
def readme_stack() -> Iterator[Stack]:
    with running_stack("readme_stack.log") as stack:
        yield stack


def test_the_readme_has_walk_throughs_that_define_what_they_use() -> None:
    assert len(BLOCKS) >= 6
    assert "../shared" not in (ROOT / "README.md").read_text()  # a clone has nothing outside itself


def test_each_walk_through_block_runs_on_its_own_with_no_server_error(readme_stack: Stack) -> None:
    port = readme_stack.url.rsplit(":", 1)[1].strip("/")
    env = {**os.environ, "API_PORT": port, "AWS_ENDPOINT_URL": readme_stack.aws}
    env.pop("API", None)
    for number, block in enumerate(BLOCKS, 1):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            check=False,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"block {number} failed:\n{block}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert '"success": false, "error": {"code": "INTERNAL' not in done.stdout, block
    log = readme_stack.log.read_text()
    statuses = re.findall(r'"status":\s*(\d{3})', log)
    assert statuses and not [s for s in statuses if s.startswith("5")], "a walk-through got a 5xx"
