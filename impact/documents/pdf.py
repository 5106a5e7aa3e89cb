"""The PDF documents: the commune sheet (1–2 A4 pages) and the annual report for the board.

fpdf2 with the DejaVu fonts shipped in data/fonts/ (the PDF core fonts reject € and the narrow no-break
space of French numbers), images from impact.documents.figures (matplotlib): no browser, no network.
Documents leave the team, so small counts of people are always masked (impact.privacy).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from fpdf import FPDF, FontFace

from impact import DATA_DIR, columns, fmt, geo, privacy, texts
from impact.columns import people, ratio
from impact.definitions import DEFINITIONS
from impact.documents import COLLECTIF, SOURCES, figures
from impact.indicators.bilan import Bilan
from impact.indicators.commune import LECTURE, Fiche
from impact.indicators.core import SORTIES_COUNTS
from impact.texts import MASQUAGE, SANS_TAUX, rapports_phrase, suivi_texte

FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
GRIS = (90, 90, 90)
BLEU = (0, 76, 125)
FOND = (234, 241, 248)


@dataclass(frozen=True)
class Col:
    """A column of a PDF table: its key, heading, cell formatter, width and alignment."""

    key: str
    header: str
    fmt: Callable = columns.TEXT.cell
    width: float = 1.0
    align: str = "LEFT"

    @classmethod
    def of(cls, key: str, width: float = 1.0, **fields) -> Col:
        """A column of the vocabulary (impact.columns): its label, formatter and alignment."""
        c = columns.get(key)
        return cls(key, c.title(**fields), c.text, width, "RIGHT" if c.kind.numeric else "LEFT")


class Document(FPDF):
    """A4 portrait with the embedded DejaVu fonts and a footer naming the document, its source and page."""

    def __init__(self, titre: str, pied: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.pied = pied
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 14, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FONT, size=9.5)
        self.set_title(titre)
        self.set_author(COLLECTIF)
        self.set_creator("impact — tableau de bord du collectif")
        self.set_lang("fr-FR")
        # Reproducible bytes for the same data (no clock in the file).
        self.set_creation_date(datetime(2000, 1, 1))

    def footer(self):
        self.set_y(-11)
        self.set_font(FONT, size=7)
        self.set_text_color(*GRIS)
        self.cell(0, 4, f"{self.pied} — page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    # --- Blocks -------------------------------------------------------------------------------------

    def h1(self, text: str, size: float = 18):
        self.set_font(FONT, "B", size)
        self.set_text_color(*BLEU)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.set_font(FONT, size=9.5)

    def h2(self, text: str, *, section: bool = False, level: int = 0, need: float = 45):
        """A section title, moved to a new page when less than `need` mm remain (no orphan title)."""
        if self.get_y() > self.h - self.b_margin - need:
            self.add_page()
        self.ln(2)
        if section:
            self.start_section(text, level=level)
        self.set_font(FONT, "B", 12 if level == 0 else 10.5)
        self.set_text_color(*BLEU)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*BLEU)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_text_color(0)
        self.set_font(FONT, size=9.5)

    def para(self, text: str, size: float = 9.5, color=(0, 0, 0), bold: bool = False):
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.47, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.set_font(FONT, size=9.5)
        self.ln(1)

    def encadre(self, text: str, size: float = 10):
        """A shaded paragraph (the text to read aloud)."""
        self.set_fill_color(*FOND)
        self.set_font(FONT, size=size)
        self.multi_cell(0, size * 0.5, text, fill=True, padding=2.5, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def chiffres(self, items: Sequence[tuple[str, str, str]], per_row: int = 4):
        """Boxes of key figures: (label, value, note) — the value large, the note small under it."""
        gap = 3
        w = (self.epw - gap * (per_row - 1)) / per_row
        h = 16.5
        for start in range(0, len(items), per_row):
            if self.get_y() + h > self.h - self.b_margin:
                self.add_page()
            y = self.get_y()
            for i, (label, value, note) in enumerate(items[start : start + per_row]):
                x = self.l_margin + i * (w + gap)
                self.set_fill_color(*FOND)
                self.rect(x, y, w, h, style="F")
                self.set_xy(x + 2, y + 1.5)
                self.set_font(FONT, size=7.5)
                self.set_text_color(*GRIS)
                # Left-aligned: fpdf2 justifies by default, and a two-line label spread its words apart.
                self.multi_cell(w - 4, 3.2, label, new_x="LEFT", new_y="NEXT", max_line_height=3.2, align="L")
                self.set_xy(x + 2, y + 7.3)
                self.set_text_color(0)
                self._fit_bold(value, w - 4)
                self.cell(w - 4, 6, value)
                if note:
                    self.set_xy(x + 2, y + 12.6)
                    self.set_font(FONT, size=6.5)
                    self.set_text_color(*GRIS)
                    self.cell(w - 4, 3, note)
            self.set_text_color(0)
            self.set_font(FONT, size=9.5)
            self.set_xy(self.l_margin, y + h + gap)

    def _fit_bold(self, value: str, width: float, size: float = 13, smallest: float = 7) -> None:
        """Sets the bold font of a key figure at the largest size, down to `smallest`, at which `value` holds in
        `width` (« masqué (petit effectif) » ran past its box at 13 pt)."""
        self.set_font(FONT, "B", size)
        while size > smallest and self.get_string_width(value) > width:
            size -= 0.5
            self.set_font(FONT, "B", size)

    def tableau(self, df: pd.DataFrame, cols: Sequence[Col], *, size: float = 7.5, total_last: bool = False):
        """A table with a bold heading row (repeated on a new page), values formatted by each Col."""
        if df.empty:
            self.para("Aucune ligne pour cette année.", size=8.5, color=GRIS)
            return
        self.set_font(FONT, size=size)
        with self.table(
            col_widths=[c.width for c in cols],
            text_align=[c.align for c in cols],
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=FOND),
            line_height=size * 0.5,
            padding=(0.6, 1.0),
            width=self.epw,
        ) as t:
            row = t.row()
            for c in cols:
                row.cell(c.header)
            n = len(df)
            for i, rec in enumerate(df.to_dict("records")):
                row = t.row()
                style = FontFace(emphasis="BOLD") if total_last and i == n - 1 else None
                for c in cols:
                    row.cell(c.fmt(rec.get(c.key)), style=style)
        self.set_font(FONT, size=9.5)
        self.ln(2)

    def png(self, data: bytes, w: float, x: float | None = None, y: float | None = None, alt: str = ""):
        return self.image(io.BytesIO(data), x=x, y=y, w=w, alt_text=alt)


# --- Fiche commune ----------------------------------------------------------------------------------


FICHE_MAX_PAGES = 2
# Rows kept in the long tables (contracts, structures, interventions), fewer until the sheet fits 2 pages.
FICHE_LIMITES = ((6, 6, 5), (5, 5, 4), (4, 4, 3), (3, 3, 2))


def fiche_commune_pdf(fiche: Fiche, *, provenance: str) -> bytes:
    """The commune sheet (at most 2 A4 pages): name, figures, map, chart, tables, sources and freshness.
    Always masked: it is meant to leave the team."""
    images = _fiche_images(fiche)
    for limites in FICHE_LIMITES:
        doc = _fiche_document(fiche, provenance, images, limites)
        if doc.pages_count <= FICHE_MAX_PAGES:
            break
    return bytes(doc.output())


def _fiche_images(fiche: Fiche) -> tuple[bytes, bytes]:
    carte = figures.carte_commune(fiche.code, fiche.interventions)
    courbe = figures.barres_annees(
        list(fiche.tendance["annee"]),
        list(fiche.tendance["heures_travaillees"]),
        unite="h",
        highlight=fiche.annee,
        size=(4.2, 3.4),
    )
    return carte, courbe


def _plus(doc: Document, reste: pd.DataFrame, singular: str, plural: str, heures_col: str):
    if not reste.empty:
        doc.para(
            f"Et {fmt.plural(len(reste), singular, plural)} ({fmt.hours(reste[heures_col].sum())}).",
            size=7.5,
            color=GRIS,
        )


def _fiche_document(fiche: Fiche, provenance: str, images: tuple[bytes, bytes], limites) -> Document:
    max_marches, max_structures, max_interventions = limites
    k, r = fiche.chiffres, fiche.residents
    doc = Document(
        f"Fiche commune — {fiche.nom} — {fiche.annee}", f"{COLLECTIF} — fiche {fiche.nom} {fiche.annee}"
    )
    doc.add_page()
    doc.para(f"{COLLECTIF} · Fiche commune · rencontre annuelle", size=8.5, color=GRIS)
    doc.h1(f"{fiche.nom} — {fiche.annee}")
    doc.para(provenance, size=8.5, color=GRIS)
    doc.encadre(texts.fiche_commune_texte(fiche, masked=True))
    doc.para(LECTURE, size=7.5, color=GRIS)

    doc.h2("Les habitants employés par les structures du collectif")
    doc.chiffres(
        [
            (
                "Habitants employés",
                people(privacy.beside(k, "personnes_employees", True)),
                "au moins 1 heure dans l'année",
            ),
            (
                "dont salariés en parcours (IAE)",
                people(privacy.beside(k, "salaries_en_parcours", True)),
                "ACI, AI, EI, ETTI, EITI",
            ),
            (
                "Heures travaillées par les habitants",
                fmt.hours(r["heures_travaillees"]),
                "où qu'ils travaillent",
            ),
            ("ETP des habitants", fmt.etp(r["etp"]), "base annuelle du type de structure"),
        ]
    )
    doc.h2("Le travail réalisé dans la commune")
    doc.chiffres(
        [
            ("Heures travaillées dans la commune", fmt.hours(k["heures_travaillees"]), "tous salariés"),
            ("Équivalents temps plein", fmt.etp(k["etp"]), "base annuelle du type de structure"),
            ("Chantiers et sites", fmt.integer(len(fiche.interventions)), "interventions avec des heures"),
            ("Structures actives", fmt.integer(fiche.structures_actives), "heures dans la commune"),
        ]
    )
    doc.h2("Les sorties de parcours des habitants (IAE)")
    dyn, big_n = k["sorties_dynamiques"], k["sorties_examinees"]
    doc.chiffres(
        [
            (
                "Sorties de l'année",
                people(privacy.toutes_sorties(k["sorties"], big_n, True)),
                "structures IAE",
            ),
            ("Sorties examinées", people(k["sorties_examinees"]), "hors retraits, durée minimale"),
            (
                "Taux de sortie dynamique",
                privacy.rate_text(k["taux_sortie_dynamique"], dyn, big_n, True),
                ratio(dyn, big_n),
            ),
            (
                "Taux de sortie en emploi durable",
                privacy.rate_text(k["taux_sortie_emploi_durable"], k["sorties_emploi_durable"], big_n, True),
                ratio(k["sorties_emploi_durable"], big_n),
            ),
        ]
    )
    # Categories as one line, masked as the page masks them (with the Sorties page of the commune and year).
    # Every non-zero count hidden: the line is left out, as on the page (privacy.RETIRE).
    if privacy.retire(fiche.sorties, ["sorties"], forced=fiche.sorties_masques):
        doc.para(privacy.retires_texte("les sorties par catégorie"), size=7.5, color=GRIS)
    else:
        masked = privacy.mask_counts(fiche.sorties, ["sorties"], forced=fiche.sorties_masques)
        par_categorie = pd.DataFrame([dict(zip(masked["libelle"], masked["sorties"], strict=True))])
        doc.tableau(
            par_categorie,
            [Col(lab, lab, columns.COUNT.cell, 1, "CENTER") for lab in fiche.sorties["libelle"]],
            size=7,
        )
    if k["taux_sortie_dynamique"] is None:
        doc.para(SANS_TAUX, size=7.5, color=GRIS)
    suivi = suivi_texte(fiche.suivi)
    if suivi:
        doc.para(f"À part, suivi du collectif (hors taux officiels). {suivi[0]}", size=7.5)

    # Map and chart side by side.
    if doc.get_y() > doc.h - 95:
        doc.add_page()
    y = doc.get_y() + 1
    half = (doc.epw - 6) / 2
    doc.set_font(FONT, "B", 9)
    doc.set_xy(doc.l_margin, y)
    doc.cell(half, 5, "Où le collectif a travaillé dans la commune")
    doc.set_xy(doc.l_margin + half + 6, y)
    doc.cell(half, 5, "Heures travaillées dans la commune, par année")
    carte, courbe = images
    i1 = doc.png(carte, half, x=doc.l_margin, y=y + 6, alt=f"Carte des interventions à {fiche.nom}")
    i2 = doc.png(courbe, half, x=doc.l_margin + half + 6, y=y + 6, alt="Heures travaillées par année")
    doc.set_xy(doc.l_margin, y + 6 + max(i1.rendered_height, i2.rendered_height) + 1)
    doc.para(
        "Carte : chaque cercle est une intervention, sa surface suit les heures de l'année ; les carrés sont "
        "placés au centre de leur commune déléguée faute de point GPS. " + geo.source_label() + ".",
        size=6.5,
        color=GRIS,
    )

    doc.h2("L'évolution depuis le début des données")
    tendance = privacy.mask_each(
        privacy.mask_rates(fiche.tendance, columns.rate_columns(fiche.tendance.columns)),
        ["personnes_employees", "salaries_en_parcours", "sorties", "sorties_examinees", "sorties_dynamiques"],
    )
    tendance = privacy.hide(tendance, fiche.tendance_masques)
    doc.tableau(
        tendance,
        [
            Col.of("annee", 0.7),
            Col.of("heures_travaillees", 1.3),
            Col.of("etp", 1),
            Col.of("personnes_employees", 1.1),
            Col.of("salaries_en_parcours", 0.8),
            Col.of("sorties", 0.8),
            Col.of("taux_sortie_dynamique", 1.2),
        ],
    )

    doc.h2("Les marchés et partenariats dans la commune")
    doc.tableau(
        fiche.marches.head(max_marches),
        [
            Col.of("intitule", 4),
            Col.of("donneur_ordre", 1.6),
            Col.of("dispositif", 1.5),
            Col.of("heures_commune", 1.2),
        ],
    )
    _plus(doc, fiche.marches.iloc[max_marches:], "autre marché", "autres marchés", "heures_commune")

    doc.h2("Les structures actives dans la commune", need=30)
    actives = fiche.structures[fiche.structures["heures_commune"] > 0]
    doc.tableau(
        privacy.hide(privacy.mask_counts(actives, ["habitants_employes"]), fiche.structures_masques).head(
            max_structures
        ),
        [
            Col("nom", "Structure", width=3),
            Col.of("type", 0.7),
            Col.of("heures_commune", 1.3),
            Col.of("habitants_employes", 1.2),
        ],
    )
    _plus(doc, actives.iloc[max_structures:], "autre structure", "autres structures", "heures_commune")

    autres = fiche.structures[fiche.structures["heures_commune"] <= 0]
    if not autres.empty:
        doc.para(
            "Emploient aussi des habitants sans travailler dans la commune : "
            + ", ".join(autres["nom"])
            + ".",
            size=7.5,
            color=GRIS,
        )

    doc.h2("Les principaux chantiers et sites de l'année", need=30)
    inter = privacy.mask_counts(fiche.interventions, ["personnes"])
    doc.tableau(
        inter.head(max_interventions),
        [
            Col.of("activite", 2.6),
            Col.of("commune_deleguee", 1.5),
            Col.of("structure", 2),
            Col.of("heures_travaillees", 1),
            Col.of("personnes", 0.8),
        ],
    )
    _plus(
        doc,
        fiche.interventions.iloc[max_interventions:],
        "autre intervention",
        "autres interventions",
        "heures_travaillees",
    )

    doc.h2("Sources et définitions", need=22)
    doc.para(SOURCES + " " + provenance + ".", size=7)
    doc.para(
        "ETP : heures ÷ base annuelle d'un temps plein du type de structure (ACI 1 820 h, AI 1 607 h, EI 1 505 h, "
        "ETTI 1 600 h par défaut). Sorties examinées : hors retraits, durée minimale de présence atteinte ; taux "
        "de sortie dynamique = (emploi durable + transition + positives) ÷ sorties examinées. Définitions "
        "complètes : page Méthodologie du tableau de bord. " + MASQUAGE,
        size=6.5,
        color=GRIS,
    )
    return doc


# --- Bilan annuel -----------------------------------------------------------------------------------


def _toc(pdf: FPDF, outline):
    pdf.set_xy(pdf.l_margin, pdf.t_margin + 10)
    pdf.h1("Sommaire", size=16)
    pdf.ln(3)
    pdf.set_font(FONT, size=11)
    for section in outline:
        if section.level > 0:
            continue
        link = pdf.add_link(page=section.page_number)
        pdf.cell(pdf.epw - 15, 8, section.name, link=link)
        pdf.cell(15, 8, str(section.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def bilan_pdf(b: Bilan, *, provenance: str) -> bytes:
    """The annual report: cover, contents, one section per theme with charts and tables, method appendix."""
    a = b.annee
    doc = Document(f"Bilan annuel {a} — {COLLECTIF}", f"{COLLECTIF} — bilan annuel {a}")
    # Cover.
    doc.add_page()
    doc.ln(40)
    doc.para(COLLECTIF, size=14, color=GRIS)
    doc.h1(f"Bilan annuel {a}", size=30)
    doc.ln(4)
    doc.para(f"L'année {a} comparée à {a - 2} et {a - 1}, pour le conseil d'administration.", size=12)
    doc.para(provenance, size=10, color=GRIS)
    if b.annee_incomplete:
        doc.para(
            f"Attention : l'année {a} est incomplète (données jusqu'au {fmt.day(b.donnees_au)}).",
            size=10,
            bold=True,
        )
    doc.ln(10)
    doc.png(
        figures.barres_annees(
            b.annees,
            [b.valeur("heures_travaillees", y) for y in b.annees],
            unite="h",
            highlight=a,
            size=(6, 2.6),
        ),
        w=150,
        x=30,
        alt="Heures travaillées sur trois ans",
    )
    doc.set_y(doc.h - 50)
    doc.para(MASQUAGE, size=8, color=GRIS)
    # Contents.
    doc.add_page()
    # The placeholder keeps this page for the contents and opens the next one.
    doc.insert_toc_placeholder(_toc, pages=1)
    doc.h2(f"1. Les chiffres clés de {a}", section=True)
    doc.para("Les faits marquants", bold=True, size=10)
    for phrase in texts.faits_marquants(b, masked=True):
        doc.para(f"• {phrase}", size=9.5)
    doc.ln(1)
    doc.tableau(
        columns.comparaison_affichee(b),
        [
            Col("libelle", "Indicateur", width=3),
            *[Col(str(y), str(y), width=1.2, align="RIGHT") for y in b.annees],
            Col("variation", f"Variation {a}/{a - 1}", width=1.3, align="RIGHT"),
        ],
        size=8,
    )
    doc.para(rapports_phrase(b) + " Variation des taux en points de pourcentage.", size=7.5, color=GRIS)

    doc.h2("2. Les heures et l'activité", section=True)
    hs = b.heures_structures
    if not hs.empty:
        doc.png(
            figures.barres_horizontales(list(hs["structure"]), list(hs["heures_travaillees"]), unite="h"),
            w=doc.epw,
            alt="Heures travaillées par structure",
        )
    doc.para(f"Heures travaillées par structure en {a} (la plus active en haut).", size=7.5, color=GRIS)
    doc.tableau(
        privacy.mask_counts(hs, ["personnes_employees"]),
        [
            Col.of("structure", 3),
            Col.of("type", 0.7),
            Col.of("heures_travaillees", 1.3),
            Col.of("heures_facturees", 1.3),
            Col.of("heures_formation", 1.3),
            Col.of("personnes_employees", 1),
            Col.of("etp", 1),
        ],
    )

    doc.h2("3. Les sorties de parcours (IAE)", section=True)
    series = {
        "sorties_emploi_durable": "Emploi durable",
        "sorties_emploi_transition": "Emploi de transition",
        "sorties_positives": "Sortie positive",
        "autres_sorties": "Autre sortie",
    }
    sa = privacy.chart_data(b.sorties_annees, list(series), across_columns=True, forced=b.annees_masques)
    doc.png(
        figures.barres_empilees(
            b.annees,
            {label: list(sa[key]) for key, label in series.items()},
            masques={label: list(sa[key + privacy.MARQUE]) for key, label in series.items()},
        ),
        w=doc.epw,
        alt="Sorties examinées par catégorie sur trois ans",
    )
    doc.para("Sorties examinées par catégorie, année par année (tout le collectif).", size=7.5, color=GRIS)
    ss, ss_masques = b.sorties_rangees()  # the page's order: masked lines last (their rank would bound them)
    doc.tableau(
        privacy.mask_table(
            ss,
            SORTIES_COUNTS,
            across_columns=True,
            rates=columns.rate_columns(ss.columns),
            forced=ss_masques,
        ),
        [
            Col.of("structure", 2.3),
            Col.of("sorties", 0.8),
            Col.of("sorties_examinees", 1.2),
            Col.of("sorties_emploi_durable", 0.9),
            Col.of("sorties_emploi_transition", 0.9),
            Col.of("sorties_positives", 0.9),
            Col.of("autres_sorties", 0.8),
            Col.of("retraits", 0.8),
            Col.of("taux_sortie_dynamique", 1.1),
        ],
        size=7,
    )
    suivi = suivi_texte(b.suivi)
    if suivi:
        doc.h2(
            "À part : en emploi 6 mois après la sortie (suivi du collectif)", section=True, level=1, need=30
        )
        doc.para(suivi[0])
        doc.para(suivi[1], size=7.5, color=GRIS)

    doc.h2(f"4. Les marchés et partenariats de {a}", section=True)
    doc.tableau(
        privacy.mask_counts(b.marches, ["personnes"]),
        [
            Col.of("intitule", 2.9),
            Col.of("donneur_ordre", 1.4),
            Col.of("secteur", 1.3),
            Col.of("heures_insertion_prevues", 1.1),
            Col.of("heures_periode", 1.1, annee=a),
            Col.of("heures_cumul", 1.0),
            Col.of("personnes", 1.25),
            Col.of("chiffre_affaires", 1.1),
        ],
        size=7,
    )
    doc.para(
        "Heures prévues : sur toute la durée du marché. Les partenariats privés (Veolia) sont des heures "
        "d'insertion hors commande publique, présentées à part des clauses.",
        size=7.5,
        color=GRIS,
    )

    doc.h2("5. Le poids économique", section=True)
    doc.chiffres(
        [
            (f"Chiffre d'affaires {y}", fmt.euros(b.valeur("chiffre_affaires", y)), "montants HT déclarés")
            for y in b.annees
        ]
        + [(f"ETP {a}", fmt.etp(b.valeur("etp")), "équivalents temps plein")]
    )
    doc.tableau(
        b.chiffre_affaires,
        [
            Col.of("structure", 3),
            Col.of("type", 0.7),
            *[Col(str(y), f"CA {y}", columns.EUROS.cell, 1.3, "RIGHT") for y in b.annees],
        ],
        total_last=True,
    )

    doc.h2("6. L'impact social : personnes et publics", section=True)
    doc.chiffres(
        [
            ("Personnes employées", people(b.valeur("personnes_employees")), str(a)),
            (
                "Salariés en parcours (IAE)",
                people(privacy.beside(b.chiffres(), "salaries_en_parcours", True)),
                str(a),
            ),
            ("Sorties (IAE)", people(privacy.beside(b.chiffres(), "sorties", True)), str(a)),
            (
                "Taux de sortie dynamique",
                privacy.rate_text(
                    b.valeur("taux_sortie_dynamique"), *b.rapport("taux_sortie_dynamique"), True
                ),
                ratio(*b.rapport("taux_sortie_dynamique")),
            ),
        ]
    )
    doc.tableau(
        b.publics_masques(),
        [
            Col("public", "Public", width=3.5),
            *[Col(str(y), str(y), columns.COUNT.cell, 0.9, "RIGHT") for y in b.annees],
            Col("part", f"Part en {a}", columns.RATE.cell, 1, "RIGHT"),
        ],
    )
    doc.para(
        "Âge = année − année de naissance ; « 50 ans et plus » : 50 ans ou plus dans l'année. Profil : celui "
        "du parcours le plus récent de la personne. Les publics se recoupent (une personne peut compter dans "
        "plusieurs lignes).",
        size=7.5,
        color=GRIS,
    )

    doc.add_page()
    doc.h2("Annexe — Méthode et définitions", section=True)
    for d in DEFINITIONS.values():
        doc.para(d.label, size=9, bold=True)
        doc.para(d.text, size=8.5)
    doc.para(SOURCES, size=8.5)
    doc.para(provenance + ".", size=8.5)
    return bytes(doc.output())
