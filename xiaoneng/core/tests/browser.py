"""What every browser test checks of a page, in one place: the screen sizes we promise,
no horizontal overflow, nothing cut off, and no WCAG 2 A/AA violation found by axe-core.

axe-core comes from npm for the tests only (package.json; `make browser-deps` installs it);
the app never serves it. It is injected into the page under test as a script.
"""

from pathlib import Path

# The screens of the people who use it: an office PC, a hall screen, a phone; and for the
# big screen a 4K wall.
OFFICE = {"width": 1366, "height": 768}
HALL = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}
WALL = {"width": 3840, "height": 2160}
SIZES = {"office": OFFICE, "hall": HALL, "phone": PHONE}

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def overflow(page) -> dict:
    """The page's widths: scrollWidth must not exceed innerWidth."""
    return page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )


def assert_no_overflow(page) -> None:
    widths = overflow(page)
    assert widths["scroll"] <= widths["inner"], f"horizontal overflow: {widths}"


CUT_OFF = """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') return false;
  // Scrolled on purpose (a wide table in its own scroller) is not cut off.
  const scrolls = ['auto', 'scroll'].includes(style.overflowX) || ['auto', 'scroll'].includes(style.overflowY);
  if (scrolls) return false;
  return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
}).map(el => (el.id || el.className || el.tagName) + ': ' + el.textContent.trim().slice(0, 40))"""


def cut_off(page, selector: str) -> list[str]:
    """Elements matching `selector` whose content is larger than their box and clipped."""
    return page.evaluate(CUT_OFF, selector)


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """WCAG 2 A/AA violations on the page as axe-core finds them: one line per rule, with
    the number of elements and the first element's selector."""
    if not AXE.exists():  # pragma: no cover - the Makefile installs it
        raise RuntimeError(f"axe-core is missing ({AXE}): run `make browser-deps`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the driver, not as a <script> tag: the app's CSP forbids inline
        # scripts, and rightly so.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """([tags, exclude]) => axe.run(
             {include: [document], exclude: exclude.map(s => [s])},
             {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [WCAG_AA, list(exclude)],
    )
    return [
        f"{v['id']} ({len(v['nodes'])}): {v['help']} — {v['nodes'][0]['target']}"
        for v in result["violations"]
    ]


def assert_accessible(page, **kwargs) -> None:
    violations = axe_violations(page, **kwargs)
    assert violations == [], "\n".join(violations)


def check_page(page, *, cut_selector: str | None = None) -> None:
    """The checks every page of the browser tests passes at every size."""
    assert_no_overflow(page)
    if cut_selector:
        assert cut_off(page, cut_selector) == []
    assert_accessible(page)
