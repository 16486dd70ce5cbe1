"""The command line: parse options and hand them to a run (``migrate.run``); exit codes are ``migrate.outcome``'s.

Heavy modules (libcst, the engine, numpy, pathspec) are imported inside commands so ``--help`` and ``--version``
stay fast.
"""

from __future__ import annotations

import sys

import click

from migrate import __version__
from migrate.outcome import EXIT_CLEAN, EXIT_FAILURE, EXIT_USAGE, FAIL_ON, ExitPolicy

FORMATS = ("concise", "full", "json", "sarif", "github")
DIRECTIONS = ("mindspore", "torch")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="migrate")
def main() -> None:
    """Rewrite PyTorch CosineAnnealingLR into MindSpore cosine_decay_lr (and back), every rewrite verified."""


def _conversion_options(command):
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=str)),
        click.option("--to", "to", type=click.Choice(DIRECTIONS), default=None,
                     help="Target framework (default: mindspore, or [tool.migrate] to)."),
        click.option("--unsafe-fixes", is_flag=True, default=None,
                     help="Also apply rewrites that change the learning rates of the run (each is reported)."),
        click.option("--stdin-filename", default=None, help="The path a buffer read from '-' stands for."),
        click.option("--output-format", type=click.Choice(FORMATS), default=None, envvar="MIGRATE_OUTPUT_FORMAT",
                     help="How diagnostics are printed (default: concise)."),
        click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=str), default=None,
                     help="Write diagnostics to this file instead of the terminal."),
        click.option("--select", default=None, help="Comma-separated code prefixes to report (default: all)."),
        click.option("--ignore", default=None, help="Comma-separated code prefixes not to report or fix."),
        click.option("--exclude", default=None,
                     help="Comma-separated gitignore-style patterns of paths to skip (replaces exclude)."),
        click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
                     help="Skip what .gitignore, .ignore and .git/info/exclude ignore."),
        click.option("--force-exclude/--no-force-exclude", default=False, show_default=True,
                     help="Apply the exclusions to paths named on the command line too (pre-commit hooks)."),
        click.option("--periodic", type=click.Choice(("exact", "clamp", "refuse")), default=None,
                     help="When the run passes T_max: write torch's periodic schedule as an exact list (default), "
                          "the plain clamped call as an unsafe fix, or refuse the site."),
        click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                     help="Exit 1 when a file is rewritten (default) or when a warning remains ([tool.migrate] "
                          "fail-on)."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when files changed or findings remain."),
        click.option("--exit-non-zero-on-fix", is_flag=True,
                     help="Exit 1 when a file was rewritten, whatever fail-on says."),
        click.option("--statistics", is_flag=True, help="Print how many times each code was reported, not each."),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
                     help="Files processed in parallel (0: one per core; default: one per core for a run of 32 "
                          "files or more, else 1); results are identical to a serial run."),
        click.option("-q", "--quiet", is_flag=True, help="Print diagnostics only: no summary, no progress."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@_conversion_options
@click.option("--diff", is_flag=True, help="Print a git-applicable diff of the changes; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when something would change.")
def convert(paths, diff, check, **options) -> None:
    """Rewrite files in place (default path: '.'; '-': stdin to stdout)."""
    mode = "diff" if diff else "check" if check else "write"
    sys.exit(_run(paths, mode, options))


@main.command()
@_conversion_options
def check(paths, **options) -> None:
    """Report what convert would do, with fix edits in the json format; write nothing."""
    sys.exit(_run(paths, "report", options))


def _run(paths, mode: str, options) -> int:
    from migrate.config import ConfigError
    from migrate.run import STDIN, Run

    exit_zero, exit_non_zero_on_fix = options.pop("exit_zero"), options.pop("exit_non_zero_on_fix")
    if exit_zero and exit_non_zero_on_fix:
        raise click.UsageError("--exit-zero and --exit-non-zero-on-fix cannot be used together")
    options["exit_policy"] = ExitPolicy(exit_zero, exit_non_zero_on_fix)
    respect_gitignore, force_exclude = options.pop("respect_gitignore"), options.pop("force_exclude")
    if STDIN not in paths:  # a buffer is not discovered: pathspec is not imported for it
        from migrate.discover import Discovery

        options["discovery"] = Discovery(respect_gitignore, force_exclude)
    try:
        return Run.from_options(paths or (".",), mode, options).execute()
    except ConfigError as error:
        click.echo(f"migrate: {error}", err=True)
        return EXIT_USAGE


@main.command()
@click.option("--t-max", type=click.IntRange(min=1), required=True, help="torch T_max (scheduler steps).")
@click.option("--eta-min", type=float, default=0.0, show_default=True, help="torch eta_min = MindSpore min_lr.")
@click.option("--lr", type=float, required=True, help="The optimizer's base lr = MindSpore max_lr.")
@click.option("--steps-per-epoch", type=click.IntRange(min=1), required=True, help="Optimizer steps per epoch.")
@click.option("--epochs", type=click.IntRange(min=1), required=True, help="Epochs the run trains.")
@click.option("--cadence", type=click.Choice(("epoch", "step")), default="epoch", show_default=True,
              help="scheduler.step() once per epoch, or after every optimizer step.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Draw both learning-rate curves into this PNG file (needs migrate[plot]).")
def verify(t_max, eta_min, lr, steps_per_epoch, epochs, cadence, plot_path) -> None:
    """Compare a torch CosineAnnealingLR run with its cosine_decay_lr list, step by step."""
    from migrate import compare

    try:
        comparison = compare.compare(t_max, eta_min, lr, steps_per_epoch, epochs, cadence)
    except ValueError as error:
        click.echo(f"migrate verify: {error}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(compare.render(comparison), nl=False)
    if plot_path:
        try:
            compare.plot(comparison, plot_path)
        except ImportError as error:
            click.echo(f"migrate verify: {error}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"plot written to {plot_path}")
    sys.exit(EXIT_CLEAN if comparison.equivalent else EXIT_FAILURE)


@main.command("rules")
def list_rules() -> None:
    """Every diagnostic code, by concern: its name, severity, the directions whose rules raise it (``-`` for the
    engine's own codes) and its one-line summary."""
    from migrate.engine import all_codes, documented_by

    raised_by = {code: sorted({rule.target for rule, _ in entries}) for code, entries in documented_by().items()}
    for code in sorted(all_codes().values(), key=lambda code: code.code):
        directions = ",".join(raised_by.get(code.code, [])) or "-"
        click.echo(f"{code.code:<7} {code.name:<27} {code.severity:<8} {directions:<16} {code.summary}")


@main.command()
@click.argument("code")
def explain(code) -> None:
    """The documentation of one code, as ruff's rule pages: what it does, then for each rule that raises it why, an
    example, what to use instead and whether the fix is safe."""
    from migrate.bridge.codes import redirected
    from migrate.engine import CODES, all_codes, documented_by

    code = redirected(code.upper())
    entry = all_codes().get(code)
    if entry is None:
        click.echo(f"migrate explain: unknown code {code!r} (see `migrate rules`)", err=True)
        sys.exit(EXIT_USAGE)
    text = [f"# {entry.code} ({entry.name})", "", f"Severity: {entry.severity}", "", "## What it does",
            entry.summary]
    if code in CODES:
        text += _explained(entry, None, "##")
    for rule, documented in documented_by().get(code, []):
        text += ["", f"## {rule.summary}", documented.summary, *_explained(documented, rule.target, "###")]
    click.echo("\n".join(text))


def _explained(entry, target: str | None, level: str) -> list[str]:
    """One rule's account of a code: why, its example and what to write instead, and the fix's safety."""
    from migrate.rule import NO_FIX, SAFE

    command = f"migrate convert --to {target}" if target else "migrate convert"
    text = ["", f"{level} Why", entry.why]
    if entry.example:
        text += ["", f"{level} Example", f"`{command}` reports {entry.code} on:", "", "```python",
                 entry.example + "```"]
    if entry.fixed:
        if entry.applicability == NO_FIX:
            lead = f"Written this way, {entry.code} is no longer reported:"
        elif entry.applicability == SAFE:
            lead = f"`{command}` writes:"
        else:
            lead = f"`{command} --unsafe-fixes` writes:"
        text += ["", f"{level} Use instead", lead, "", "```python", entry.fixed + "```"]
    if entry.safety:
        text += ["", f"{level} Fix safety", entry.safety]
    return text


@main.command()
def server() -> None:
    """Speak LSP over stdio for editors (needs: pip install 'migrate[lsp]')."""
    try:
        from migrate.server import serve
    except ImportError as error:
        click.echo(f"migrate server needs pygls: pip install 'migrate[lsp]' ({error})", err=True)
        sys.exit(EXIT_USAGE)
    serve()
