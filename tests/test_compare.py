"""``migrate verify``'s engine: where torch's CosineAnnealingLR and its cosine_decay_lr rewrite part, and the report."""

import sys

import numpy as np
import pytest

from migrate.compare import PLOT_POINTS, InvalidSchedule, _plot_steps, compare, plot, render
from migrate.schedules import cosine_decay_lr

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def table_rows(text: str) -> list[list[str]]:
    """The report's table rows as fields, the ``*`` marker kept as its own field."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if line.split()[:2] == ["step", "epoch"])
    rows = []
    for line in lines[start + 1 :]:
        fields = line.split()
        if fields and fields[0] not in ("...", "(*"):
            rows.append(fields if fields[0] == "*" else ["", *fields])
    return rows


class TestCompare:
    def test_epoch_cadence_diverges_one_epoch_past_t_max(self):
        c = compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=30)
        assert c.steps == 150
        assert (c.first_difference, c.epoch(c.first_difference)) == (55, 11)
        assert c.max_deviation == pytest.approx(0.1 - 0.001)
        assert (c.max_deviation_step, c.epoch(c.max_deviation_step)) == (100, 20)
        assert c.within_tolerance[:55].all() and not c.within_tolerance[55:100].any()

    @pytest.mark.parametrize(("t_max", "steps_per_epoch"), [(1, 1), (3, 7), (10, 5), (17, 2), (100, 3)])
    def test_divergence_is_at_t_max_plus_one_epochs(self, t_max, steps_per_epoch):
        c = compare(t_max, 0.0, 0.3, steps_per_epoch, epochs=2 * t_max + 3)
        assert c.first_difference == (t_max + 1) * steps_per_epoch

    def test_step_cadence_counts_t_max_in_optimizer_steps(self):
        c = compare(t_max=100, eta_min=0.0, lr=0.1, steps_per_epoch=5, epochs=30, cadence="step")
        assert (c.first_difference, c.epoch(c.first_difference)) == (101, 20)
        assert c.mindspore_lr.tolist() == cosine_decay_lr(0.0, 0.1, 150, 1, 100)

    def test_uses_the_mindspore_list_and_torch_per_epoch(self):
        c = compare(t_max=4, eta_min=0.01, lr=0.1, steps_per_epoch=3, epochs=9)
        assert c.mindspore_lr.tolist() == cosine_decay_lr(0.01, 0.1, 27, 3, 4)
        assert c.torch_lr[15:18].tolist() == pytest.approx([0.023180194846605363] * 3, rel=1e-14)

    @pytest.mark.parametrize("epochs", [1, 10, 11])
    def test_equivalent_while_the_run_ends_by_t_max_plus_one(self, epochs):
        c = compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=epochs)
        assert c.equivalent and c.first_difference is None
        assert c.max_deviation < 1e-15

    def test_one_epoch_more_diverges(self):
        assert compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=12).first_difference == 55

    def test_a_million_steps(self):
        c = compare(t_max=150, eta_min=1e-5, lr=0.3, steps_per_epoch=5000, epochs=200)
        assert (c.steps, c.first_difference) == (1_000_000, 151 * 5000)


class TestInvalid:
    def test_is_a_value_error(self):
        assert issubclass(InvalidSchedule, ValueError)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                (10, 0.2, 0.1, 5, 30),
                "For 'cosine_decay_lr', the 'max_lr' must be greater than the 'min_lr', but got 'max_lr' value: 0.1, "
                "'min_lr' value: 0.2.",
            ),
            ((10, 0.1, 0.1, 5, 30), "the 'max_lr' must be greater than the 'min_lr'"),
            ((0, 0.0, 0.1, 5, 30), "The 'decay_epoch' must be int and must > 0, but got '0' with type 'int'."),
            ((10, -0.01, 0.1, 5, 30), "The 'min_lr' must be float and must >= 0, but got '-0.01' with type 'float'."),
            ((10, 0, 0.1, 5, 30), "the argument 'min_lr' must be type of float, but got 'min_lr' type: <class 'int'>."),
        ],
    )
    def test_mindspore_refusals_carry_its_message(self, args, message):
        with pytest.raises(InvalidSchedule) as caught:
            compare(*args)
        assert message in str(caught.value)
        assert str(caught.value).startswith("MindSpore rejects mindspore.nn.cosine_decay_lr(")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"cadence": "batch"}, "cadence must be 'epoch' or 'step', got 'batch'"),
            ({"steps_per_epoch": 0}, "steps_per_epoch must be a positive whole number, got 0"),
            ({"epochs": -3}, "epochs must be a positive whole number, got -3"),
            ({"steps_per_epoch": 100_000, "epochs": 1000}, "the run is 100,000,000 optimizer steps"),
        ],
    )
    def test_own_arguments(self, kwargs, message):
        arguments = {"t_max": 10, "eta_min": 0.0, "lr": 0.1, "steps_per_epoch": 5, "epochs": 30, **kwargs}
        with pytest.raises(InvalidSchedule, match=message):
            compare(**arguments)


class TestRender:
    def test_shows_both_calls_the_run_and_the_verdict(self):
        text = render(compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=30))
        assert "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10, eta_min=0.001)" in text
        assert "torch.optim.SGD(params, lr=0.1)" in text
        assert "once per epoch, after every 5 optimizer steps" in text
        assert (
            "mindspore.nn.cosine_decay_lr(min_lr=0.001, max_lr=0.1, total_step=150, step_per_epoch=5, decay_epoch=10)"
            in text
        )
        assert "150 optimizer steps (30 epochs of 5)" in text
        assert "diverges from optimizer step 55 (epoch 11)" in text
        assert "max deviation 0.099 at optimizer step 100 (epoch 20)" in text
        assert "at most 55 optimizer steps" in text
        assert "1e-13 + 1e-09 * |torch|" in text

    def test_table_has_the_first_steps_the_divergence_and_the_end(self):
        c = compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=30)
        rows = table_rows(render(c))
        assert 10 <= len(rows) <= 15
        steps = [int(row[1]) for row in rows]
        assert steps[:3] == [0, 1, 2] and steps[-1] == 149
        assert {53, 54, 55, 56, 100} <= set(steps)
        for mark, step, epoch, torch_lr, mindspore_lr, difference in rows:
            step = int(step)
            assert int(epoch) == step // 5
            assert float(torch_lr) == pytest.approx(c.torch_lr[step], rel=1e-14)
            assert float(mindspore_lr) == pytest.approx(c.mindspore_lr[step], rel=1e-14)
            assert float(difference) == pytest.approx(c.torch_lr[step] - c.mindspore_lr[step], rel=1e-2, abs=1e-30)
            assert (mark == "*") == (step >= 55)

    def test_equivalent_run(self):
        text = render(compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=11))
        assert "equivalent over all 55 optimizer steps" in text
        assert "*" not in text.split("torch - MindSpore")[1]
        assert 10 <= len(table_rows(text)) <= 15

    def test_step_cadence(self):
        text = render(compare(t_max=100, eta_min=0.0, lr=0.1, steps_per_epoch=5, epochs=30, cadence="step"))
        assert "after every optimizer step" in text
        assert "step_per_epoch=1, decay_epoch=100" in text
        assert "diverges from optimizer step 101 (epoch 20)" in text
        assert "past T_max=100 optimizer steps" in text


class TestPlot:
    @pytest.fixture(autouse=True)
    def _matplotlib(self):
        pytest.importorskip("matplotlib", reason="plotting needs matplotlib (pip install 'migrate[plot]')")

    @pytest.mark.parametrize("cadence", ["epoch", "step"])
    def test_writes_a_png(self, tmp_path, cadence):
        path = tmp_path / "lr.png"
        plot(compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=30, cadence=cadence), str(path))
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width > 800 and height > 400

    def test_equivalent_run_has_no_divergence_mark_but_plots(self, tmp_path):
        path = tmp_path / "same.png"
        plot(compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=5), str(path))
        assert path.read_bytes().startswith(PNG_SIGNATURE)

    def test_long_runs_are_subsampled_around_the_divergence(self, tmp_path):
        c = compare(t_max=150, eta_min=1e-5, lr=0.3, steps_per_epoch=5000, epochs=200)
        steps = _plot_steps(c)
        assert len(steps) <= PLOT_POINTS + 3
        assert {c.first_difference - 1, c.first_difference, 0, c.steps - 1} <= set(steps.tolist())
        assert np.all(np.diff(steps) > 0)
        path = tmp_path / "long.png"
        plot(c, str(path))
        assert path.read_bytes().startswith(PNG_SIGNATURE)



def test_plot_without_matplotlib_says_how_to_install_it(tmp_path, monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r"pip install 'migrate\[plot\]'"):
        plot(compare(t_max=10, eta_min=0.001, lr=0.1, steps_per_epoch=5, epochs=30), str(tmp_path / "x.png"))
    assert not (tmp_path / "x.png").exists()
