"""The deployment package as Lambda should get it: `chalice package`'s zip, finished.

`chalice package` vendors requirements.txt with every dependency, botocore too (pynamodb needs it),
and ships source only: Lambda's /var/task is read-only, so every cold start compiled each module it
imported, botocore's included (an import of the app took 3.4 times a bare Chalice app's). Finished:

- the AWS SDK Lambda's Python runtime provides is left out, so boto3 and botocore come from the
  runtime together, as for the bare app, never the runtime's boto3 over our vendored botocore;
- every module ships its bytecode, compiled by the Python of the Lambda runtime's version, as
  unchecked-hash .pyc files (the zip's fixed timestamps can never invalidate them); the checkout's
  own __pycache__, which `chalice package` copies in, is dropped.

Standard library only: infra/ calls it from its CDK app, and `make bench` on the package it measures.
"""

from __future__ import annotations

import compileall
import os
import py_compile
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

# What every Lambda Python runtime has; the same list serverless-python-requirements leaves out by default.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six")
_DISTRIBUTION = re.compile(r"^(?P<name>[A-Za-z0-9_.]+?)-[\w.+]+\.(dist-info|data)$")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # as `chalice package` writes them: the same input, the same zip


@dataclass(frozen=True)
class Finished:
    removed: int  # entries of the runtime's SDK, and stale bytecode from the checkout
    compiled: int  # .pyc files added
    runtime: str  # the Lambda runtime the bytecode is for, e.g. python3.11


def runtime_of(sam_template: Path) -> str:
    """The one Python runtime of the packaged functions (`Runtime` in chalice package's sam.json)."""
    runtimes = set(re.findall(r'"Runtime":\s*"(python3\.\d+)"', sam_template.read_text()))
    if len(runtimes) != 1:
        raise ValueError(f"expected one Python runtime in {sam_template}, found {sorted(runtimes)}")
    return str(runtimes.pop())


def _top_level(name: str) -> str:
    top = name.split("/", 1)[0]
    found = _DISTRIBUTION.match(top)
    distribution = found.group("name").lower().replace("-", "_") if found else ""
    if distribution == "python_dateutil":
        return "dateutil"
    return distribution or top.removesuffix(".py")


def _dropped(name: str) -> bool:
    return _top_level(name) in RUNTIME_SDK or "__pycache__/" in name or name.endswith(".pyc")


def finish(deployment: Path, runtime: str) -> Finished:
    """Rewrite the zip in place: the runtime's SDK left out, every module's bytecode in."""
    ours = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != ours:
        raise RuntimeError(f"the package runs on {runtime}, but this is {ours}: its bytecode would never load")
    with tempfile.TemporaryDirectory(prefix="slotbook-package-") as temp:
        tree = Path(temp)
        with zipfile.ZipFile(deployment) as archive:
            kept = [entry for entry in archive.infolist() if not _dropped(entry.filename)]
            removed = len(archive.infolist()) - len(kept)
            for entry in kept:
                archive.extract(entry, tree)
        compileall.compile_dir(
            tree,
            quiet=2,  # vendored files that only run elsewhere (py2 examples) just stay uncompiled
            workers=os.cpu_count() or 1,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        compiled = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.pyc"))
        rewritten = deployment.with_suffix(".finishing")
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in kept:
                _write(archive, tree, entry.filename, entry.external_attr)
            for name in compiled:
                _write(archive, tree, name, 0o644 << 16)
        rewritten.replace(deployment)
    return Finished(removed, len(compiled), runtime)


def _write(archive: zipfile.ZipFile, tree: Path, name: str, attributes: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.external_attr, info.compress_type = attributes, zipfile.ZIP_DEFLATED
    archive.writestr(info, b"" if name.endswith("/") else (tree / name).read_bytes())


if __name__ == "__main__":  # python -m scripts.lambda_package <chalice package's output directory>
    out = Path(sys.argv[1])
    print(finish(out / "deployment.zip", runtime_of(out / "sam.json")))
