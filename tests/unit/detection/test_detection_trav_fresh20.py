"""Unit: the fresh20 traversal false positive. ``/root/<name>`` with no dot in any segment is a path of GitLab's first
administrator (user ``root``), not a file worth stealing; ``/root``'s dotfiles and named files stay refused. Values are
our own."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine
from bastion.detection.signatures import traversal

BODY = Context("body", "comment")
QUERY = Context("query", "comment")
ENGINE = Engine()

ROOT_ATTACKS = ["/root/.ssh/authorized_keys", "/root/.docker/config.json", "/root/anaconda-ks.cfg",
                "/root/.mysql_history", "/root/.profile", "/root/install.log", "/root/notes/../../etc/shadow"]
ROOT_BENIGN = ["/root/my-repo", "/root/gitlab-runner", "/root/my-repo/-/issues/3", "/root/docs-site/pipelines/7",
               "/root/api_v2", "/root/team-alpha/backend/-/merge_requests/12", "/root/Website"]


@pytest.mark.parametrize("value", ROOT_ATTACKS)
def test_root_dotfiles_and_named_files_stay_traversal(value: str) -> None:
    for ctx in (BODY, QUERY):
        found = ENGINE.inspect(value, ctx)
        assert found is not None and found.rule.attack == "traversal", value


@pytest.mark.parametrize("value", ROOT_BENIGN)
def test_root_namespace_path_passes(value: str) -> None:
    """GitLab's first administrator is ``root``; ``/root/<project>`` with no dot names no file worth stealing."""
    assert traversal(value, BODY) is None
    for ctx in (BODY, QUERY):
        assert ENGINE.inspect(value, ctx) is None, value
