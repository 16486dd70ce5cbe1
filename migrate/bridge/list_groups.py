"""A list that is one param group's ``"lr"``: the groups convert together, one torch scheduler annealing each
group from its own lr, when every group's list has the same arguments but the lr it starts from.
``ListGroups`` is the part of ``ListSite`` that reads and checks them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import libcst as cst

from migrate import verify
from migrate.analysis import bind
from migrate.bridge.list_delivery import ARRAYS, TENSORS, Delivery
from migrate.bridge.list_texts import dict_key
from migrate.program.model import MAX_CALL_DEPTH
from migrate.rule import Refused
from migrate.verify import Claim, Schedule

GROUP_KEYS = {"params", "lr", "weight_decay"}
"""What a MindSpore group dict holds that a torch param group means the same by."""


@dataclass(frozen=True)
class Group:
    """One param group dict of the optimizer (``index`` counts from 1): its ``"lr"`` entry, and the list function's
    call that entry's list comes from (None when it is no such list). A group without ``"lr"`` takes the
    optimizer's learning_rate."""

    index: int
    node: cst.BaseExpression
    lr: cst.DictElement | None
    call: cst.Call | None


@dataclass(frozen=True)
class ParamGroups:
    """The optimizer's param group dicts, written in its call or bound once to a name (``line``) read only there;
    ``params`` is the optimizer's params argument (the list, or the name), ``learning_rate`` the list function's
    call of the optimizer's own learning_rate (None when it is no such list), ``main`` the call whose site converts
    them all: that one, else the first group's. ``order`` holds the ``{"order_params": ...}`` entries, which only
    order the parameters (torch keeps the groups' order) and go."""

    params: cst.BaseExpression
    literal: cst.List | cst.Tuple
    line: cst.SimpleStatementLine | None
    groups: tuple[Group, ...]
    learning_rate: cst.Call | None
    main: cst.Call | None
    order: tuple[cst.BaseElement, ...] = ()


class ListGroups:
    """The part of ``ListSite`` that converts the param groups the list is one of; the other groups' list lines
    go too (``group_carriers``)."""

    def _param_groups(self, delivery: Delivery) -> ParamGroups | None:
        """The optimizer's param group dicts, written in the call or bound once to a name read only there; None
        when its params are no such list."""
        analysis = self.analysis
        params = bind(delivery.optimizer_call, delivery.mapping.positional,
                      delivery.mapping.keyword_only).values.get("params")
        literal, line = params, None
        if isinstance(params, cst.Name):
            assignment = analysis.single_assignment(params)
            bound = analysis.assigned_value(assignment) if assignment is not None else None
            if bound is None or len(assignment.references) != 1:
                return None
            line, literal = bound
        if not isinstance(literal, (cst.List, cst.Tuple)):
            return None
        if not any(isinstance(element.value, cst.Dict) for element in literal.elements):
            return None
        groups = []
        order = [element for element in literal.elements if _orders_parameters(element.value)]
        for index, element in enumerate((element for element in literal.elements if element not in order), 1):
            group = element.value
            entries = group.elements if isinstance(group, cst.Dict) else ()
            entry = next((entry for entry in entries if dict_key(entry) == "lr"), None)
            groups.append(Group(index, group, entry, self._list_call(entry.value) if entry is not None else None))
        learning_rate = bind(delivery.optimizer_call, delivery.mapping.positional,
                             delivery.mapping.keyword_only).values.get("learning_rate")
        optimizer_list = self._list_call(learning_rate) if learning_rate is not None else None
        main = optimizer_list or next((group.call for group in groups if group.call is not None), None)
        return ParamGroups(params, literal, line, tuple(groups), optimizer_list, main, tuple(order))

    @staticmethod
    def _group_calls(groups: ParamGroups) -> set[cst.Call]:
        return {group.call for group in groups.groups if group.call is not None} | (
            {groups.learning_rate} if groups.learning_rate is not None else set())

    def _list_call(self, value: cst.BaseExpression) -> cst.Call | None:
        """The list function's call a group's lr (or the optimizer's learning_rate) is: the call itself, in float
        wrappers, or through names each bound once. None for anything else."""
        analysis = self.analysis
        for _ in range(MAX_CALL_DEPTH):
            if isinstance(value, cst.Call) and analysis.names_of(value.func) & self.pair.functions:
                return value
            if (isinstance(value, cst.Call) and analysis.names_of(value.func) & (TENSORS | ARRAYS) and value.args
                    and value.args[0].keyword is None and not value.args[0].star):
                value = value.args[0].value
            elif (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                  and value.func.attr.value == "astype"):
                value = value.func.value
            elif isinstance(value, cst.Name):
                assignment = analysis.single_assignment(value)
                bound = analysis.assigned_value(assignment) if assignment is not None else None
                if bound is None:
                    return None
                value = bound[1]
            else:
                return None
        return None

    def _group_lrs(self, groups: ParamGroups, texts: dict[str, str], others: list[Delivery],
                   optimizer_call: cst.Call) -> dict[cst.DictElement, str]:
        """Each group's torch ``"lr"``: its list's base lr. torch's one scheduler takes every other argument for all
        groups, so each group's list must be one converted with this one (followed to this optimizer alone) with
        the same arguments but its base lr; otherwise the group is refused at its line."""
        analysis, pair = self.analysis, self.pair
        for group in groups.groups:
            self._check_group_keys(group, f"param group {group.index} (line {analysis.line(group.node)})")
        if all(group.lr is None for group in groups.groups):
            return {}
        if self.call not in self._group_calls(groups):
            raise Refused("MIG107", f"the list reaches the optimizer at line {analysis.line(optimizer_call)}, whose "
                                   "param groups it feeds through a helper or a name bound more than once; the rule "
                                   f"converts param groups whose lists are {pair.function} calls bound once in the "
                                   "optimizer's function")
        combined = ("the list also feeds another optimizer" if others else
                    f"`{analysis.code(self.step_reads[0])}` reads the list" if self.step_reads else
                    "a warmup list is added to it" if self.warmup is not None else
                    "the list is sliced (a resume)" if self.resume_slice is not None else None)
        if combined is not None:
            raise Refused("MIG118", f"the list feeds param groups (line {analysis.line(groups.literal)}) and "
                                   f"{combined}: the rule converts param groups whose lists feed their optimizer "
                                   "alone")
        lrs: dict[cst.DictElement, str] = {}
        checked: dict[cst.Call, str] = {self.call: texts[pair.base_lr]}
        for group in groups.groups:
            where = f"param group {group.index} (line {analysis.line(group.node)})"
            if group.lr is None and groups.learning_rate is None:
                raise Refused("MIG118", f"{where} has no \"lr\" and takes the optimizer's learning_rate, which is "
                                       f"no {pair.function} list: MindSpore keeps that group's lr constant, and "
                                       f"torch's one {pair.scheduler_name} would anneal every group", group.node)
            if group.lr is None:
                continue
            if group.call is None:
                shared = self._shared_arguments()
                raise Refused("MIG118", f"{where} takes lr={analysis.code(group.lr.value)}, not a {pair.function} "
                                       "list followed here: MindSpore uses it as it is, and torch's one "
                                       f"{pair.scheduler_name} anneals every group from its own lr, so each group "
                                       f"needs a {pair.kind} list with the same {', '.join(shared[:-1])} and "
                                       f"{shared[-1]}", group.lr)
            if group.call not in checked:
                checked[group.call] = self._group_list(group, where, texts, optimizer_call)
            lrs[group.lr] = checked[group.call]
        return lrs

    @staticmethod
    def _check_group_keys(group: Group, where: str) -> None:
        """A group is a dict written out whose keys torch's param groups take with the same meaning."""
        if not isinstance(group.node, cst.Dict):
            raise Refused("MIG105", f"{where} is not a dict written out, so whether it sets its own lr is not "
                                   "visible", group.node)
        keys = [dict_key(entry) for entry in group.node.elements]
        if None in keys:
            raise Refused("MIG105", f"{where} unpacks `**` entries or computes a key, so what it sets is not "
                                   "visible", group.node)
        other = sorted(set(keys) - GROUP_KEYS)
        if other:
            raise Refused("MIG104", f"{where} sets {other[0]!r}, which torch's param groups do not take with "
                                   "MindSpore's meaning (params, lr and weight_decay are mapped)", group.node)

    def _shared_arguments(self) -> list[str]:
        """The list's arguments one torch scheduler shares across param groups: all but the base lr."""
        return [name for name in self.pair.signature if name != self.pair.base_lr]

    def _group_list(self, group: Group, where: str, texts: dict[str, str], optimizer_call: cst.Call) -> str:
        """The base lr of another group's list, once that list is shown to reach this optimizer alone with this
        list's other arguments, and its base lr to mean the same in the group's dict as where the list is built."""
        analysis = self.analysis
        built = f"the list of line {analysis.line(group.call)}"
        probe = type(self)(self.pair, analysis, group.call)
        try:
            arguments = probe._arguments()
            delivery = probe._delivery()
        except Refused as refused:
            raise Refused(refused.code, f"{where} takes {built}, which cannot be converted ({refused.message}): the "
                                        "param groups convert together", group.node) from None
        own = {name: analysis.code(value) for name, value in arguments.items()}
        if (probe.warmup is not None or probe.resume_slice is not None or probe.step_reads or probe.other_uses
                or delivery.optimizer_call is not optimizer_call):
            raise Refused("MIG118", f"{where} takes {built}, which is also summed, sliced, read or given to "
                                   "another optimizer: the rule converts param groups whose lists feed their "
                                   "optimizer alone", group.node)
        for name in self._shared_arguments():
            if not self._equal(own[name], texts[name]):
                raise Refused("MIG118", f"{where} takes {built}, whose {name}={own[name]} is not the "
                                       f"{name}={texts[name]} of the list at line {analysis.line(self.call)}: "
                                       f"torch's one {self.pair.scheduler_name} has {self.pair.group_sharing} for "
                                       "every param group", group.node)
        probe._check_moves(delivery, [arguments[self.pair.base_lr]])
        self.group_carriers += delivery.carriers
        return own[self.pair.base_lr]

    def _group_verdicts(self, groups: ParamGroups, lrs: dict[cst.DictElement, str], claim: Claim) -> str:
        """Each other group's claim, its list against the one scheduler from the group's lr, verified here (the
        fix carries this list's claim); a group whose verdict is not equivalent is refused at its line. The part of
        the message that says so."""
        analysis = self.analysis
        if not lrs:
            return ""
        parts = []
        for group in groups.groups:
            lr = lrs.get(group.lr) if group.lr is not None else claim.target.args["base_lr"]
            if group.call is self.call or (group.lr is None and groups.learning_rate is self.call):
                taken = "" if group.lr is not None else " (the optimizer's lr=)"
                parts.append(f"group {group.index} at lr={lr}{taken} from this list")
                continue
            source = Schedule(claim.source.model, {**claim.source.args, self.pair.base_lr: lr})
            target = Schedule(claim.target.model, {**claim.target.args, "base_lr": lr})
            verdict = verify.verify(dataclasses.replace(claim, source=source, target=target), analysis.constants)
            where = f"param group {group.index} (line {analysis.line(group.node)})"
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG118", f"{where} takes the list of line {analysis.line(group.call)}, and the one "
                                       f"{self.pair.scheduler_name} from its lr={lr} is not equivalent to it "
                                       f"({verdict.text()}): the param groups convert together", group.node)
            parts.append(f"group {group.index} at lr={lr} from the list of line {analysis.line(group.call)} "
                         f"[{verdict.text()}]")
        return (f"; param groups (line {analysis.line(groups.literal)}): " + ", ".join(parts)
                + f"; the one scheduler {self.pair.group_result}")

    def _torch_lr(self, groups: ParamGroups, texts: dict[str, str], learning_rate: cst.BaseExpression | None
                  ) -> str | None:
        """torch's ``lr=``, taken by the groups without their own: this list's base lr when it is the optimizer's
        learning_rate, else the learning_rate as written, a number (every group then has its own lr)."""
        if groups.learning_rate is self.call or all(group.lr is None for group in groups.groups):
            return texts[self.pair.base_lr]
        if learning_rate is None:
            return None
        value = self.value_of(learning_rate)
        if (type(value) in (int, float)) or isinstance(learning_rate, cst.Attribute):
            return self.analysis.code(learning_rate)
        raise Refused("MIG118", f"the optimizer's learning_rate={self.analysis.code(learning_rate)} (line "
                               f"{self.analysis.line(learning_rate)}) is neither a {self.pair.function} list nor a "
                               "number: "
                               "the param groups convert when torch's lr= can be written", learning_rate)

    def _grouped_params(self, groups: ParamGroups, lrs: dict[cst.DictElement, str],
                        replacements: dict) -> cst.BaseExpression:
        """The torch param groups, each dict's params as torch takes them and its ``"lr"`` its list's base lr: the
        new params argument when they are written in the call, else the name, its binding rewritten in place. The
        other groups' lists go."""
        elements = []
        for element in groups.literal.elements:
            if element in groups.order:
                continue
            entries = []
            for entry in element.value.elements:
                if dict_key(entry) == "params":
                    entry = entry.with_changes(value=self._params(entry.value))
                elif entry in lrs:
                    entry = entry.with_changes(value=cst.parse_expression(lrs[entry]))
                entries.append(entry)
            elements.append(element.with_changes(value=element.value.with_changes(elements=entries)))
        if groups.order and groups.literal.elements[-1] in groups.order:
            elements[-1] = elements[-1].with_changes(comma=groups.literal.elements[-1].comma)
        literal = groups.literal.with_changes(elements=elements)
        replacements.update({carrier: [] for carrier in self.group_carriers})
        if groups.line is None:
            return literal
        replacements[groups.literal] = literal
        return groups.params


def _orders_parameters(value: cst.BaseExpression) -> bool:
    """``{"order_params": ...}``: MindSpore's order of the parameters, no group of its own."""
    return isinstance(value, cst.Dict) and [dict_key(entry) for entry in value.elements] == ["order_params"]
