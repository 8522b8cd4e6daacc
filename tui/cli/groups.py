"""Commands that hold commands: ``docket`` itself and the ones with verbs (``docket action add``).

Both list their commands in the order they were written, suggest the nearest one for a
mistyped word, and say a missing verb in one line. The root group imports a command's module
only when that command runs (or when help lists them all), so starting one command does not
grow with every module docket gains.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import click

# a negative amount or number as a command's argument: -500, -1,250.50
NEGATIVE_NUMBER = re.compile(r"-[0-9][0-9,.]*\Z")


@contextlib.contextmanager
def _said_by(ctx: click.Context) -> Iterator[None]:
    """A usage error click's parser raised without saying whose: this command's (so the
    message names it, ``docket vendor list: option '--format' requires an argument``)."""
    try:
        yield
    except click.UsageError as exc:
        if exc.ctx is None:
            exc.ctx = ctx
        raise


class Command(click.Command):
    """A command whose arguments may be negative numbers (``expenditure add C-1 -500``, a
    credit), as docket's command line always took them; any other word starting with ``-``
    is still an option, and an unknown one is refused."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        words = args[: args.index("--")] if "--" in args else args
        if any(NEGATIVE_NUMBER.match(word) for word in words):
            self._refuse_unknown_options(ctx, words)
            # the negative numbers are the only words click does not know: arguments
            ctx.ignore_unknown_options = True
        with _said_by(ctx):
            return super().parse_args(ctx, args)

    def _refuse_unknown_options(self, ctx: click.Context, words: list[str]) -> None:
        """Refuse a word that starts with ``-`` and is neither a negative number, an option
        of this command, nor an option's value."""
        options = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
        known = [name for p in options for name in (*p.opts, *p.secondary_opts)]
        with_value = {
            name
            for p in options
            if not (p.is_flag or p.count)
            for name in (*p.opts, *p.secondary_opts)
        }
        value_next = False
        for word in words:
            if value_next:
                value_next = False
                continue
            name = word.split("=", 1)[0]
            if name in known:
                value_next = name in with_value and "=" not in word
            elif (
                word.startswith("-")
                and not NEGATIVE_NUMBER.match(word)
                and word[:2] not in known  # -ofile: a short option and its value
            ):
                import difflib  # only for a name typed wrong (start-up, issue 22)

                near = difflib.get_close_matches(name, known)
                raise click.NoSuchOption(name, possibilities=near, ctx=ctx)


class Verbs(click.Group):
    """A command whose verbs follow it: ``docket action add``, ``docket action list``."""

    # what the word after this command is called in errors
    word = "VERB"
    # each verb takes negative numbers as arguments
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", f"{self.word} [ARGS]...")
        super().__init__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The verbs in the order they were written (help lists related ones together)."""
        return list(self.commands)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """A missing verb is a one-line usage error naming the verbs, not a page of help."""
        if not args and not self.invoke_without_command and not ctx.resilient_parsing:
            choices = ", ".join(self.list_commands(ctx))
            raise click.UsageError(f"missing {self.word}: one of {choices}", ctx)
        with _said_by(ctx):
            return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Help lists each verb with the first sentence of its help, whole (wrapped)."""
        rows = []
        for name in self.list_commands(ctx):
            found = self.get_command(ctx, name)
            if found is not None and not found.hidden:
                rows.append((name, found.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Commands" if self.word == "COMMAND" else "Verbs"):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown word is refused with the nearest known one, when one is near."""
        word = args[0]
        if (
            not word.startswith("-")
            and not ctx.resilient_parsing
            and self.get_command(ctx, word) is None
        ):
            names = self.list_commands(ctx)
            import difflib

            near = difflib.get_close_matches(word, names, n=1)
            if near:
                hint = f"; did you mean '{near[0]}'?"
            else:  # a command's few verbs are listed; docket's many commands are in --help
                hint = f" (choose from {', '.join(names)})" if self.word == "VERB" else ""
            raise click.UsageError(f"argument {self.word}: invalid choice: {word!r}{hint}", ctx)
        return super().resolve_command(ctx, args)


class Registry(Verbs):
    """The root command: its commands are named in ``lazy`` (name to ``"module:attribute"``)
    and imported the first time they are looked up."""

    word = "COMMAND"

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


def verbs(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Verbs]:
    """``@verbs()`` on an empty function whose docstring is the help: a command with verbs,
    which are added with ``@that.command("add")``."""
    return click.group(name, cls=Verbs, **attrs)


def command(name: str, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """``@command("history")``: a command of its own (no verbs), taking negative numbers
    as arguments as the verbs do."""
    return click.command(name, cls=Command, **attrs)
