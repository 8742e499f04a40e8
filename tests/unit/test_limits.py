"""limits and buildtools.page: the page's numeric controls show exactly the limits and defaults
that params validates with, written into the HTML at build time from one place."""

import dataclasses
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools import BuildError  # noqa: E402
from buildtools.page import params_defaults, write_limits, write_overlays  # noqa: E402
from kmeans_anim.core import limits as L  # noqa: E402
from kmeans_anim.core import params as P  # noqa: E402

SOURCE = (ROOT / "site" / "index.html").read_text()


class Inputs(HTMLParser):
    """Attributes of every <input>, <select> and <option> with an id or a value."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.options: dict[str, list[dict[str, str | None]]] = {}
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and "id" in a:
            self.inputs[a["id"]] = a
        elif tag == "select":
            self._select = a["id"]
            self.options[a["id"]] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(a)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


BUILT = Inputs(write_limits(SOURCE))


def test_the_build_reads_the_defaults_params_uses():
    assert params_defaults() == dataclasses.asdict(P.DEFAULTS)


def test_params_validates_with_the_limits_of_limits_py():
    assert P.RANGES is L.RANGES and P.SEED_MAX == L.SEED_MAX and P.POINTS_SLIDER is L.POINTS_SLIDER


@pytest.mark.parametrize("control", L.CONTROLS)
def test_every_numeric_control_shows_the_limits_and_default_of_params(control):
    field, rng = L.CONTROLS[control]
    attrs = BUILT.inputs[control]
    # The slider of points is narrower than what params accepts (the notebook's range); every
    # other control shows exactly the range params clamps and snaps to.
    assert rng == (L.POINTS_SLIDER if control == "n" else P.RANGES[field])
    assert [float(attrs[a]) for a in ("min", "max", "step")] == [rng.lo, rng.hi, rng.step]
    default = getattr(P.DEFAULTS, field)
    if default is None:
        assert "value" not in attrs and attrs["placeholder"] == "random"
    else:
        assert float(attrs["value"]) == default
        assert rng.snap(default) == default  # the default is a value the control can show


def test_the_tolerance_field_steps_as_finely_as_params_accepts():
    # It once said step 0.0001 while params accepted 1e-6: a typed 0.00005 was "invalid".
    assert BUILT.inputs["tol"]["step"] == "0.000001"
    assert P.validate({"tol": "0.00005"}) == (P.Params(tol=0.00005), [])


def test_every_numeric_input_of_the_page_is_declared():
    numeric = {i for i, a in Inputs(SOURCE).inputs.items() if a.get("type") in ("range", "number")}
    assert numeric - {"scrubber"} == set(L.CONTROLS)  # the scrubber's limits follow the run


def test_the_source_page_declares_no_limits_of_its_own():
    for control in L.CONTROLS:
        assert not {"min", "max", "step", "value"} & set(Inputs(SOURCE).inputs[control])
    with pytest.raises(BuildError, match="gives #k its own max"):
        write_limits(SOURCE.replace('<input id="k" type="range"', '<input id="k" type="range" max="12"'))
    with pytest.raises(BuildError, match='no <input id="noise">'):
        write_limits(SOURCE.replace('<input id="noise"', '<input type="range" id="noise"'))


def test_defaults_the_html_shows_otherwise_are_params_defaults():
    # Check boxes, the speed menu and the notes beside the sliders are written in the HTML;
    # they must say what params starts with.
    inputs = Inputs(write_overlays(SOURCE)).inputs
    for field in (*L.OVERLAY_NAMES, "shapes", "reseed"):
        assert ("checked" in inputs[field]) == bool(getattr(P.DEFAULTS, field)), field
    speeds = Inputs(SOURCE).options["speed"]
    assert [float(o["value"]) for o in speeds if "selected" in o] == [P.DEFAULTS.speed]
    assert all(P.RANGES["speed"].snap(float(o["value"])) == float(o["value"]) for o in speeds)
    themes = Inputs(SOURCE).options["theme"]
    assert [o["value"] for o in themes] == list(P.THEMES)
    assert [o["value"] for o in themes if "selected" in o] == [P.DEFAULTS.theme]
    shown = dict(re.findall(r'<output id="([\w-]+)-value" for="[\w-]+">([^<]*)</output>', SOURCE))
    assert shown == {"n": f"{P.DEFAULTS.n:,}", "k": str(P.DEFAULTS.k), "std": f"{P.DEFAULTS.std:.2f}",
                     "centers": "= K", "noise": f"{P.DEFAULTS.noise:.2f}"}
    assert P.DEFAULTS.centers == 0  # "= K"
    title = Inputs(SOURCE).inputs["n-number"]["title"]
    assert f"from {P.RANGES['n'].lo:,} to {P.RANGES['n'].hi:,}" in title
    assert f"the slider goes to {L.POINTS_SLIDER.hi}" in title


def test_html_numbers_read_back_exactly():
    for rng in (*P.RANGES.values(), L.POINTS_SLIDER):
        for x in (rng.lo, rng.hi, rng.step):
            text = L.html_number(x)
            assert float(text) == x and "e" not in text


def test_every_overlay_is_a_parameter_a_check_box_and_a_drawing_option():
    # limits.OVERLAYS is the one declaration: Params has each as a 0/1 field with its default,
    # the built page a check box with its words in the drawing options, in the table's order.
    from kmeans_anim.picture.scene import Options
    for overlay in L.OVERLAYS:
        assert getattr(P.DEFAULTS, overlay.name) == overlay.default, overlay.name
        assert P.RANGES[overlay.name] == L.Range(overlay.label, 0, 1, 1)
        assert overlay.name in P.INT_FIELDS
    assert tuple(f.name for f in dataclasses.fields(Options)) == L.OVERLAY_NAMES
    built = write_overlays(SOURCE)
    drawing = built[built.index('<fieldset id="drawing"'):]
    drawing = drawing[:drawing.index("</fieldset>")]
    ids = re.findall(r'<input id="([\w-]+)" type="checkbox"', drawing)
    assert ids[:len(L.OVERLAYS)] == list(L.OVERLAY_NAMES)
    for overlay in L.OVERLAYS:
        assert re.search(rf'id="{overlay.name}"[^>]*> {re.escape(overlay.words)}</label>', drawing)
    with pytest.raises(BuildError, match="its own #paths"):
        write_overlays(SOURCE.replace("<fieldset id=\"drawing\"", '<input id="paths" type="checkbox"><fieldset id="drawing"'))
    with pytest.raises(BuildError, match="no <!-- overlays"):
        write_overlays(re.sub(r"<!-- overlays: [^>]*-->", "", SOURCE))
