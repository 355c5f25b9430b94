"""The deployment package as `chalice package` builds it: its size, and its cold import against a bare app.

Lambda puts the unzipped package first on sys.path and its own boto3 after it. Here both apps are
unzipped into a temporary directory and imported in fresh interpreters (`python -S`, so nothing else
of the venv is visible) with a directory that links the venv's boto3 and its dependencies standing in
for the runtime's. The bare app is Chalice's own runtime module, as `chalice package` vendors it, and
an app.py that imports boto3 and declares one route.

Two packages, both imported with -B (/var/task is read-only: nothing is ever cached there): as
`chalice package` ships it (source only, its own botocore: each cold start compiles what it imports),
and as deployed (finished by scripts/lambda_package.py: the runtime's SDK left out, bytecode shipped).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])  # the venv's, where its boto3 is
LAMBDA_RUNTIME = ("boto3", "botocore", "jmespath", "s3transfer", "dateutil", "urllib3", "six.py")
BARE_APP = """\
import boto3
from chalice import Chalice

app = Chalice(app_name="bare")


@app.route("/")
def index():
    return {"hello": "world"}
"""
TIMED_IMPORT = (
    "import time; t, c = time.perf_counter(), time.process_time(); import app; "
    "print(time.perf_counter() - t, time.process_time() - c)"
)


@dataclass(frozen=True)
class PackageSize:
    zip_bytes: int
    unzipped_bytes: int
    largest: list[tuple[str, int]]  # top-level packages of the zip, by unzipped bytes


@dataclass(frozen=True)
class ColdImport:
    app_seconds: float  # wall time, median
    bare_seconds: float
    app_cpu: float  # CPU time, median: steadier on a busy machine
    bare_cpu: float

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.bare_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.app_cpu / self.bare_cpu


def package(out: Path) -> Path:
    """`chalice package --stage dev`: the zip as Chalice builds it (it vendors requirements.txt)."""
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    command = [str(Path(sys.executable).parent / "chalice"), "package", "--stage", "dev", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return out / "deployment.zip"


def deployed(chalice_zip: Path, out: Path) -> Path:
    """The same zip finished as infra/ deploys it (scripts/lambda_package.py)."""
    from scripts import lambda_package

    finished = out / "deployment.zip"
    shutil.copyfile(chalice_zip, finished)
    lambda_package.finish(finished, lambda_package.runtime_of(chalice_zip.parent / "sam.json"))
    return finished


def package_size(deployment: Path) -> PackageSize:
    sizes: Counter[str] = Counter()
    with zipfile.ZipFile(deployment) as archive:
        for entry in archive.infolist():
            top = entry.filename.split("/")[0]
            sizes[re.sub(r"-[\d.]+(\.post\d+)?\.(dist-info|data)$", "", top)] += entry.file_size
    return PackageSize(deployment.stat().st_size, sum(sizes.values()), sizes.most_common(5))


def _lay_out(deployment: Path, work: Path) -> tuple[Path, Path, Path]:
    """The app and the bare app unzipped side by side, and the stand-in for the runtime's boto3."""
    app_dir, bare_dir, runtime = work / "app", work / "bare", work / "runtime"
    with zipfile.ZipFile(deployment) as archive:
        archive.extractall(app_dir)
        for name in archive.namelist():
            if name.startswith("chalice/"):
                archive.extract(name, bare_dir)
    (bare_dir / "app.py").write_text(BARE_APP)
    runtime.mkdir()
    for name in LAMBDA_RUNTIME:
        (runtime / name).symlink_to(SITE_PACKAGES / name)
    return app_dir, bare_dir, runtime


def _python(project: Path, runtime: Path, *args: str) -> str:
    """A fresh interpreter as Lambda's would see the package: only it, the runtime's boto3 and the stdlib."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "PYTHONPATH": f"{project}{os.pathsep}{runtime}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "STAGE": "dev",
        "TABLE_NAME": "slotbook-dev",
        "POWERTOOLS_SERVICE_NAME": "slotbook",
    }
    answer = subprocess.run(
        [sys.executable, "-S", *args], check=False, cwd=project, env=env, capture_output=True, text=True
    )
    if answer.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed in {project}:\n{answer.stderr}")
    return answer.stdout + answer.stderr


def _timed(project: Path, runtime: Path, *flags: str) -> tuple[float, float]:
    wall, cpu = _python(project, runtime, *flags, "-c", TIMED_IMPORT).split()
    return float(wall), float(cpu)


def importtime(project: Path, runtime: Path) -> dict[str, int]:
    """`-X importtime`: each module's own import time in microseconds."""
    own: dict[str, int] = {}
    for line in _python(project, runtime, "-X", "importtime", "-c", "import app").splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \| +(\S+)", line)
        if found:
            own[found.group(2)] = int(found.group(1))
    return own


def beyond_bare(app: dict[str, int], bare: dict[str, int]) -> list[tuple[str, float]]:
    """What the app imports that the bare app does not, in ms by top-level package (chalicelib by subpackage)."""
    spent: Counter[str] = Counter()
    for module, micros in app.items():
        if module not in bare:
            parts = module.split(".")
            spent[".".join(parts[:2]) if parts[0] == "chalicelib" else parts[0]] += micros
    return [(name, micros / 1000) for name, micros in spent.most_common()]


def _interleaved(app_dir: Path, bare_dir: Path, runtime: Path, runs: int, *flags: str) -> ColdImport:
    app, bare = [], []
    for _ in range(runs):
        app.append(_timed(app_dir, runtime, *flags))
        bare.append(_timed(bare_dir, runtime, *flags))
    return ColdImport(
        statistics.median(w for w, _ in app),
        statistics.median(w for w, _ in bare),
        statistics.median(c for _, c in app),
        statistics.median(c for _, c in bare),
    )


def cold_import(deployment: Path, runs: int) -> tuple[ColdImport, list[tuple[str, float]]]:
    """Median import times, app and bare app (Chalice's runtime from the same zip) interleaved, with
    what the app imports beyond the bare app."""
    with tempfile.TemporaryDirectory(prefix="slotbook-bench-") as temp:
        app_dir, bare_dir, runtime = _lay_out(deployment, Path(temp))
        timed = _interleaved(app_dir, bare_dir, runtime, runs, "-B")
        extra = beyond_bare(importtime(app_dir, runtime), importtime(bare_dir, runtime))
    return timed, extra


if __name__ == "__main__":
    runs = int(os.environ.get("BENCH_IMPORT_RUNS", "15"))
    with tempfile.TemporaryDirectory(prefix="slotbook-package-") as out:
        chalice_zip = package(Path(out) / "chalice")
        finished = deployed(chalice_zip, Path(out))
        for name, zipped in (("as chalice package ships it", chalice_zip), ("as deployed", finished)):
            s, extra = cold_import(zipped, runs)
            print(package_size(zipped))
            times = f"app {s.app_seconds:.3f} s, bare {s.bare_seconds:.3f} s"
            print(f"{name}: {times}, {s.ratio:.2f}x (CPU {s.cpu_ratio:.2f}x)")
            print(", ".join(f"{module} {ms:.0f}" for module, ms in extra[:12]))
