"""The torch side of a list converted to a scheduler: the torch optimizer edited from the MindSpore one, fresh
scheduler names, the statements that build and step the scheduler, ``lr[step]`` reads become the scheduler's
current lr, and the notes on what the torch optimizer does differently or is still used as MindSpore's.
``TorchSide`` is the part of ``ListSite`` that writes them."""

from __future__ import annotations

import libcst as cst

from migrate.analysis import LOOPS, Analysis, atom, names_in
from migrate.bridge.list_delivery import Delivery
from migrate.bridge.list_loops import adds_one, binds_zero, plain_line
from migrate.bridge.optimizers import WEIGHT_DECAY_DIFFERENCE, bound_arguments
from migrate.edit import EQUAL, joined_arguments, keyword_argument
from migrate.program import ARGUMENT, ATTRIBUTE, METHOD
from migrate.rule import Note

PARAMETER_LISTS = ("trainable_params", "get_parameters")
WARMUP_SCHEDULER = "torch.optim.lr_scheduler.LambdaLR"
CHAIN = "torch.optim.lr_scheduler.SequentialLR"
TORCH_OPTIMIZER_API = ("step", "zero_grad", "param_groups", "state_dict", "load_state_dict", "add_param_group")
STEP_IDIOM = ("a torch optimizer is not called with gradients: compute the loss, `loss.backward()`, then "
              "`optimizer.step()` (and `optimizer.zero_grad()` before the next batch)")
CELL_IDIOM = ("{callee}() takes a MindSpore optimizer; in torch write the step out: forward, `loss.backward()`, "
              "`optimizer.step()`, `optimizer.zero_grad()`")
PARAMETERS_IDIOM = ("torch computes gradients with `loss.backward()` on the model's parameters (the optimizer holds "
                    "them in optimizer.param_groups): mindspore.value_and_grad has no torch counterpart here")


def in_package(qualified: str, package: str) -> str:
    """``torch.optim.X`` written under the name ``package`` reaches torch by (``th`` when ``torch`` is rebound)."""
    return package + qualified.removeprefix("torch")


class FreshName:
    """A new module-wide name, taken when first written: a site refused before that leaves it to the next site.
    With an ``owner`` (``self``) it is an attribute, ``self.<name>``, whose name is also none of ``taken``."""

    def __init__(self, analysis: Analysis, base: str, owner: str | None = None, taken: set[str] = frozenset()):
        self.analysis, self.base, self.owner, self.taken = analysis, base, owner, taken
        self._name: str | None = None

    def __str__(self) -> str:
        if self._name is None:
            name = self.analysis.fresh_name(self.base)
            while name in self.taken:
                name = self.analysis.fresh_name(self.base)
            self._name = f"{self.owner}.{name}" if self.owner else name
        return self._name


class TorchSide:
    """The part of ``ListSite`` that writes the torch statements and notes of a converted list; what they assume
    goes into the site's ``assumptions``."""

    def _optimizer_arguments(self, delivery: Delivery) -> dict[str, cst.BaseExpression]:
        return bound_arguments(self.analysis, delivery.optimizer_call, delivery.mapping)

    def _new_optimizer(self, delivery: Delivery, values, lr: str, package: str,
                       params: cst.BaseExpression | None = None) -> cst.SimpleStatementLine:
        """The torch construction, edited from the MindSpore one so its layout and comments stay; ``params``, when
        given, is what the params argument becomes (the param groups)."""
        mapping, call = delivery.mapping, delivery.optimizer_call
        renames = dict(mapping.renames)
        given, arguments = set(), []
        for index, argument in enumerate(call.args):
            name = argument.keyword.value if argument.keyword else mapping.positional[index]
            given.add(name)
            if name == "params":
                arguments.append(argument.with_changes(
                    value=params if params is not None else self._params(argument.value)))
            elif name == "learning_rate":
                arguments.append(keyword_argument(argument, "lr", cst.parse_expression(lr)))
            elif name in ("beta1", "beta2"):
                if not any(other in given for other in ("beta1", "beta2") if other != name):
                    arguments.append(keyword_argument(argument, "betas", self._betas(values)))
            elif name in renames:
                arguments.append(keyword_argument(argument, renames[name], argument.value))
        inert = sorted(given & set(mapping.inert))
        if inert:
            self.assumptions.append(f"{', '.join(inert)} only change how MindSpore computes, not what")
        added = [cst.Arg(cst.parse_expression(value), keyword=cst.Name(name), equal=EQUAL)
                 for name, value in mapping.defaults if name not in given]
        new_call = call.with_changes(func=cst.parse_expression(in_package(mapping.target, package)),
                                     args=joined_arguments(arguments, added, call.args[-1].comma))
        line = delivery.optimizer_line
        return line.with_changes(body=[line.body[0].with_changes(value=new_call)])

    def _params(self, params: cst.BaseExpression) -> cst.BaseExpression:
        if (isinstance(params, cst.Call) and not params.args and isinstance(params.func, cst.Attribute)
                and params.func.attr.value in PARAMETER_LISTS):
            return params.with_changes(func=params.func.with_changes(attr=cst.Name("parameters")))
        self.assumptions.append(f"{self.analysis.code(params)} holds torch parameters")
        return params

    def _betas(self, values) -> cst.BaseExpression:
        first, second = (self.analysis.code(values[name]) if name in values else default
                         for name, default in (("beta1", "0.9"), ("beta2", "0.999")))
        return cst.parse_expression(f"({first}, {second})")

    def _semantic_notes(self, delivery: Delivery, values, grouped: bool = False) -> list[Note]:
        """How the torch optimizer updates differently. With param groups MindSpore decays every parameter of a
        group by its weight_decay (its beta/gamma filter is for an ungrouped optimizer), as torch does."""
        mapping, call = delivery.mapping, delivery.optimizer_call
        notes = [Note(call, "MIG104", mapping.differences)] if mapping.differences else []
        if grouped:
            return notes
        weight_decay = values.get("weight_decay")
        decays = (dict(mapping.defaults).get("weight_decay") if weight_decay is None
                  else self.analysis.code(weight_decay))
        if decays is not None and self.analysis.value(decays) != 0:
            notes.append(Note(call, "MIG104", f"weight_decay={decays}: {WEIGHT_DECAY_DIFFERENCE}"))
        return notes

    def _left_to_port(self, delivery: Delivery) -> list[Note]:
        """Each use of the converted optimizer that is still MindSpore's API, with the torch idiom (MIG112)."""
        name = self.analysis.code(delivery.optimizer_name)
        notes = []
        for use in self.program.follow(delivery.optimizer_call).uses:
            if use.call is not None and use.call in self.lr_reads:
                continue
            parent = self.analysis.parents.get(use.node)
            if isinstance(parent, cst.Call) and parent.func is use.node:
                node, idiom = parent, STEP_IDIOM
            elif use.kind == ARGUMENT:
                node, idiom = use.call, CELL_IDIOM.format(callee=self.analysis.code(use.call.func))
            elif use.kind in (ATTRIBUTE, METHOD) and use.detail == "parameters":
                node, idiom = parent, PARAMETERS_IDIOM
            elif use.kind in (ATTRIBUTE, METHOD) and use.detail not in TORCH_OPTIMIZER_API:
                node, idiom = parent, f"`{use.detail}` is MindSpore optimizer API: port this line by hand"
            else:
                continue
            notes.append(Note(node, "MIG112", f"`{self.analysis.first_line(node)}` uses {name} as a MindSpore "
                                             f"optimizer, and it is a torch one now: {idiom}"))
        return notes

    def _construction_place(self, delivery: Delivery) -> cst.SimpleStatementLine:
        """The first list line when only list lines lie between it and an optimizer line without comments above it,
        so the blank lines and comments that opened the paragraph stay; else the optimizer's own line."""
        line = delivery.optimizer_line
        if not delivery.carriers or any(leading.comment is not None for leading in line.leading_lines):
            return line
        block = self.analysis.parents[line].body
        first = block.index(delivery.carriers[0]) if delivery.carriers[0] in block else -1
        between = block[first + 1:block.index(line)] if first >= 0 else None
        return delivery.carriers[0] if between is not None and set(between) <= set(delivery.carriers) else line

    def _scheduler_name(self, delivery: Delivery, several: bool) -> FreshName:
        """``scheduler``; with several optimizers, one per optimizer named after it (``optimizer_g`` →
        ``scheduler_g``)."""
        base = "scheduler"
        if several:
            name = delivery.optimizer_name.attr.value if delivery.owner else delivery.optimizer_name.value
            suffix = next((name[len(prefix):] for prefix in ("optimizer", "optim", "opt") if name.startswith(prefix)),
                          f"_{name}")
            base = f"scheduler{suffix}" if suffix else base
        return FreshName(self.analysis, base, delivery.owner,
                          self._class_attributes(delivery) if delivery.owner else set())

    def _class_attributes(self, delivery: Delivery) -> set[str]:
        """Every attribute name the optimizer's class uses: a new ``self.<name>`` must not be one of them."""
        owner = self.program.class_of(self.program.function_of(delivery.optimizer_line))
        finder = _AttributeNames()
        (owner or self.analysis.module).visit(finder)
        return finder.names

    def _step_statement(self, scheduler: FreshName, held: bool) -> cst.BaseStatement:
        """``scheduler.step()``, or, to follow the list past the agreement, the step only while the pair's hold
        condition holds."""
        if not held:
            return cst.parse_statement(f"{scheduler}.step()\n")
        return cst.parse_statement(f"if {self.pair.hold_condition(scheduler)}:\n    {scheduler}.step()\n")

    def _chain_statements(self, scheduler: FreshName, package: str, optimizer: str, scheduler_call: str,
                          warmup_epochs: str) -> list[cst.BaseStatement]:
        """warmup_lr's ramp from 0 as a LambdaLR (LinearLR cannot start at 0), the pair's scheduler, and the
        SequentialLR that switches at warmup_epochs, restarting the scheduler at its base lr as the list's second
        part does."""
        warmup_name = self.analysis.fresh_name("warmup_scheduler")
        second_name = self.analysis.fresh_name(f"{self.pair.kind}_scheduler")
        read = {name.value for name in names_in(cst.parse_expression(warmup_epochs))}
        epoch = next(name for name in ("epoch", "warmup_epoch", "e") if name not in read)
        return [
            cst.parse_statement(f"{warmup_name} = {in_package(WARMUP_SCHEDULER, package)}({optimizer}, "
                                f"lambda {epoch}: {epoch} / {atom(warmup_epochs)})\n"),
            cst.parse_statement(f"{second_name} = {scheduler_call}\n"),
            cst.parse_statement(f"{scheduler} = {in_package(CHAIN, package)}({optimizer}, [{warmup_name}, "
                                f"{second_name}], milestones=[{warmup_epochs}])\n"),
        ]

    def _hand_chain_statements(self, scheduler: FreshName, package: str, optimizer: str, lambdas: tuple[str, str],
                               length: str) -> list[cst.BaseStatement]:
        """A warmup written out, one entry per optimizer step, as a LambdaLR of its element over the base lr; the
        pair's list as a LambdaLR of its formula per optimizer step; and the SequentialLR that switches at the
        warmup's length. A length the code does not fix above 0 gets an ``if``: an empty warmup (``range(0)``) is the
        pair's scheduler alone, since torch's LambdaLR reads its lambda at step 0 when it is built (``(i + 1) / 0``
        would raise) and a SequentialLR at milestone 0 would start from the warmup's lr."""
        warmup_lambda, list_lambda = lambdas
        warmup_name = self.analysis.fresh_name("warmup_scheduler")
        second_name = self.analysis.fresh_name(f"{self.pair.kind}_scheduler")
        scheduler_class = in_package(WARMUP_SCHEDULER, package)
        chain = (f"{warmup_name} = {scheduler_class}({optimizer}, {warmup_lambda})\n"
                 f"{scheduler} = {in_package(CHAIN, package)}({optimizer}, [{warmup_name}, {second_name}], "
                 f"milestones=[{length}])\n")
        second = cst.parse_statement(f"{second_name} = {scheduler_class}({optimizer}, {list_lambda})\n")
        value = self.analysis.value(length)
        if isinstance(value, int) and value > 0:
            return [second, *cst.parse_module(chain).body]
        indented = "".join(f"    {line}\n" for line in chain.splitlines())
        return [second, cst.parse_statement(f"if {length} > 0:\n{indented}else:\n    {scheduler} = {second_name}\n")]

    def _current_lr_reads(self, scheduler: FreshName) -> dict[cst.CSTNode, cst.BaseExpression]:
        """Each ``lr[step]`` read as the torch optimizer's current lr, ``scheduler.get_last_lr()[0]``.

        That is the list's element the optimizer's next step uses when ``step`` counts the optimizer steps made so
        far: bound to 0 once before the loops, increased by one right after the optimizer step in the same block,
        and read in that block before the step, with nothing between that can leave the iteration. Anything else is
        refused at the read (MIG107)."""
        replacements = {}
        for read in self.step_reads:
            why = self._not_a_step_count(read)
            if why is not None:
                self.blockers.append(Note(read, "MIG107", f"`{self.analysis.code(read)}` at line "
                                          f"{self.analysis.line(read)} reads one element of the list, and {why}; a "
                                          "torch scheduler has no list (the lr of step i is "
                                          "scheduler.get_last_lr()[0] while step i runs)"))
                continue
            current = f"{scheduler}.get_last_lr()[0]"
            replacements[read] = cst.parse_expression(current)
            counter = self.analysis.code(read.slice[0].slice.value)
            self.assumptions.append(f"`{self.analysis.code(read)}` (line {self.analysis.line(read)}) becomes "
                                    f"{current}, the lr of the optimizer step that follows it, as {counter} counts "
                                    "the optimizer steps made")
        return replacements

    def _optimizer_lr_reads(self, delivery: Delivery, anchor: cst.CSTNode | None,
                            alone: bool) -> tuple[dict[cst.CSTNode, cst.BaseExpression], list[Note]]:
        """Each ``optimizer.get_lr()`` as ``optimizer.param_groups[0]["lr"]``: MindSpore's is the list's entry at
        the optimizer's step count, the lr of its next step, which torch's param group holds wherever the scheduler
        has been stepped for every optimizer step made. That fails only between an optimizer step and the
        ``scheduler.step()`` placed after ``anchor`` (inside a batch loop stepped per epoch, in a helper after its
        step): such a read is refused, as is one with param groups (MindSpore's is then a tuple), another optimizer
        on the list, or no proven place for the step (MIG107)."""
        uses = [use for use in self.program.follow(delivery.optimizer_call).uses
                if use.kind == METHOD and use.detail == "get_lr" and use.call is not None and not use.call.args]
        if alone:
            self.lr_reads, self.late_reads = {use.call for use in uses}, []
        replacements, notes = {}, []
        for use in uses:
            text, line = self.analysis.code(use.call), self.analysis.line(use.call)
            why = ("the optimizer has param groups (MindSpore's get_lr() gives one lr per group)" if not alone
                   else "scheduler.step() has no proven place" if anchor is None else self._stale_read(use.call,
                                                                                                       anchor))
            if why is not None:
                self.blockers.append(Note(use.call, "MIG107", f"`{text}` at line {line} reads the lr of the "
                                          f"optimizer's next step, and {why}"))
                continue
            quote = "'" if any(isinstance(node, cst.FormattedString) and '"' in node.start
                               for node in self.analysis.ancestors(use.call)) else '"'
            current = f"{self.analysis.code(use.node)}.param_groups[0][{quote}lr{quote}]"
            replacements[use.call] = cst.parse_expression(current)
            notes.append(Note(use.call, "MIG111", f"`{text}` reads {current}: the lr of the optimizer's next step, "
                                                  "as MindSpore's get_lr() gives it (a float, where MindSpore gives "
                                                  "a float32 Tensor)"))
        return replacements, notes

    def _stale_read(self, read: cst.Call, anchor: cst.CSTNode) -> str | None:
        """Why torch's lr is not yet the next step's where ``read`` runs: it runs after the optimizer step and
        within ``anchor``, before the ``scheduler.step()`` that follows it. A read after the steps elsewhere is
        kept in ``late_reads``, checked against the run's length once it is known."""
        frame = self.program.function_of(anchor)
        route, stepped = self.program.route(read, frame), self.program.route(self.step_statement, frame)
        if route is None or stepped is None:
            return "when it runs, against the optimizer steps, is not visible"
        here = tuple(self.analysis.start(hop.node) for hop in route.hops)
        step = tuple(self.analysis.start(hop.node) for hop in stepped.hops)
        if step < here and self.analysis.start(anchor) <= here[0] <= self.analysis.end(anchor):
            return (f"it runs after the optimizer step at line {self.analysis.line(self.step_statement)} and before "
                    f"scheduler.step() (after line {self.analysis.line(anchor)}), where torch's lr is still the "
                    "last step's: read it before the optimizer step or after the loop")
        if step < here:
            self.late_reads.append(read)
        return None

    def _check_late_reads(self, run_steps: str | None, total: str) -> None:
        """A read after an iteration's optimizer steps reads, after the run's last step, the list's entry at the
        run's length: past the end when the run is the list's whole length, where MindSpore raises and torch
        gives an lr. Refused unless the list is longer than the run (MIG107)."""
        for read in self.late_reads:
            if run_steps is None or not self._at_most(f"{atom(run_steps)} + 1", total):
                self.blockers.append(Note(read, "MIG107", f"`{self.analysis.code(read)}` at line "
                                          f"{self.analysis.line(read)} runs after the optimizer's steps, so after the "
                                          f"run's last step it reads the list's entry "
                                          f"{run_steps or 'at the run length'}, past its end when the run is "
                                          f"total_step={total} steps long: MindSpore raises there, torch would give "
                                          "an lr; read it before the optimizer step, or make the list one step longer"))

    def _not_a_step_count(self, read: cst.Subscript) -> str | None:
        """Why ``lr[counter]`` is not the lr of the optimizer step that follows the read; None when it is."""
        analysis, program = self.analysis, self.program
        if self.step_statement is None:
            return "scheduler.step() has no proven place"
        statement = analysis.statement(read)
        function = program.function_of(statement)
        step = self.step_statement
        if program.function_of(step) is not function:
            route = program.route(step, function)
            if route is None or self._helpers_skip_or_repeat(route.hops[1:]):
                return "the optimizer steps in a helper not called once per iteration where it is read"
            step = analysis.statement(route.anchor)
        block = analysis.parents.get(step)
        if not isinstance(analysis.parents.get(block), LOOPS) or statement not in block.body:
            return "it is not read in the loop body that steps the optimizer"
        counter = read.slice[0].slice.value
        scope = analysis.scopes.get(counter)
        assignments = [assignment for assignment in scope[counter.value]] if scope is not None else []
        statements = [analysis.statement(assignment.node) for assignment in assignments
                      if getattr(assignment, "node", None) is not None and assignment.node in analysis.positions]
        starts = [line for line in statements if binds_zero(line)]
        increments = [line for line in statements if adds_one(line) and line in block.body]
        if len(statements) != len(assignments) or len(statements) != 2 or len(starts) != 1 or len(increments) != 1:
            return (f"`{counter.value}` is not a counter bound to 0 once and increased by 1 once, in the loop that "
                    "steps the optimizer")
        body = list(block.body)
        read_at, step_at, increment_at = (body.index(line) for line in (statement, step, increments[0]))
        if not read_at < step_at < increment_at:
            return f"it is not read before the optimizer step at line {analysis.line(step)} and the increment of " \
                   f"`{counter.value}` after it"
        if any(not plain_line(line) for line in body[read_at:increment_at + 1]):
            return f"a statement between it and the increment of `{counter.value}` can leave the iteration"
        start = starts[0]
        loops = analysis.loops(step)
        outermost = next((loop for loop in loops if loop not in analysis.loops(start)), None)
        if (program.function_of(start) is not function or outermost is None or analysis.guards(start, function)
                or not analysis.runs_before(start.body[0].targets[0].target, outermost)):
            return f"`{counter.value} = 0` is not bound once, unconditionally, before the loops that step the optimizer"
        return None


class _AttributeNames(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.names.add(node.attr.value)
