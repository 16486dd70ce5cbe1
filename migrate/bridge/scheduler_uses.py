"""What else a scheduler site's program does with the scheduler and its optimizer: each use checked (reads of the
lr, state, initial_lr loops), rewritten for the list (``get_last_lr()`` as a list read), or left to port."""

from __future__ import annotations

import libcst as cst

from migrate.bridge.scheduler_parts import (
    ARGUMENT_IDIOM,
    LEFT_TO_PORT,
    LR_STATE,
    OTHER_IDIOM,
    RECOMPUTED_GET_LR,
    SCHEDULER_MODULE,
    assigned_to,
    current_lr,
    sets_lrs,
    subscript_key,
)
from migrate.program import ARGUMENT, ATTRIBUTE, METHOD, Use
from migrate.rule import Note, Refused, blocking


class SchedulerUses:
    """A scheduler site's other uses of the scheduler and its optimizer: refused where a list cannot do what
    they do, rewritten as list reads, or noted as left to port."""

    def _check_use(self, use, name: str) -> None:
        """A use of the optimizer a list cannot follow refuses the site (MIG110: lr state; MIG107: another
        scheduler); a call to a function defined elsewhere is an assumption of the rewrite."""
        program = self.analysis.program
        if use.kind == ATTRIBUTE and use.detail == "param_groups" and (read := self._lr_group_read(use)):
            self._reads.append(read)
            return
        if self._resume is not None and (initial := self._initial_lr_loop(use)) is not None:
            self._initial_lr = initial
            return
        if use.kind == METHOD and use.detail == "load_state_dict" and self._loaded:
            self._optimizer_loaded = True
            return
        if use.kind in (METHOD, ATTRIBUTE) and use.detail in LR_STATE:
            attribute = self.analysis.parents[use.node]
            function = program.function_of(use.node)
            local = self.analysis.code(use.node)
            calls = ", ".join(str(self.analysis.line(call)) for call in program.call_sites(function))
            where = (f"in {function.name.value}() (line {self.analysis.line(function)}"
                     + (f", called at line {calls}" if calls else "") + "), "
                     if function is not program.function_of(self.call) and isinstance(function, cst.FunctionDef)
                     else "")
            raise Refused("MIG110", where + self._lr_state_message(attribute, local, name), attribute)
        if use.kind != ARGUMENT or use.call is self.call or self._returns_alone() and use.call is self._builder.call:
            return
        if self._chain is not None and use.call in (self._chain.call, self._chain.warmup_call):
            return
        if use.call in self._branches.values() or self._chain_choice is not None and (
                use.call is self._chain_choice.call or use.call in self._chain_choice.warmups.values()):
            return
        callee = self.analysis.names_of(use.call.func)
        if any(qualified.startswith(SCHEDULER_MODULE) for qualified in callee):
            raise Refused("MIG107", f"the optimizer `{name}` also drives the scheduler at line "
                                   f"{self.analysis.line(use.call)}; one optimizer takes one learning-rate list")
        if isinstance(use.call.func, cst.Attribute) and use.call.func.attr.value == "step":
            return
        outside = self._super_bases(use.call) or ([use.call.func] if program.callee(use.call) is None else [])
        for base in outside:
            if sets_lrs(self.analysis.code(base)) or any(qualified.startswith(SCHEDULER_MODULE)
                                                          for qualified in self.analysis.names_of(base)):
                raise Refused("MIG107", f"the optimizer `{name}` is also given to {self.analysis.code(use.call.func)}() "
                                       f"at line {self.analysis.line(use.call)}"
                                       + (f", of the base class {self.analysis.code(base)}" if base is not use.call.func
                                          else "")
                                       + ", defined elsewhere, whose name says it schedules or sets the lr: the list "
                                         "cannot follow an lr another scheduler moves", use.call)
        if not any(qualified.startswith("builtins.") for qualified in callee):
            self.assumptions.append(f"{self.analysis.code(use.call.func)}() at line {self.analysis.line(use.call)} "
                                    f"neither reads nor changes the lr of `{name}`")

    def _super_bases(self, call: cst.Call) -> list[cst.BaseExpression]:
        """The bases of the class whose method makes ``call`` when it is ``super().<method>(...)``: what runs is
        theirs (a subclass of torch's ``LRScheduler`` hands the optimizer to it this way)."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call)
                and isinstance(func.value.func, cst.Name) and func.value.func.value == "super"):
            return []
        owner = next((node for node in self.analysis.ancestors(call) if isinstance(node, cst.ClassDef)), None)
        return [base.value for base in owner.bases] if owner is not None else []

    def _initial_lr_loop(self, use: Use) -> tuple[cst.For, cst.BaseExpression] | None:
        """``for group in optimizer.param_groups: group["initial_lr"] = value`` in the scheduler's block, before
        it: torch's resume idiom, with the value the schedule goes on from."""
        attribute = self.analysis.parents.get(use.node)
        loop = self.analysis.parents.get(attribute)
        statement = self.analysis.statement(self.call)
        if not (use.kind == ATTRIBUTE and use.detail == "param_groups" and isinstance(loop, cst.For)
                and loop.iter is attribute and isinstance(loop.target, cst.Name)
                and self.analysis.parents.get(loop) is self.analysis.parents.get(statement)
                and self.analysis.end(loop) <= self.analysis.start(statement)
                and isinstance(loop.body, cst.IndentedBlock) and len(loop.body.body) == 1 and not loop.orelse):
            return None
        line = loop.body.body[0]
        only = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
        if isinstance(only, cst.Expr) and isinstance(only.value, cst.Call):
            return self._initial_lr_default(loop, only.value)
        if not (isinstance(only, cst.Assign) and len(only.targets) == 1):
            return None
        target = only.targets[0].target
        if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)
                and target.value.value == loop.target.value and subscript_key(target) == "initial_lr"):
            return None
        return loop, only.value

    @staticmethod
    def _initial_lr_default(loop: cst.For, call: cst.Call) -> tuple[cst.For, cst.BaseExpression] | None:
        """``group.setdefault("initial_lr", value)``: what assigning it does on an optimizer whose groups have no
        ``initial_lr`` yet, as a resume on an optimizer without a loaded state has (``_check_resume``)."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "setdefault" and isinstance(func.value, cst.Name)
                and func.value.value == loop.target.value and len(call.args) == 2
                and not any(argument.keyword or argument.star for argument in call.args)
                and isinstance(call.args[0].value, cst.SimpleString)
                and call.args[0].value.evaluated_value == "initial_lr"):
            return None
        return loop, call.args[1].value

    def _lr_state_message(self, attribute: cst.Attribute, local: str, name: str) -> str:
        line = self.analysis.line(attribute)
        use = self.analysis.first_line(self.analysis.statement(attribute))
        what = LR_STATE[attribute.attr.value].format(name=local)
        if attribute.attr.value in ("param_groups", "defaults") and not self._writes_groups(attribute):
            return (f"`{use}` at line {line} {what}, which a MindSpore optimizer does not have, so the converted "
                    f"file would fail there; in MindSpore the lr of the current step is `{name}.get_lr()` (or the "
                    "schedule list indexed by the optimizer step): port that line, then convert")
        if attribute.attr.value in ("param_groups", "defaults"):
            what = what.replace("reads", "writes")
        return (f"`{use}` at line {line} {what}: torch's {self.NAME} goes on from the lr it finds there, a "
                f"{self.LIST_FUNCTION} list cannot, so this site cannot be converted")

    def _left_to_port(self, optimizer_call: cst.Call, owner: str) -> list[Note]:
        """Each use of the converted optimizer that is still torch's API, with the MindSpore idiom (MIG112)."""
        notes = []
        removed = {self.call, *self._branches.values()} | (
            {self._chain.call, self._chain.warmup_call} if self._chain is not None else set()) | (
            {self._chain_choice.call, *self._chain_choice.warmups.values()} if self._chain_choice is not None
            else set())
        loop = self._initial_lr[0] if self._initial_lr is not None else None
        for use in self.analysis.program.follow(optimizer_call).uses:
            if loop is not None and loop in self.analysis.ancestors(use.node):
                continue
            if use.kind == ARGUMENT and use.call not in removed:
                node, idiom = use.call, ARGUMENT_IDIOM.format(callee=self.analysis.code(use.call.func))
            elif use.kind in (METHOD, ATTRIBUTE) and all(use.node is not read.node for read in self._reads):
                node = use.call if use.kind == METHOD else self.analysis.parents[use.node]
                idiom = LEFT_TO_PORT.get(use.detail, OTHER_IDIOM.format(name=use.detail))
            else:
                continue
            notes.append(Note(node, "MIG112", f"`{self.analysis.first_line(node)}` uses {owner} as a torch "
                                             f"optimizer, and it is a MindSpore one now: {idiom}"))
        return notes

    def _saved_in_dict(self, use: Use) -> bool:
        """``{..., "scheduler": scheduler.state_dict(), ...}``: a checkpoint entry that can be dropped alone."""
        element = self.analysis.parents.get(use.call)
        return (isinstance(element, cst.DictElement) and element.value is use.call
                and isinstance(self.analysis.parents.get(element), cst.Dict))

    def _read_replacement(self, read: Use) -> dict:
        """``get_last_lr()[0]`` → ``float(opt.get_lr())``; ``get_last_lr()`` → ``[float(opt.get_lr())]``; with
        several param groups MindSpore's ``get_lr()`` is a tuple, read by index. A read after the iteration's
        optimizer steps and before scheduler.step() takes the last step's entry, ``opt.learning_rate(step - 1)``,
        which is how ``get_lr()`` itself reads the list."""
        stale = id(read) in self._stale_reads
        if read.detail == "param_groups":
            owner = self.analysis.code(self.analysis.parents[read.node].value)
            position = self.analysis.code(read.call.value.slice[0].slice.value)
            index = None if self._group_count == 1 else position
            return {read.call: cst.parse_expression(f"float({current_lr(owner, index, stale)})")}
        owner = self._read_owners[id(read)]
        subscript = self.analysis.parents.get(read.call)
        index = (self.analysis.code(subscript.slice[0].slice.value).strip()
                 if isinstance(subscript, cst.Subscript) and len(subscript.slice) == 1
                 and isinstance(subscript.slice[0].slice, cst.Index) else None)
        if self._group_count == 1:
            current = cst.parse_expression(f"float({current_lr(owner, None, stale)})")
            if index in ("0", "-1"):
                return {subscript: current}
            return {read.call: cst.List([cst.Element(current)])}
        if index is not None:
            return {subscript: cst.parse_expression(f"float({current_lr(owner, index, stale)})")}
        if stale:
            return {read.call: cst.parse_expression(f"[float(lr({owner}.global_step - 1)) for lr in "
                                                    f"{owner}.learning_rate]")}
        return {read.call: cst.parse_expression(f"[float(lr) for lr in {owner}.get_lr()]")}

    def _read_note(self, read: Use) -> Note:
        stale, group = id(read) in self._stale_reads, None
        if read.detail == "param_groups":
            owner = self.analysis.code(self.analysis.parents[read.node].value)
            if self._group_count != 1:
                group = self.analysis.code(read.call.value.slice[0].slice.value)
        else:
            owner = self._read_owners[id(read)]
        source = current_lr(owner, group, stale)
        what = (f"{source}: the lr of the optimizer's last step (it runs after the iteration's optimizer steps and "
                "before scheduler.step(), where get_lr() would give the next step's), from the list" if stale else
                f"{source}: the lr of the optimizer's next step, from the list")
        return Note(read.call, "MIG111", f"{self._read_text(read)} reads {what} (as float32, the precision "
                                         "MindSpore's optimizer uses it in)"
                    + (RECOMPUTED_GET_LR if read.detail == "get_lr" else ""))

    def _read_text(self, read: Use) -> str:
        return (f"scheduler.{read.detail}()" if read.detail != "param_groups"
                else f"`{self.analysis.code(read.call)}`")

    def _lr_group_read(self, use: Use) -> Use | None:
        """``opt.param_groups[i]["lr"]`` read (not written): the lr of the optimizer's next step, which a MindSpore
        optimizer gives as ``opt.get_lr()``. As a Use whose ``call`` is the whole read."""
        attribute = self.analysis.parents.get(use.node)
        index = self.analysis.parents.get(attribute)
        key = self.analysis.parents.get(index)
        if not (isinstance(index, cst.Subscript) and index.value is attribute and isinstance(key, cst.Subscript)
                and key.value is index and len(index.slice) == 1 and len(key.slice) == 1):
            return None
        position, name = index.slice[0].slice, key.slice[0].slice
        if not (isinstance(position, cst.Index) and isinstance(position.value, cst.Integer)
                and isinstance(name, cst.Index) and isinstance(name.value, cst.SimpleString)
                and name.value.evaluated_value == "lr"):
            return None
        outer = self.analysis.parents.get(key)
        if assigned_to(key, outer) or isinstance(outer, (cst.Subscript, cst.Attribute)) and outer.value is key:
            return None
        return Use(use.node, use.kind, "param_groups", key)

    def _check_reads(self, step, optimizer_line, mapping) -> None:
        """``get_last_lr()`` / ``param_groups[i]["lr"]`` reads become the optimizer's lr from the list: MindSpore's
        ``get_lr()`` (the next step's entry) where no scheduler.step() comes before the next optimizer step, the
        last step's entry where the read follows an optimizer step of the iteration and precedes scheduler.step().
        Reads count from the function that runs the training loop (a helper's, through its call; the caller's of a
        helper that steps, around its call)."""
        if not self._reads:
            return
        program = self.analysis.program
        frame = self._runner or program.function_of(step)
        optimizer_path = self._path(program.route(self._optimizer_step_node, frame))
        step_path = self._path(program.route(step, frame))
        for read in self._reads:
            with blocking(self._blockers, self.call):
                self._check_read(read, frame, optimizer_line, mapping, optimizer_path, step_path)

    def _check_read(self, read: Use, frame, optimizer_line, mapping, optimizer_path: tuple, step_path: tuple) -> None:
        """One lr read: refused where the list cannot say what torch's scheduler reports, else noted stale when it
        reads the last step's entry."""
        program = self.analysis.program
        line = self.analysis.line(read.call)
        if mapping is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} reads the lr of an optimizer the "
                                   "rule does not convert (MIG103)", read.call)
        if self._group_count is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line}: how many param groups the optimizer "
                                   "has is not visible, and MindSpore's get_lr() is a float for one group and a "
                                   "tuple for several", read.call)
        route = program.route(read.call, frame)
        if route is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} is read in a function that "
                                   f"{'scheduler.step()' if frame is self.analysis.module else frame.name.value + '()'} "
                                   "does not call from exactly one place, so when it runs is not visible",
                          read.call)
        if read.detail != "param_groups":
            self._read_owners[id(read)] = self._optimizer_text_in(read, optimizer_line)
        if self._run_loop is not None and self._run_loop not in set(self.analysis.ancestors(route.anchor)):
            return
        here = self._path(route)
        if self._epoch_start and not step_path < here < optimizer_path:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} is not between scheduler.step() at "
                                   "the start of the epoch and the epoch's first optimizer step, where "
                                   "MindSpore's list gives the lr torch's scheduler reports; read it there, "
                                   "then convert", read.call)
        if optimizer_path < here < step_path:
            if self._none_first is not None or self._flag_guard is not None:
                raise Refused("MIG107", f"{self._read_text(read)} at line {line} runs after the iteration's "
                                       "optimizer steps and before scheduler.step(), where the lr is the last "
                                       "step's entry of the list; when the scheduler is not created the "
                                       "optimizer gets a constant lr, which has no entries", read.call)
            self._stale_reads.add(id(read))

    def _path(self, route) -> tuple:
        """Where a node runs within one iteration of the stepping function's loops: the position of each hop of its
        route, so two paths compare in the order the nodes run."""
        return tuple(self.analysis.start(hop.node) for hop in route.hops)

    def _optimizer_text_in(self, read: Use, optimizer_line) -> str:
        """How the optimizer is named where ``read`` is: the name it is built under, the parameter of the
        read's function that receives it, or the attribute its class keeps it in."""
        program = self.analysis.program
        there, home = program.function_of(read.call), program.function_of(optimizer_line)
        target = optimizer_line.body[0].targets[0].target
        if there is home or (isinstance(target, cst.Attribute) and program.class_of(home) is not None
                             and program.class_of(there) is program.class_of(home)):
            return self.analysis.code(target)
        tracked = program.follow(self._creation(target))
        names = [reference for reference in tracked.references
                 if program.function_of(reference) is there and (isinstance(reference, cst.Name) or isinstance(
                     reference, cst.Attribute) and program.is_self(reference.value))]
        names += [binding.target for binding in tracked.bindings
                  if isinstance(binding.target, cst.Attribute) and program.class_of(there) is not None
                  and program.class_of(program.function_of(binding.statement)) is program.class_of(there)
                  and program.function_of(binding.statement).name.value == "__init__" and not tracked.competitors]
        if not names:
            raise Refused("MIG107", f"{self._read_text(read)} at line {self.analysis.line(read.call)} is read where "
                                   "the optimizer's name is not visible", read.call)
        return self.analysis.code(names[0])
