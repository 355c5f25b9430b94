"""The functions' code as deployed: the package scripts/lambda_package.py finished, built for their machine."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from scripts.lambda_package import RUNTIME_SDK
from tests.infra.template import CDK_OUT, Template

UNCHECKED_HASH = 0b01  # the .pyc header's flags: hash-based, source never checked


def package(template: Template) -> tuple[zipfile.ZipFile, dict[str, object]]:
    functions = template.of_type("AWS::Serverless::Function")
    keys = {f["Properties"]["CodeUri"]["Key"] for f in functions.values()}
    assert len(keys) == 1, f"one package for every function, found {keys}"
    return zipfile.ZipFile(CDK_OUT / f"asset.{keys.pop()}"), next(iter(functions.values()))["Properties"]


def test_the_package_leaves_the_runtimes_sdk_to_the_runtime(template: Template) -> None:
    archive, _ = package(template)
    tops = {PurePosixPath(name).parts[0].removesuffix(".py") for name in archive.namelist()}

    assert not tops & set(RUNTIME_SDK)
    assert {"app", "chalicelib", "pynamodb", "aws_lambda_powertools"} <= tops


def test_every_module_ships_bytecode_for_the_functions_python(template: Template) -> None:
    archive, properties = package(template)
    tag = "cpython-" + str(properties["Runtime"]).removeprefix("python").replace(".", "")
    names = set(archive.namelist())
    ours = [n for n in names if n.endswith(".py") and n.split("/")[0] in ("app.py", "chalicelib", "pynamodb", "jwt")]

    missing = [n for n in ours if str(compiled(n, tag)) not in names]

    assert ours and not missing
    for name in ours[:20]:
        header = archive.read(str(compiled(name, tag)))[:8]
        assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH, name


def test_native_code_is_built_for_the_functions_architecture(template: Template) -> None:
    archive, properties = package(template)
    machine = {"arm64": 0xB7, "x86_64": 0x3E}[str(properties["Architectures"][0])]  # type: ignore[index]
    native = [n for n in archive.namelist() if n.endswith(".so")]
    # the ELF header's e_machine: an abi3 wheel's library (cryptography's) names no architecture
    built_for = {n: int.from_bytes(archive.read(n)[18:20], "little") for n in native}

    assert native and all(found == machine for found in built_for.values()), built_for


def compiled(source: str, tag: str) -> PurePosixPath:
    path = PurePosixPath(source)
    return path.parent / "__pycache__" / f"{path.stem}.{tag}.pyc"
