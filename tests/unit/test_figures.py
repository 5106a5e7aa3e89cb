"""The static maps of the documents (impact/documents/figures.py): the names of the communes written on them."""

import itertools

import matplotlib.pyplot as plt

from impact import geo
from impact.documents import figures

# The communes where the demo's Beaupréau AI worked: Bellevigne-en-Layon and Terranjou, side by side, wrote
# their names over each other, and Beaupréau-en-Mauges's over its head office.
TERRITOIRE = ("49023", "49345", "49050", "49063", "49092", "49099", "49192", "49167", "49086")
DENSE = TERRITOIRE + (
    "49126",
    "49218",
    "49244",
    "49301",
    "49012",
    "49022",
    "49029",
    "49068",
    "49082",
    "49120",
)


def draw(codes, avoid=()):
    nouvelles = geo.boundaries("nouvelle")
    mine = nouvelles[nouvelles["code_insee"].isin(codes)]
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    nouvelles.plot(ax=ax)
    ax.set_aspect(1 / 0.68)
    ax.set_axis_off()
    written = figures.name_communes(fig, ax, list(mine.itertuples()), fontsize=7, avoid=avoid)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    points = [ax.transData.transform(xy) for xy in avoid]
    plt.close(fig)
    return mine, written, boxes, points


def test_names_never_overlap_and_keep_clear_of_head_offices():
    siege = geo.boundaries("nouvelle").set_index("code_insee").geometry["49023"].representative_point()
    mine, written, boxes, points = draw(TERRITOIRE, avoid=[(siege.x, siege.y)])
    assert sorted(written) == sorted(mine["nom"])  # all nine written, moved a line when their spot was taken
    assert written[0] == "Chemillé-en-Anjou"  # the largest first: it takes its own spot
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert not any(b.contains(*p) for b in boxes for p in points)


def test_a_name_finding_no_room_is_left_out():
    mine, written, boxes, _ = draw(DENSE)
    assert len(boxes) == len(written) and set(written) < set(mine["nom"])
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
