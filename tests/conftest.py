"""The real libraries as fixtures for the oracle tests, skipped with the reason when they are not installed."""

from __future__ import annotations

import pytest
from oracles import ORACLE


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason=f"the torch oracle needs torch 2.13 ({ORACLE})")


@pytest.fixture(scope="module")
def ms_nn():
    pytest.importorskip("mindspore", reason=f"the MindSpore oracle needs mindspore 2.10 ({ORACLE})")
    from mindspore import nn

    return nn
