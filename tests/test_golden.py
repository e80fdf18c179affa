"""Generated pages and maps match the reviewed golden files (regenerate with `make golden`)."""

from __future__ import annotations

import pytest

from .golden import GOLDEN, outputs


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return outputs()


def test_golden_set_is_complete(generated):
    assert sorted(generated) == sorted(path.name for path in GOLDEN.iterdir())


@pytest.mark.parametrize("name", sorted(path.name for path in GOLDEN.iterdir()))
def test_output_matches_golden_file(generated, name):
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert generated[name] == expected, f"{name} changed: review the diff, then run `make golden`"
