"""Presentation mode as the room sees it, at the two projector sizes (1280×720, 1024×768), on every page:
nothing cut, the key figures on the first screen, no English word, no value label over another, the
presenter's bar and keys that move without ever leaving masking. Screenshots go to artefacts/screenshots/."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    DRAWN_ONCE,
    assert_no_exception,
    chart_texts_outside,
    charts_widened,
    goto,
    menu_link,
    rerun_and_wait,
    screenshot,
    settle,
    wait_for_run,
)
from tests.e2e.test_carte import hover_box_inside_the_figure, six_communes_named_on_the_map, territory_whole
from tests.e2e.test_pages import PAGES

FICHE_URL = next(url for file, _title, url, _default in PAGES if file == "fiche_commune.py")
MASKING_CAPTION = "caché par précaution"

SIZES = [(1280, 720), (1024, 768)]
MAIN = '[data-testid="stMain"]'
# Words of Streamlit's and plotly's own interface that must never reach a reader (whole words, case kept).
ENGLISH = (
    "Select all",
    "Upload",
    "per file",
    "Drag and drop",
    "Browse files",
    "Download",
    "Show/hide",
    "Search",
    "Page not found",
    "does not seem to exist",
    "Reset axes",
    "Autoscale",
    "Zoom in",
    "Zoom out",
    "Produced with Plotly",
    "Running",
    "Deploy",
    "Rerun",
    "Clear cache",
    "PageDown",
    "PageUp",
    "Shortcut",
    "No results",
    "Choose an option",
    "Made with Streamlit",
    # Accessible names that a screen reader reads and a tooltip shows (impact.chrome.FRENCH_LABELS).
    "Skip to main content",
    "Help for",
    "Link to heading",
    "Collapse sidebar",
    "Expand sidebar",
    "App pages",
    "Toggle attribution",
    "Fullscreen",
    "Sidebar",
)
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
# The first screen of each page: which elements must lie entirely inside the viewport (selector, how many).
# Vue d'ensemble: its eight key figures, the exits and the revenue with the volumes (at 1024 px too).
FIRST_SCREEN = {
    "vue_ensemble": [("h1", 1), ('[data-testid="stMetric"]', 8)],
    "heures": [("h1", 1), ('[data-testid="stMetric"]', 3)],
    "emplois": [("h1", 1), ('[data-testid="stMetric"]', 4)],
    "sorties": [("h1", 1), ('[data-testid="stMetric"]', 4)],
    "marches": [("h1", 1), ('[data-testid="stMetric"]', 4)],
    "fiche_commune": [("h1", 1), ("h2", 1), ('[data-testid="stMetric"]', 4)],
    "carte": [("h1", 1)],
}
MAP_ON_FIRST_SCREEN = ("carte", "fiche_commune")

CLIPPED_JS = """
() => {
  // A button's label box ends with "…" when the button is too narrow ("Précéde…"): its own width is checked.
  const sel = '[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"] *, '
    + 'h1, h2, h3, button p, button [data-testid="stMarkdownContainer"], [data-testid="stMarkdownContainer"] p, '
    + '[data-testid="stCaptionContainer"] p, '
    + '[data-baseweb="select"] [value], [data-baseweb="select"] div[title], td, th';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue;  // a scrolling box cuts nothing
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.textContent.trim().slice(0, 60));
  }
  return out;
}
"""

# Value labels of every plotly chart (bar labels, text points, annotations): pairs whose boxes overlap.
OVERLAP_JS = """
() => {
  const out = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, c) => {
    const boxes = [];
    chart.querySelectorAll('text.bartext, .textpoint text, .annotation-text').forEach((t) => {
      const r = t.getBoundingClientRect();
      const hidden = getComputedStyle(t).display === 'none' || getComputedStyle(t).opacity === '0';
      if (!hidden && r.width > 0 && r.height > 0 && t.textContent.trim()) boxes.push([t.textContent, r]);
    });
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (dx > 1 && dy > 1) out.push(`graphique ${c + 1} : « ${boxes[i][0]} » sur « ${boxes[j][0]} »`);
    }
  });
  return out;
}
"""


def _inside_viewport(page: Page, selector: str, count: int) -> None:
    height, width = page.viewport_size["height"], page.viewport_size["width"]
    items = page.locator(MAIN).locator(selector)
    assert items.count() >= count, f"{selector} : {items.count()} élément(s), {count} attendu(s)"
    for i in range(count):
        box = items.nth(i).bounding_box()
        assert box is not None, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (
            f"{selector} n° {i + 1} hors du premier écran : y={box['y']:.0f}, bas={box['y'] + box['height']:.0f}, "
            f"écran {height}"
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{selector} n° {i + 1} coupé à droite"


def _visible_text(page: Page) -> str:
    """What a reader can see or hear: the text, plus tooltips and accessible names."""
    extra = page.evaluate(
        """() => [...document.querySelectorAll('[title], [aria-label], [placeholder]')]
             .filter((e) => e.offsetParent)
             .map((e) => [e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('placeholder')]
               .filter(Boolean).join(' ')).join('\\n')"""
    )
    return page.locator("body").inner_text() + "\n" + extra


@pytest.mark.long
def test_presentation_every_page_fits_the_room(page: Page, server: str):
    """Every page in presentation mode, reached as a presenter does (the first by its address, the others by
    the bar's « Suivante »), then each projector size in turn: the page reflows as a projector's screen
    would (cards, charts and maps follow the window), without a second run of the page. The map names its
    six communes nouvelles at both sizes, both maps draw their whole territory on the first screen, the fiche's keeps its hover inside the figure. Every
    page's problems are reported, not only the first page's. Back on the home page, « Quitter » brings the
    sidebar back."""
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    # The default page answers at "/" (and at /vue_ensemble: test_deep_link, test_home_address_...).
    goto(page, server, "", query={"mode": "presentation"})
    home = next(u for _f, _t, u, d in PAGES if d)
    problems, seen = [], []
    for i in range(len(PAGES)):
        address = urlsplit(page.url)
        url = address.path.strip("/")
        seen.append(url or home)
        # Each page is checked at the size it opened at, then at the other: no resize between two pages.
        sizes = SIZES if i % 2 == 0 else SIZES[::-1]
        try:
            _presentation_page_fits_the_room(page, url, first=i == 0, sizes=sizes)
        except (AssertionError, PlaywrightError) as error:
            problems.append(f"{url or 'accueil'} : {error}")
            screenshot(page, f"ECHEC-salle-{url or 'accueil'}")
        # A click runs this page again, which then switches: wait for the address to change, then the run.
        page.get_by_role("button", name="Suivante", exact=True).click()
        page.wait_for_function("(path) => location.pathname !== path", arg=address.path, timeout=60_000)
        wait_for_run(page)
    assert sorted(seen) == sorted(u for _f, _t, u, _d in PAGES), f"pages parcourues : {seen}"
    assert not problems, "Pages en défaut en mode présentation :\n" + "\n".join(problems)
    _quit_brings_the_sidebar_back(page)


def _presentation_page_fits_the_room(page: Page, url: str, first: bool, sizes: list) -> None:
    assert_no_exception(page)
    if first:  # the home page's own address stays "/" (README)
        assert url == "", page.url
    expect(page.locator(MAIN).locator("h1").first).to_be_visible()
    if url == "":
        expect(page.locator(MAIN).locator("h1").first).to_have_text("Vue d'ensemble")
        expect(page.get_by_role("dialog")).to_have_count(0)
    assert parse_qs(urlsplit(page.url).query).get("mode") == ["presentation"], page.url
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stHeader"]')).to_be_hidden()
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        # Back to the top of the page (Streamlit scrolls its main section, not the window).
        page.evaluate(
            "() => document.querySelectorAll('*').forEach((e) => { if (e.scrollTop) e.scrollTop = 0; })"
        )
        if url in MAP_ON_FIRST_SCREEN:
            map_whole_on_the_first_screen(page, width, height)
        _fits_the_room(page, url, width, height)
        if url == "carte":
            six_communes_named_on_the_map(page, width, height)
            colour_bar_on_the_first_screen(page, width, height)
        if url == "fiche_commune" and (width, height) == (1024, 768):
            hover_box_inside_the_figure(page, url, height)


def map_whole_on_the_first_screen(page: Page, width: int, height: int) -> None:
    """The map of the Carte and of the fiche commune draws its whole territory on the projector's first
    screen at both room sizes: the corners of its communes, projected by the map itself, fall inside the map
    and above the bottom of the window, and so do their names (the fiche's column is about 460 px wide at
    1024 px: its colour bar stands under the map)."""
    settle(page)  # the map is drawn (after the run, or after a resize)
    view = territory_whole(page, f"{width}×{height}")
    where = f"{width}×{height} : {view}"
    assert not view["scrolled"], f"page défilée avant la mesure à {where}"
    assert view["pageBottom"] <= height, f"bas du territoire sous le premier écran à {where}"


def colour_bar_on_the_first_screen(page: Page, width: int, height: int) -> None:
    """The Carte's colour scale (what a shade means) stands beside the map, whole on the first screen."""
    page.evaluate(
        "() => document.querySelectorAll('*').forEach((e) => { if (e.scrollTop) e.scrollTop = 0; })"
    )
    bar = page.locator(MAIN).locator(".colorbar").first.bounding_box()
    assert bar is not None and 0 <= bar["y"] and bar["y"] + bar["height"] <= height, (
        f"échelle de couleurs hors du premier écran à {width}×{height} : {bar}"
    )
    assert bar["x"] + bar["width"] <= width, f"échelle de couleurs coupée à droite à {width}×{height} : {bar}"


# The heights of the key-figure cards of the first row that holds several.
CARD_HEIGHTS_JS = """() => {
  for (const row of document.querySelectorAll('[data-testid="stMain"] [data-testid="stHorizontalBlock"]')) {
    const cards = [...row.children].map((c) => c.querySelector(':scope [data-testid="stMetric"]')).filter(Boolean);
    if (cards.length > 1) return cards.map((c) => c.getBoundingClientRect().height);
  }
  return [];
}"""


def _fits_the_room(page: Page, url: str, width: int, height: int) -> None:
    settle(page)  # charts and maps finish drawing (after the run, or after a resize)

    # The page starts at the top: no blank band above the presenter's bar.
    bar = page.locator(".st-key-presentation_bar").bounding_box()
    assert bar is not None and bar["y"] < 30, f"barre de présentation à y={bar and bar['y']}"
    name = url or "vue_ensemble"  # the default page answers at "/"
    for selector, count in FIRST_SCREEN.get(name, [("h1", 1)]):
        _inside_viewport(page, selector, count)
    if url in MAP_ON_FIRST_SCREEN:
        chart = page.locator(MAIN).locator('[data-testid="stPlotlyChart"]').first.bounding_box()
        assert chart is not None and chart["y"] + 200 < height, f"carte hors du premier écran : {chart}"
    # The first row of key figures: its cards as tall as each other (a label on two lines made them uneven).
    cards = page.evaluate(CARD_HEIGHTS_JS)
    assert not cards or max(cards) - min(cards) <= 2, (
        f"cartes de hauteurs inégales à {width}×{height} : {cards}"
    )
    screenshot(page, f"presentation_{name}_{width}x{height}")

    clipped = page.evaluate(CLIPPED_JS)
    assert not clipped, f"Textes coupés sur {url} à {width}×{height} : {clipped}"
    english = sorted(set(ENGLISH_RE.findall(_visible_text(page))))
    assert not english, f"Mots anglais sur {url} : {english}"
    expect(page.locator(".modebar-container .modebar")).to_have_count(0)

    # Scroll through the whole page: every chart drawn, no label over another, nothing cut further down.
    total = page.evaluate("document.scrollingElement.scrollHeight")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    settle(page)
    overlaps = page.evaluate(OVERLAP_JS)
    assert not overlaps, f"Étiquettes superposées sur {url} à {width}×{height} : {overlaps}"
    outside = chart_texts_outside(page)
    assert not outside, f"Textes de graphique coupés au bord sur {url} à {width}×{height} : {outside}"
    if url in DRAWN_ONCE:
        widened = charts_widened(page)
        assert not widened, (
            f"Graphiques redessinés pour leurs marges sur {url} à {width}×{height} : {widened}"
        )
    clipped = page.evaluate(CLIPPED_JS)
    assert not clipped, f"Textes coupés plus bas sur {url} à {width}×{height} : {clipped}"
    assert total > 0


def _quit_brings_the_sidebar_back(page: Page) -> None:
    assert urlsplit(page.url).path.strip("/") in ("", "vue_ensemble"), page.url
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Vue d'ensemble")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator(MAIN).get_by_text(MASKING_CAPTION)).to_be_visible()
    screenshot(page, "presentation_accueil")
    quit_button = page.get_by_role("button", name="Quitter", exact=True)
    rerun_and_wait(page, quit_button.click)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    expect(page.locator(MAIN).get_by_text(MASKING_CAPTION)).to_have_count(0)
    expect(quit_button).to_have_count(0)
    assert "mode" not in parse_qs(urlsplit(page.url).query), page.url
    expect(
        page.locator('[data-testid="stSidebar"]').get_by_role("switch", name="Mode présentation")
    ).not_to_be_checked()


def test_presenter_keys_move_without_leaving_masking(page: Page, server: str):
    """PageDown / PageUp, the page menu, → and ← on the fiche commune, then its « Commune suivante » button:
    every move keeps presentation mode (masking on, sidebar hidden, address says so)."""
    page.set_viewport_size({"width": 1024, "height": 768})
    goto(page, server, "", query={"mode": "presentation"})
    note = page.get_by_text(MASKING_CAPTION)
    expect(note).to_be_visible()
    # PageDown: the next page, still in presentation mode (masking on, address says so).
    rerun_and_wait(page, lambda: page.keyboard.press("PageDown"))
    page.wait_for_url(re.compile(r"/carte"))
    wait_for_run(page)
    assert parse_qs(urlsplit(page.url).query).get("mode") == ["presentation"], page.url
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(note).to_be_visible()
    # PageUp: back.
    rerun_and_wait(page, lambda: page.keyboard.press("PageUp"))
    page.wait_for_url(re.compile(r"/(vue_ensemble)?\?"))  # the default page: / or /vue_ensemble
    wait_for_run(page)
    expect(note).to_be_visible()

    # The page menu: every link keeps ?mode=presentation.
    page.get_by_role("button", name="Pages").click()
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links.first).to_be_visible()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == len(PAGES) - 1 or len(hrefs) == len(PAGES), hrefs
    assert all("mode=presentation" in (h or "") for h in hrefs), hrefs
    # Every page in sight: nothing clipped by the menu's own scroll (two columns), the link itself under its centre.
    hidden = links.evaluate_all(
        """(els) => els.filter((el) => { const r = el.getBoundingClientRect();
             const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return !(hit && el.contains(hit)); }).map((el) => el.textContent)"""
    )
    assert not hidden, f"pages cachées dans le menu : {hidden}"
    rerun_and_wait(page, lambda: links.filter(has_text="Fiche commune").click())
    page.wait_for_url(re.compile(r"/fiche_commune"))
    wait_for_run(page)
    assert_no_exception(page)
    assert urlsplit(page.url).path.strip("/") == FICHE_URL, page.url
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(note).to_be_visible()

    # → and ←: next and previous commune.
    heading = page.locator(MAIN).locator("h2").filter(has_text=" — ").first
    expect(heading).to_be_visible()
    first = heading.inner_text()
    screenshot(page, "presentation_fiche_commune")
    # A loaded machine (make test runs the unit tests beside) can take long to start a run: wait up to a minute.
    rerun_and_wait(page, lambda: page.keyboard.press("ArrowRight"))
    expect(heading).not_to_have_text(first, timeout=60_000)
    rerun_and_wait(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(heading).to_have_text(first, timeout=60_000)
    expect(note).to_be_visible()
    assert parse_qs(urlsplit(page.url).query).get("mode") == ["presentation"], page.url

    # « Commune suivante »: two steps, three different communes, the same year; the sidebar stays hidden.
    next_button = page.get_by_role("button", name="Commune suivante")
    seen, lost = [first], 0
    for _ in range(2):
        wait_for_run(page)
        settle(page)  # the previous run drawn to the end: a click is not sent to a button being redrawn
        rerun_and_wait(page, next_button.click)
        try:
            expect(heading).not_to_have_text(seen[-1], timeout=30_000)
        except AssertionError:
            # On a loaded machine (the clean-clone CI runs the unit tests beside) Streamlit's page can lose a
            # click that lands while it redraws: one more click, at most once in the walk.
            lost += 1
            rerun_and_wait(page, next_button.click)
            expect(heading).not_to_have_text(seen[-1], timeout=60_000)
        assert_no_exception(page)
        seen.append(heading.inner_text())
    assert lost <= 1, "clics perdus sur « Commune suivante »"
    assert len({s.split(" — ")[0] for s in seen}) == 3, seen
    assert len({s.split(" — ")[-1] for s in seen}) == 1, seen
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator(MAIN).get_by_text(MASKING_CAPTION)).to_be_visible()
    screenshot(page, "presentation_fiche_commune_suivante")


def test_home_address_opens_vue_ensemble_and_its_own_address_too(page: Page, server: str):
    """/vue_ensemble answers as well as "/" and keeps its address. "/" itself: test_home_page_offline (plain)
    and test_presentation_every_page_fits_the_room (presentation); /vue_ensemble in presentation mode:
    test_deep_link."""
    goto(page, server, "vue_ensemble")
    assert_no_exception(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Vue d'ensemble")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not ENGLISH_RE.findall(_visible_text(page))
    assert urlsplit(page.url).path.strip("/") == "vue_ensemble", page.url
    # From /vue_ensemble, another page of the menu and back: the addresses follow.
    rerun_and_wait(page, menu_link(page, "Sorties").click)
    expect(page).to_have_url(re.compile(r"/sorties\?"))
    rerun_and_wait(page, menu_link(page, "Vue d'ensemble").click)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Vue d'ensemble")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_period_typed_in_the_address(page: Page, server: str):
    """The default year and the incomplete year one click away: test_home_page_offline."""
    # A hand-typed period is applied, a single year as well as a range.
    for typed, shown in (("2023", "Période : 2023"), ("2021-2023", "Période : 2021–\u20602023")):
        goto(page, server, "", query={"periode": typed})
        expect(page.locator(MAIN).get_by_text(shown).first).to_be_visible()
    # An unknown year is said, not silently dropped.
    goto(page, server, "", query={"periode": "1990"})
    expect(page.get_by_text("Période «\u00a01990\u00a0» de l'adresse inconnue")).to_be_visible()
    expect(page.locator(MAIN).get_by_text("Période : 2025").first).to_be_visible()


def test_streamlit_widget_hints_read_in_french(page: Page, server: str):
    """Helper review of 2026-12-05: "Press Enter to apply" under a text field while typing (Mémoire), "No
    results" in a list of choices that matches nothing (the communes of the sidebar). Both in French now."""
    goto(page, server, "memoire")
    assert_no_exception(page)
    field = page.get_by_label("Acheteur ou donneur d'ordre")
    field.click()
    field.press("End")
    field.type(" Anjou")
    hint = page.locator('[data-testid="InputInstructions"]').first
    expect(hint).to_have_text("Entrée pour valider")
    field.press("Escape")

    communes = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    communes.locator("input").first.click()
    page.keyboard.type("zzzz")
    expect(page.get_by_text("Aucun résultat")).to_be_visible()
    assert "No results" not in page.locator("body").inner_text()
    page.keyboard.press("Escape")
