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

from impact import DATA_DIR, fmt, geo, privacy, texts
from impact.definitions import DEFINITIONS
from impact.documents import COLLECTIF, SOURCES, figures
from impact.indicators.accompagnement import FENETRE_SUIVI_MOIS, Suivi6Mois
from impact.indicators.bilan import Bilan
from impact.indicators.commune import LECTURE, Fiche
from impact.indicators.core import MIN_SORTIES_TAUX, SORTIES_COUNTS

FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
GRIS = (90, 90, 90)
BLEU = (0, 76, 125)
FOND = (234, 241, 248)
SECTEURS = {"public": "Public", "prive": "Privé"}
DISPOSITIFS = {
    "clause_execution": "Clause sociale d'exécution",
    "marche_reserve_siae": "Marché réservé SIAE",
    "marche_reserve_ea_esat": "Marché réservé EA/ESAT",
    "critere_attribution": "Critère social d'attribution",
    "hors_commande_publique": "Hors commande publique",
}
MASQUAGE = f"{privacy.REGLE} Aucun taux n'est donné sur moins de {MIN_SORTIES_TAUX} sorties examinées."
SANS_TAUX = f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées."


def people(n) -> str:
    """A count of people as printed in a document (always masked: documents leave the team)."""
    return privacy.count_text(n, True)


def ratio(n, big_n) -> str:
    """ "n / N" of a rate in a document, or only N ("sur < 5 sorties examinées") when n / N would give a
    small count back (as the dashboard's rate tiles)."""
    return privacy.ratio_text(n, big_n, True) or f"sur {people(big_n)} sorties examinées"


def _cell(f: Callable) -> Callable:
    """A formatter that leaves masked cells ("< 5") and missing values readable."""

    def apply(v):
        if isinstance(v, str):
            return v
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            return fmt.DASH
        return f(v)

    return apply


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return fmt.DASH
    if hasattr(v, "strftime"):
        return fmt.day(v)
    return str(v)


def _taux(v) -> str:
    if isinstance(v, str):  # already masked (privacy.mask_rates)
        return v
    return "non calculé" if v is None or pd.isna(v) else fmt.percent(v)


def suivi_texte(s: Suivi6Mois | None, sorties: str) -> tuple[str, str] | None:
    """The 6-month follow-up as a document prints it, always masked: (figure sentence, how to read it), or
    None when nobody was followed. Apart from the two official ASP rates, never added to them."""
    if s is None or s.personnes_suivies == 0:
        return None
    n, big_n = s.en_emploi, s.personnes_suivies
    taux = privacy.rate_text(
        s.taux.value, n, big_n, True, missing=f"pas de pourcentage sous {MIN_SORTIES_TAUX} personnes suivies"
    )
    partenaire = privacy.part_text(s.employeur_partenaire, n, True)
    low, high = FENETRE_SUIVI_MOIS
    figure = (
        f"En emploi 6 mois après la sortie : {privacy.part_text(n, big_n, True)} / {people(big_n)} personnes "
        f"suivies ({taux}), dont {partenaire} embauchées par un partenaire du collectif ; {people(s.sorties)} {sorties}."
    )
    lecture = (
        "Suivi mené par le collectif lui-même (appels, attestations d'employeurs), distinct des sorties déclarées à "
        "l'ASP : il n'entre dans aucun des deux taux officiels. Pour chaque sortie, le contact retenu est le plus "
        f"proche de 6 mois après la sortie, pris entre {low} et {high} mois ; en emploi : emploi durable ou de "
        "transition."
    )
    return figure, lecture


RATE_COUNTS = {"taux_sortie_dynamique": ("sorties_dynamiques", "sorties_examinees")}


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    fmt: Callable = _text
    width: float = 1.0
    align: str = "LEFT"


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
                self.multi_cell(w - 4, 3.2, label, new_x="LEFT", new_y="NEXT", max_line_height=3.2)
                self.set_xy(x + 2, y + 7.3)
                self.set_font(FONT, "B", 13)
                self.set_text_color(0)
                self.cell(w - 4, 6, value)
                if note:
                    self.set_xy(x + 2, y + 12.6)
                    self.set_font(FONT, size=6.5)
                    self.set_text_color(*GRIS)
                    self.cell(w - 4, 3, note)
            self.set_text_color(0)
            self.set_font(FONT, size=9.5)
            self.set_xy(self.l_margin, y + h + gap)

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
    doc.encadre(
        texts.fiche_commune(
            fiche.nom,
            fiche.annee,
            k,
            r,
            fiche.structures_actives,
            len(fiche.interventions),
            int((fiche.marches["heures_commune"] > 0).sum()),
            masked=True,
        )
    )
    doc.para(LECTURE, size=7.5, color=GRIS)

    doc.h2("Les habitants employés par les structures du collectif")
    doc.chiffres(
        [
            ("Habitants employés", people(k["personnes_employees"]), "au moins 1 heure dans l'année"),
            ("dont salariés en parcours (IAE)", people(k["salaries_en_parcours"]), "ACI, AI, EI, ETTI, EITI"),
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
            ("Sorties de l'année", people(k["sorties"]), "structures IAE"),
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
    # Categories as one line: its cells add up to the exits shown above, hence the line protection.
    par_categorie = privacy.mask_counts(
        pd.DataFrame([dict(zip(fiche.sorties["libelle"], fiche.sorties["sorties"], strict=True))]),
        list(fiche.sorties["libelle"]),
        across_columns=True,
    )
    doc.tableau(
        par_categorie,
        [Col(lab, lab, _cell(fmt.integer), 1, "CENTER") for lab in fiche.sorties["libelle"]],
        size=7,
    )
    if k["taux_sortie_dynamique"] is None:
        doc.para(SANS_TAUX, size=7.5, color=GRIS)
    suivi = suivi_texte(fiche.suivi, f"habitants sortis en {fiche.annee}")
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
        privacy.mask_rates(fiche.tendance, RATE_COUNTS),
        ["personnes_employees", "salaries_en_parcours", "sorties", "sorties_examinees", "sorties_dynamiques"],
    )
    doc.tableau(
        tendance,
        [
            Col("annee", "Année", str, 0.7),
            Col("heures_travaillees", "Heures dans la commune", _cell(fmt.hours), 1.3, "RIGHT"),
            Col("etp", "ETP", _cell(fmt.etp), 1, "RIGHT"),
            Col("personnes_employees", "Habitants employés", _cell(fmt.integer), 1.1, "RIGHT"),
            Col("salaries_en_parcours", "dont IAE", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("sorties", "Sorties", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("taux_sortie_dynamique", "Taux de sortie dynamique", _taux, 1.2, "RIGHT"),
        ],
    )

    doc.h2("Les marchés et partenariats dans la commune")
    doc.tableau(
        fiche.marches.head(max_marches),
        [
            Col("intitule", "Marché ou partenariat", width=4),
            Col("donneur_ordre", "Donneur d'ordre", width=1.6),
            Col("dispositif", "Dispositif", lambda v: DISPOSITIFS.get(v, _text(v)), 1.5),
            Col("heures_commune", "Heures dans la commune", _cell(fmt.hours), 1.2, "RIGHT"),
        ],
    )
    _plus(doc, fiche.marches.iloc[max_marches:], "autre marché", "autres marchés", "heures_commune")

    doc.h2("Les structures actives dans la commune", need=30)
    actives = fiche.structures[fiche.structures["heures_commune"] > 0]
    doc.tableau(
        privacy.mask_counts(actives, ["habitants_employes"]).head(max_structures),
        [
            Col("nom", "Structure", width=3),
            Col("type", "Type", width=0.7),
            Col("heures_commune", "Heures dans la commune", _cell(fmt.hours), 1.3, "RIGHT"),
            Col("habitants_employes", "Habitants employés", _cell(fmt.integer), 1.2, "RIGHT"),
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
            Col("activite", "Activité", width=2.6),
            Col("commune_deleguee", "Commune déléguée", width=1.5),
            Col("structure", "Structure", width=2),
            Col("heures_travaillees", "Heures", _cell(fmt.hours), 1, "RIGHT"),
            Col("personnes", "Salariés", _cell(fmt.integer), 0.8, "RIGHT"),
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

NATURE_FMT = {
    "heures": fmt.hours,
    "etp": fmt.etp,
    "personnes": fmt.integer,
    "nombre": fmt.integer,
    "euros": fmt.euros,
    "taux": fmt.percent,
}


def rapports_phrase(b: Bilan, *, masked: bool = True) -> str:
    """ "Taux de 2025 : sortie dynamique 40 / 70 sorties examinées, emploi durable 20 / 70." (n/N where the
    privacy rule allows it)."""
    parts = []
    for key, label in (
        ("taux_sortie_dynamique", "sortie dynamique"),
        ("taux_sortie_emploi_durable", "emploi durable"),
    ):
        n, big_n = b.rapport(key)
        parts.append(f"{label} {privacy.ratio_text(n, big_n, masked) or privacy.TAUX_MASQUE}")
    return f"Taux de {b.annee} (n / sorties examinées) : " + ", ".join(parts) + "."


def valeur_masquee(rec: dict, y, masked: bool = True) -> bool:
    """Whether a masked view hides the value of a comparison row for year y."""
    if not masked:
        return False
    if rec["nature"] == "personnes":
        return privacy.is_small(rec[str(y)])
    if rec["nature"] == "taux":
        v = rec[str(y)]
        return v is not None and not pd.isna(v) and privacy.reveals(rec.get(f"n_{y}"), rec.get(f"N_{y}"))
    return False


def comparaison_affichee(b: Bilan, *, masked: bool = True) -> pd.DataFrame:
    """The comparison table as printed: values formatted by their nature; in a masked view people counts
    below 5, rates that would give one back, and the variations computed from them are masked."""
    rows = []
    a = b.annee
    for rec in b.comparaison.to_dict("records"):
        f = NATURE_FMT[rec["nature"]]
        row = {"libelle": rec["libelle"]}
        for y in b.annees:
            v = rec[str(y)]
            if rec["nature"] == "personnes":
                row[str(y)] = privacy.count_text(v, masked)
            elif rec["nature"] == "taux":
                row[str(y)] = privacy.rate_text(v, rec.get(f"n_{y}"), rec.get(f"N_{y}"), masked)
            else:
                row[str(y)] = _cell(f)(v)
        if valeur_masquee(rec, a, masked) or valeur_masquee(rec, a - 1, masked):
            row["variation"] = privacy.TAUX_MASQUE
        elif rec["nature"] == "taux":
            ecart = rec["ecart"]
            row["variation"] = (
                fmt.DASH
                if ecart is None or pd.isna(ecart)
                else f"{fmt.number(ecart * 100, 1)}\u00a0pt".replace("-", "−")
            )
            if not str(ecart).startswith("-") and ecart and not pd.isna(ecart):
                row["variation"] = "+" + row["variation"]
        else:
            row["variation"] = fmt.signed_percent(rec["variation"])
        rows.append(row)
    return pd.DataFrame(rows)


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
        comparaison_affichee(b),
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
            Col("structure", "Structure", width=3),
            Col("type", "Type", width=0.7),
            Col("heures_travaillees", "Heures travaillées", _cell(fmt.hours), 1.3, "RIGHT"),
            Col("heures_facturees", "Heures facturées", _cell(fmt.hours), 1.3, "RIGHT"),
            Col("heures_formation", "Heures de formation", _cell(fmt.hours), 1.3, "RIGHT"),
            Col("personnes_employees", "Personnes", _cell(fmt.integer), 1, "RIGHT"),
            Col("etp", "ETP", _cell(fmt.etp), 1, "RIGHT"),
        ],
    )

    doc.h2("3. Les sorties de parcours (IAE)", section=True)
    series = {
        "sorties_emploi_durable": "Emploi durable",
        "sorties_emploi_transition": "Emploi de transition",
        "sorties_positives": "Sortie positive",
        "autres_sorties": "Autre sortie",
    }
    sa = privacy.chart_data(b.sorties_annees, list(series), across_columns=True)
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
    doc.tableau(
        privacy.mask_table(b.sorties_structures, SORTIES_COUNTS, across_columns=True, rates=RATE_COUNTS),
        [
            Col("structure", "Structure", width=2.6),
            Col("sorties", "Sorties", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("sorties_examinees", "Examinées", _cell(fmt.integer), 0.9, "RIGHT"),
            Col("sorties_emploi_durable", "Emploi durable", _cell(fmt.integer), 0.9, "RIGHT"),
            Col("sorties_emploi_transition", "Transition", _cell(fmt.integer), 0.9, "RIGHT"),
            Col("sorties_positives", "Positives", _cell(fmt.integer), 0.9, "RIGHT"),
            Col("autres_sorties", "Autres", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("retraits", "Retraits", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("taux_sortie_dynamique", "Taux dynamique", _taux, 1.1, "RIGHT"),
        ],
        size=7,
    )
    suivi = suivi_texte(b.suivi, f"sorties en {a}")
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
            Col("intitule", "Marché ou partenariat", width=3.4),
            Col("donneur_ordre", "Donneur d'ordre", width=1.5),
            Col("secteur", "Secteur", lambda v: SECTEURS.get(v, _text(v)), 0.8),
            Col("heures_insertion_prevues", "Heures prévues", _cell(fmt.hours), 1.1, "RIGHT"),
            Col("heures_periode", f"Heures {a}", _cell(fmt.hours), 1.1, "RIGHT"),
            Col("heures_cumul", "Heures depuis le début", _cell(fmt.hours), 1.1, "RIGHT"),
            Col("personnes", "Salariés", _cell(fmt.integer), 0.8, "RIGHT"),
            Col("chiffre_affaires", f"CA {a}", _cell(fmt.euros), 1.1, "RIGHT"),
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
            Col("structure", "Structure", width=3),
            Col("type", "Type", width=0.7),
            *[Col(str(y), f"CA {y}", _cell(fmt.euros), 1.3, "RIGHT") for y in b.annees],
        ],
        total_last=True,
    )

    doc.h2("6. L'impact social : personnes et publics", section=True)
    doc.chiffres(
        [
            ("Personnes employées", people(b.valeur("personnes_employees")), str(a)),
            ("Salariés en parcours (IAE)", people(b.valeur("salaries_en_parcours")), str(a)),
            ("Sorties (IAE)", people(b.valeur("sorties")), str(a)),
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
        privacy.mask_total_and_subsets(b.publics, [str(y) for y in b.annees], {"part": str(a)}),
        [
            Col("public", "Public", width=3.5),
            *[Col(str(y), str(y), _cell(fmt.integer), 0.9, "RIGHT") for y in b.annees],
            Col("part", f"Part en {a}", _cell(fmt.percent), 1, "RIGHT"),
        ],
    )
    doc.para(
        "Âge = année − année de naissance ; « 50 ans et plus » : 50 ans ou plus dans l'année. Profil : celui "
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
