"""Browser glue for the controls: sliders, menus, fields and check boxes <-> Params, the help
texts, the message box and the address bar. Imports js (browser glue only).

The controls are the source of truth for the settings: `read` turns them into validated
Params (showing and saying any correction), `write` shows Params in them. The address names the
run on screen, not settings changed since it (`update_address`).
"""

from __future__ import annotations

import dataclasses

import js

from ..core import data, params as P
from ..words import enabled
from .dom import address_state, el, replace_address

SLIDERS = ("n", "k", "std", "centers", "noise")
CHOICES = ("dataset", "init", "empty", "theme", "scale")
NUMBERS = ("max_iter", "tol", "seed", "n_init")
CHECKBOXES = (*P.OVERLAY_NAMES, "shapes", "reseed")   # 0/1 in Params
# The slider shows the notebook's range of points; the number field goes beyond it.
SLIDER_MAX_POINTS = int(P.POINTS_SLIDER.hi)


def _speed_title(speed: float) -> str:
    return f"{P.format_number(speed)}×"


class Controls:
    """The settings panel and the message box."""

    def __init__(self) -> None:
        self.params = P.Params()          # the settings the controls show
        self.shown: P.Params | None = None  # what the run on screen was made with (None: no run)
        self.message_about_run = False
        self.stage = "loading"            # words.enabled: which controls can be used
        self.making_gif = False
        self.race_names: tuple[str, ...] = ()  # the race on screen (web.race), named by the address
        self._menus_for: str | None = None  # the data set whose columns the x, y menus list
        self.data_count: int | None = None   # your own points' count, when known

    def fill_choices(self) -> None:
        for name, titles in P.TITLES.items():  # "theme" is listed in the HTML
            select = el(name)
            for value, title in titles.items():
                option = js.document.createElement("option")
                option.value, option.textContent = value, title
                select.append(option)

    def show_enabled(self, stage: str | None = None, making_gif: bool | None = None) -> None:
        """Enable what the page's stage allows, disable the rest (words.enabled, the one table
        of it); an argument left None stays as it was."""
        if stage is not None:
            self.stage = stage
        if making_gif is not None:
            self.making_gif = making_gif
        on = enabled.enabled(self.stage, P.uses(self.params), self.making_gif)
        for name in enabled.CONTROLS:
            el(name).disabled = name not in on

    # ------------------------------------------------------------ params <-> controls

    def write(self, params: P.Params) -> None:
        """Show `params` in the controls (at start, after a correction, after a GO)."""
        self._ensure_speed_option(params.speed)
        for name in (*SLIDERS, "max_iter", "tol", "n_init", "speed"):
            el(name).value = P.format_number(getattr(params, name))
        el("n-number").value = str(params.n)
        for name in CHOICES:
            el(name).value = getattr(params, name)
        el("seed").value = "" if params.seed is None else str(params.seed)
        for name in CHECKBOXES:
            el(name).checked = bool(getattr(params, name))
        el("skip-bad").checked = bool(params.skip)
        for name in ("x", "y"):  # a menu not yet filled (no table read) keeps the name in params
            el(f"{name}-column").value = getattr(params, name)
        self.params = params
        self.sync()

    def _own_count(self) -> int | None:
        """How many points a data set without the points setting has: an example's rows,
        your own points' count (when known); None for the generated sets."""
        p = self.params
        if p.dataset == P.CUSTOM:
            return self.data_count
        example = data.DATASETS[p.dataset].example
        return None if example is None else len(data.read_example(example.file)[1])

    def set_data_count(self, count: int | None) -> None:
        """Your own points' count changed (None: not known): shown beside the points."""
        self.data_count = count
        if self.params.dataset == P.CUSTOM:
            self.sync()

    def _show_example_columns(self) -> None:
        """An example data set's columns in the x and y menus (shown when it has more than
        two), once per change of data set; "your own points" fills them from its table
        (web.points), other data sets hide them."""
        p = self.params
        if p.dataset == self._menus_for:
            return
        example = None if p.dataset == P.CUSTOM else data.DATASETS[p.dataset].example
        self._menus_for = p.dataset
        row = el("columns")
        if example is None:
            row.hidden = True
            if p.dataset == P.CUSTOM:
                for menu in (el("x-column"), el("y-column")):
                    menu.replaceChildren()  # filled again from your own table
            return
        chosen = data.example_columns(example, (p.x, p.y))
        for menu, j in zip((el("x-column"), el("y-column")), chosen):
            menu.replaceChildren()
            for name in example.columns:
                option = js.document.createElement("option")
                option.value = option.textContent = name
                menu.appendChild(option)
            menu.value = example.columns[j]
        row.hidden = len(example.columns) <= 2

    def _table_raw(self) -> dict[str, str]:
        """The table fields as the controls show them: skip from its box; x and y from the
        column menus when they are shown, "" (the first two numeric columns) when the table
        has only two or the menus list another data set's columns, and as they were while no
        table has filled the menus yet."""
        raw = {"skip": "1" if el("skip-bad").checked else "0"}
        other = self._menus_for != str(el("dataset").value)  # the menus list another data set's
        for name in ("x", "y"):
            menu = el(f"{name}-column")
            raw[name] = (getattr(self.params, name) if not menu.options.length
                         else "" if el("columns").hidden or other else str(menu.value))
        return raw

    def read(self) -> P.Params:
        """Params from the controls; out-of-range typed values are corrected, shown and said.
        The run on screen (attempt) is not a control: it is kept from the last params."""
        raw = {name: el(name).value for name in (*SLIDERS, *CHOICES, *NUMBERS, "speed")}
        # the field holds the number (the slider follows it); blank while greyed out for a
        # data set that has its own count: the setting stays as it was
        raw["n"] = el("n-number").value or str(self.params.n)
        raw |= {name: "1" if el(name).checked else "0" for name in CHECKBOXES}
        raw["attempt"] = str(self.params.attempt)
        raw |= self._table_raw()
        params, notes = P.validate(raw)
        if notes:
            self.show_message(" ".join(notes))
            self.write(params)
        self.params = params
        return params

    def _ensure_speed_option(self, speed: float) -> None:
        """The speed menu lists the usual speeds; a valid speed from the address that it lacks
        (0.75, 1.5, 3 ...) is added in order, so the menu shows the speed in use."""
        select = el("speed")
        values = [float(o.value) for o in select.options]
        if speed in values:
            return
        option = js.document.createElement("option")
        option.value, option.textContent = P.format_number(speed), _speed_title(speed)
        later = [o for o, v in zip(select.options, values) if v > speed]
        if later:
            select.insertBefore(option, later[0])
        else:
            select.append(option)

    def sync(self) -> None:
        """Values beside sliders, help texts, and which controls the data set listens to."""
        p = self.params
        count = self._own_count()
        el("n-value").textContent = f"{p.n if count is None else count:,}"
        el("n-number").value = str(p.n) if "n" in P.uses(p) else ""  # greyed: no stale count
        el("n-number").placeholder = "" if count is None else f"{count:,}"
        el("n").value = min(p.n, SLIDER_MAX_POINTS)  # pinned at its end beyond the notebook's range
        el("k-value").textContent = str(p.k)
        el("std-value").textContent = f"{p.std:.2f}"
        el("centers-value").textContent = str(p.centers) if p.centers else "= K"
        el("noise-value").textContent = f"{p.noise:.2f}"
        for name, texts in P.HELP.items():  # "dataset-help", "init-help", "empty-help"
            el(f"{name}-help").textContent = texts[getattr(p, name)]
        used = P.uses(p)
        for name in ("n", "centers", "std", "noise"):
            el(name).closest(".slider").classList.toggle("unused", name not in used)
        self.show_enabled()  # the data controls the data set does not listen to are off
        el("custom-box").hidden = p.dataset != P.CUSTOM
        self._show_example_columns()

    def show_run(self, run: P.Params, keep_settings: bool = False) -> None:
        """A run is on screen, made with `run` (seed and attempt included): the address names
        it, and the seed field shows its seed unless `keep_settings` (the run of the address,
        shown beside settings restored from before a reload)."""
        self.shown = run
        if not keep_settings:
            el("seed").value = str(run.seed)
            self.params = dataclasses.replace(self.params, seed=run.seed, attempt=run.attempt,
                                              best_of=run.best_of)
        self.update_address()

    def forget_run(self) -> None:
        """No run on screen any more: the address names the settings."""
        self.shown = None
        self.update_address()

    def link(self) -> P.Params:
        """What copy link and the address name: the run on screen, shown as the controls say
        (speed, drawing, colours); before any run, the settings."""
        return self.params if self.shown is None else P.link_params(self.shown, self.params)

    def changed_since_run(self) -> list[str]:
        """Settings changed since the run on screen (names of Params fields); [] if none."""
        return [] if self.shown is None else P.changed_since(self.shown, self.params)

    def update_address(self) -> None:
        """The address names what `link` does, so a copied address shows others the run on
        screen, not settings nobody has run yet. Settings changed since are kept with the
        page in the tab's history: a reload brings them back (`restored_settings`)."""
        changed = self.changed_since_run()
        replace_address(self.link_query(), P.to_query(self.params) if changed else None)

    def link_query(self) -> str:
        """The query of `link`, with the race on screen if any (``race=``)."""
        return P.race_query(self.link(), self.race_names)

    def restored_settings(self, run: P.Params) -> P.Params | None:
        """Settings changed since `run` (the run of the address) that the visitor had before a
        reload of this tab, or None."""
        saved = address_state()
        if saved is None:
            return None
        settings, _ = P.from_query(saved)
        return settings if P.changed_since(run, settings) else None

    # ------------------------------------------------------------ messages

    def show_message(self, text: str, about_run: bool = False) -> None:
        """Show (or, with "", hide) the message box. `about_run` marks messages about one GO or
        RETRY (bad points, lowered K, a failed run), which the next GO or RETRY clears; notes
        about corrected settings stay until replaced."""
        box = el("message")
        box.textContent = text
        box.hidden = not text
        self.message_about_run = about_run

    def clear_run_message(self) -> None:
        if self.message_about_run:
            self.show_message("")
