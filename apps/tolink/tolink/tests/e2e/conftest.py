"""Everything under tests/e2e is a black-box test (a live server, a browser, backups, commits):
marked `e2e`, so `scripts/test.sh --fast` (pytest -m "not e2e") leaves it out."""

import pathlib

import pytest

HERE = pathlib.Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
	for item in items:
		if HERE in pathlib.Path(str(item.fspath)).parents:
			item.add_marker(pytest.mark.e2e)
