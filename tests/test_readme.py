"""The README's promises: a short guide, two commands to start, and CI runs the documented one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.strip().splitlines()]


def test_quick_start_is_exactly_two_commands_demo_then_tests() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    demo, tests = commands
    assert "pip install" in demo and "demo" in demo
    assert "pip install" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'TEST_COMMAND="{_quick_start_commands()[1]}"' in ci


def test_readme_is_a_short_guide_with_a_small_screenshot() -> None:
    readme = ROOT / "README.md"
    assert readme.stat().st_size <= 10 * 1024
    screenshot = re.search(r"!\[[^\]]+\]\((docs/images/[^)]+\.png)\)", readme.read_text())
    assert screenshot, "the README shows the product"
    image = ROOT / screenshot.group(1)
    assert image.exists() and image.stat().st_size <= 150 * 1024
