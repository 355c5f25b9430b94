"""scripts/lambda_package.py: the zip Chalice built, finished for Lambda."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts.lambda_package import finish

RUNTIME = f"python{sys.version_info.major}.{sys.version_info.minor}"
SOURCES = {
    "app.py": "import chalicelib.rules\nANSWER = chalicelib.rules.ANSWER\n",
    "chalicelib/__init__.py": "",
    "chalicelib/rules.py": "ANSWER = 42\n",
    "chalicelib/__pycache__/retired.cpython-311.pyc": "stale bytecode from the checkout",
    "botocore/__init__.py": "raise ImportError('the vendored SDK must not be imported')\n",
    "botocore-1.44.5.dist-info/METADATA": "",
    "python_dateutil-2.9.0.post0.dist-info/METADATA": "",
    "six.py": "",
    "pynamodb/__init__.py": "",
}


def chalice_zip(folder: Path) -> Path:
    path = folder / "deployment.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in SOURCES.items():
            archive.writestr(name, text)
    return path


def test_the_runtimes_sdk_and_stale_bytecode_leave_and_every_module_gets_its_own(tmp_path: Path) -> None:
    package = chalice_zip(tmp_path)

    finished = finish(package, RUNTIME)

    names = set(zipfile.ZipFile(package).namelist())
    tag = sys.implementation.cache_tag
    assert {"app.py", "chalicelib/rules.py", "pynamodb/__init__.py"} <= names
    assert not {n for n in names if n.startswith(("botocore", "python_dateutil", "six."))}
    assert "chalicelib/__pycache__/retired.cpython-311.pyc" not in names
    assert {f"__pycache__/app.{tag}.pyc", f"chalicelib/__pycache__/rules.{tag}.pyc"} <= names
    assert (finished.removed, finished.compiled) == (5, 4)


def test_the_finished_package_imports_from_its_bytecode_with_the_sources_gone(tmp_path: Path) -> None:
    package = chalice_zip(tmp_path)
    finish(package, RUNTIME)
    unzipped = tmp_path / "task"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(unzipped)
    (unzipped / "chalicelib" / "rules.py").write_text("ANSWER = 'edited after packaging'\n")

    answer = subprocess.run(
        [sys.executable, "-S", "-B", "-c", "import app; print(app.ANSWER)"],
        cwd=unzipped,
        env={"PYTHONPATH": str(unzipped)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert answer.stdout.strip() == "42"  # unchecked-hash bytecode: what was packaged, never re-read


def test_bytecode_for_another_python_is_refused(tmp_path: Path) -> None:
    package = chalice_zip(tmp_path)
    before = package.read_bytes()

    with pytest.raises(RuntimeError, match="bytecode would never load"):
        finish(package, "python3.9")  # a .pyc carries its interpreter's magic number

    assert package.read_bytes() == before
