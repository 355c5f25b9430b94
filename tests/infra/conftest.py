"""The drift tests read the template `make synth` writes; without one they fail, never skip.

`make infra-test` synthesizes and then runs them; `make test` leaves this folder to it.
"""

from __future__ import annotations

import pytest

from tests.infra.template import CDK_OUT, Template


@pytest.fixture(scope="session")
def template() -> Template:
    if not (CDK_OUT / "manifest.json").is_file():
        pytest.fail(f"No synthesized template in {CDK_OUT}: run `make infra-test` (it runs `make synth` first).")
    return Template.synthesized()
