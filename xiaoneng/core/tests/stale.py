"""Helpers of the "no silent overwrite" tests (core.versioning): every edit page's form
carries the version it was read at; a stale save comes back with who changed what."""

import re


def form_version(response) -> str:
    """The version in a page's edit form (its hidden `version` field)."""
    assert response.status_code == 200
    match = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no version"
    return match.group(1)


def assert_stale(response, *, who: str, field: str, typed: str) -> None:
    """Refused with "已被他人修改", naming who and the field they changed, the form still
    holding what was typed."""
    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人修改" in page and "请核对后重新保存" in page
    assert who in page and field in page
    assert typed in page
