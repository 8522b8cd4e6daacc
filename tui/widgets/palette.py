"""The command palette (ctrl+p): every key of the current screen and of the app, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from docket.tui.keys import APP_KEYS, Key


class KeyCommands(Provider):
    """Commands from the table of keys, so the palette reaches every action."""

    def _keys(self) -> list[Key]:
        own: tuple[Key, ...] = getattr(self.screen, "KEYS", ())
        return [*own, *(k for k in APP_KEYS if k.action != "app.command_palette")]

    async def _run(self, key: Key) -> None:
        await self.screen.run_action(key.action)

    async def discover(self) -> Hits:
        for key in self._keys():
            yield DiscoveryHit(
                f"{key.help} ({key.label})", partial(self._run, key), help=f"key: {key.shown_key}"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in self._keys():
            # the footer's word too, so "owner" finds what the footer calls Owner
            score = matcher.match(f"{key.help} ({key.label})")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(f"{key.help} ({key.label})"),
                    partial(self._run, key),
                    help=f"key: {key.shown_key}",
                )
