"""The two-way optimizer table: one statement of each pair, read the same way in both directions."""

import ast
import importlib
import inspect

import pytest

from migrate.bridge.optimizers import PAIRS, towards


def test_each_pair_reads_back_to_itself():
    forward, backward = towards("mindspore"), towards("torch")
    for pair in PAIRS:
        if "mindspore" in pair.directions and "torch" in pair.directions:
            there, back = forward[pair.torch.names[0]], backward[pair.mindspore.names[0]]
            assert there.target == pair.mindspore.names[0] and back.target == pair.torch.names[0]
            assert dict(back.renames) == {new: old for old, new in there.renames}


def test_a_direction_reads_the_source_constructor_and_writes_the_source_defaults():
    adamw = towards("mindspore")["torch.optim.AdamW"]
    assert (adamw.target, adamw.positional[1], dict(adamw.defaults)) == (
        "mindspore.nn.AdamWeightDecay", "lr", {"eps": "1e-08", "weight_decay": "0.01"})
    back = towards("torch")["mindspore.nn.optim.adam.AdamWeightDecay"]
    assert (back.target, back.positional[1], dict(back.defaults)) == (
        "torch.optim.AdamW", "learning_rate", {"eps": "1e-06", "weight_decay": "0.0"})


def test_momentum_converts_to_torch_only_and_sgd_maps_back_to_sgd():
    assert towards("torch")["mindspore.nn.Momentum"].renames[-1] == ("use_nesterov", "nesterov")
    assert towards("mindspore")["torch.optim.SGD"].target == "mindspore.nn.SGD"
    assert all(mapping.target != "mindspore.nn.Momentum" for mapping in towards("mindspore").values())


def test_every_qualified_spelling_of_an_optimizer_is_a_key():
    assert {"torch.optim.SGD", "torch.optim.sgd.SGD", "torch.optim.adamw.AdamW"} <= towards("mindspore").keys()
    assert {"mindspore.nn.Adam", "mindspore.nn.optim.Adam", "mindspore.nn.optim.adam.Adam"} <= towards("torch").keys()


def _mindspore_init(cls) -> list[str]:
    """A MindSpore optimizer's ``__init__`` parameters, read from its module's source: a decorator hides them."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))
    [init] = [node for klass in ast.walk(tree) if isinstance(klass, ast.ClassDef) and klass.name == cls.__name__
              for node in klass.body if isinstance(node, ast.FunctionDef) and node.name == "__init__"]
    return [argument.arg for argument in (*init.args.args[1:], *init.args.kwonlyargs)]


def test_each_pair_states_the_real_libraries_signatures_and_torch_default_lr():
    """Oracle: each constructor's parameters, in order, are the installed library's, and the lr torch takes when
    the code leaves it out is the one the list starts from."""
    pytest.importorskip("torch")
    mindspore_nn = pytest.importorskip("mindspore.nn")
    for pair in PAIRS:
        module, name = pair.torch.names[0].rsplit(".", 1)
        real = inspect.signature(getattr(importlib.import_module(module), name)).parameters
        assert list(real)[:len(pair.torch.positional)] == list(pair.torch.positional), name
        assert set(pair.torch.keyword_only) <= set(real), name
        assert float(real["lr"].default) == float(pair.torch.default_lr), name
        ms_class = getattr(mindspore_nn, pair.mindspore.names[0].rsplit(".", 1)[1])
        assert _mindspore_init(ms_class)[:len(pair.mindspore.positional)] == list(pair.mindspore.positional), name
