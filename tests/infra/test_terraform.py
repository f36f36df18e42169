"""infra/ checked by Terraform itself, offline: fmt, validate, and the mocked `terraform test`.

Terraform runs in a copy of the parts of the repository the configuration reads (infra/,
schema/, client/ and a freshly packaged dist/), with its data directory in the same temp
folder, so no plugin folder or state is ever written into the repository. The provider comes
from the machine's offline mirror, through infra/tests/offline.tfrc, and must match the
committed infra/.terraform.lock.hcl as it stands (`init -lockfile=readonly`).
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from retro_tools.packaging import BuildResult

from .conftest import INFRA, ROOT, require

pytestmark = pytest.mark.terraform

CLI_CONFIG = INFRA / "tests" / "offline.tfrc"
LOCK_FILE = INFRA / ".terraform.lock.hcl"


@dataclass(frozen=True)
class Terraform:
    """The terraform binary and the environment every command here runs with."""

    binary: str
    env: dict[str, str]
    #: Every path under infra/ before the first command, to prove none was added.
    infra_before: frozenset[Path]

    def run(self, *args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.binary, *args],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )


def _mirror() -> Path:
    """The provider mirror named in offline.tfrc."""
    match = re.search(r'path\s*=\s*"([^"]+)"', CLI_CONFIG.read_text())
    assert match, f"{CLI_CONFIG} names no filesystem_mirror path"
    return Path(match.group(1))


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Terraform:
    binary = shutil.which("terraform")
    require(binary is not None, "terraform is not installed")
    mirror = _mirror() / "registry.terraform.io" / "hashicorp" / "aws"
    require(mirror.is_dir(), f"the offline hashicorp/aws provider mirror is missing ({mirror})")
    assert binary is not None
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(CLI_CONFIG),
        "TF_DATA_DIR": str(tmp_path_factory.mktemp("terraform-data")),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",  # no version check call home
    }
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    return Terraform(binary=binary, env=env, infra_before=frozenset(INFRA.rglob("*")))


@pytest.fixture(scope="session")
def workspace(
    terraform: Terraform, production_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An initialised copy of infra/ with what it reads next to it; yields the infra folder."""
    copy = tmp_path_factory.mktemp("repository")
    shutil.copytree(
        INFRA,
        copy / "infra",
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "*.tfplan"),
    )
    shutil.copytree(ROOT / "schema", copy / "schema")
    shutil.copytree(ROOT / "client", copy / "client")
    shutil.copy(LOCK_FILE, copy / "infra")
    (copy / "dist").mkdir()
    for path in [*production_build.zips.values(), production_build.manifest]:
        shutil.copy(path, copy / "dist")
    _package_described_as_python_3_11(production_build, copy / "dist-python3.11")
    # readonly: the mirror's provider must be the locked version with a locked checksum, and
    # versions.tf's constraint the locked one; init may not rewrite the lock to make it so.
    init = terraform.run(
        "init", "-backend=false", "-lockfile=readonly", "-no-color", cwd=copy / "infra"
    )
    assert init.returncode == 0, f"terraform init failed:\n{init.stdout}\n{init.stderr}"
    return copy / "infra"


def _package_described_as_python_3_11(production_build: BuildResult, folder: Path) -> None:
    """The zips with a build.json saying Python 3.11: lambda_versions.tftest.hcl plans a 3.11
    runtime with it, so that its SnapStart check is the only one that can refuse the plan."""
    folder.mkdir()
    for path in production_build.zips.values():
        shutil.copy(path, folder)
    manifest = json.loads(production_build.manifest.read_text())
    manifest["pythonVersion"] = "3.11"
    (folder / "build.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def _run_blocks() -> int:
    return sum(
        len(re.findall(r'^run "', path.read_text(), flags=re.MULTILINE))
        for path in (INFRA / "tests").glob("*.tftest.hcl")
    )


def test_required_terraform_is_one_the_tests_run_on() -> None:
    # The tests' mock_provider and override_data blocks need Terraform 1.7; an older one would
    # plan the stack but fail `terraform test`, so versions.tf must not admit it.
    versions = (INFRA / "versions.tf").read_text()
    match = re.search(r'required_version\s*=\s*">=\s*(\d+)\.(\d+)"', versions)
    assert match, "versions.tf must state required_version as a lower bound"
    assert (int(match.group(1)), int(match.group(2))) >= (1, 7), match.group(0)
    assert any("mock_provider" in path.read_text() for path in (INFRA / "tests").glob("*.hcl"))


def test_lock_file_pins_the_provider_for_every_platform() -> None:
    # One h1: checksum (this machine's platform, from the mirror) and the registry's zh:
    # checksums of every platform's zip, so `terraform init` on macOS or Windows verifies the
    # download against the lock instead of failing on a lock made for linux_amd64 only.
    lock = LOCK_FILE.read_text()
    constraint = re.search(r'\bversion\s*=\s*"([^"]+)"', (INFRA / "versions.tf").read_text())
    assert constraint, "versions.tf must constrain the aws provider's version"
    assert f'constraints = "{constraint.group(1)}"' in lock
    assert len(re.findall(r'"zh:[0-9a-f]{64}"', lock)) >= 10, lock
    assert re.search(r'"h1:[A-Za-z0-9+/]{43}="', lock), lock


def test_terraform_files_are_formatted(terraform: Terraform) -> None:
    result = terraform.run("fmt", "-check", "-recursive", "-diff", "-no-color", cwd=INFRA)
    assert result.returncode == 0, f"run `terraform fmt -recursive infra`:\n{result.stdout}"


def test_configuration_is_valid(terraform: Terraform, workspace: Path) -> None:
    result = terraform.run("validate", "-no-color", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert "The configuration is valid" in result.stdout


def test_terraform_tests_pass_against_the_mocked_provider(
    terraform: Terraform, workspace: Path
) -> None:
    # A safety net, not a budget: the runs took 15 minutes on 2 CPUs at load average 12-15.
    result = terraform.run("test", "-no-color", cwd=workspace, timeout=1800)
    assert result.returncode == 0, f"terraform test failed:\n{result.stdout}\n{result.stderr}"
    # Every run block ran and passed: none was skipped because an earlier one failed.
    assert f"Success! {_run_blocks()} passed, 0 failed." in result.stdout, result.stdout


def test_terraform_left_nothing_in_the_repository(terraform: Terraform, workspace: Path) -> None:
    # Runs after the tests above (file order): no lock file, .terraform folder or state.
    assert sorted(set(INFRA.rglob("*")) - terraform.infra_before) == []
