"""The annual report as an XLSX workbook (openpyxl): one sheet per table, numbers stored as numbers with a
number format (French Excel and LibreOffice show "1 234", "62,5 %", "4 500 €"), and a sheet describing
every column. Small counts of people are masked ("< 5" text cells), as in the PDF report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from impact import columns, privacy
from impact.definitions import DEFINITIONS
from impact.documents import COLLECTIF
from impact.export import neutralise
from impact.indicators.accompagnement import FENETRE_SUIVI_MOIS
from impact.indicators.bilan import Bilan
from impact.indicators.core import MIN_SORTIES_TAUX, SORTIES_COUNTS
from impact.texts import MASQUAGE

# Format codes are stored in Excel's invariant syntax (impact.columns); a French Excel displays "#,##0" as "1 234".
ENTIER = columns.COUNT.number_format
HEURES = columns.HOURS.number_format
DECIMAL1 = columns.ETP.number_format
EUROS = columns.EUROS.number_format
POURCENT = columns.RATE.number_format
POINTS = columns.POINTS.number_format
TEXTE = columns.TEXT.number_format
DATE = columns.DATE.number_format
NATURE_FORMAT = {nature: kind.number_format for nature, kind in columns.NATURES.items()}
HEADER_FILL = PatternFill("solid", fgColor="EAF1F8")
# Stored values are rounded as their format shows them (as the screen does), so that the formula bar
# never shows float noise such as 14644,329999999996.
FORMAT_DECIMALS = {k.number_format: k.decimals for k in columns.KINDS.values() if k.decimals is not None}


@dataclass(frozen=True)
class Colonne:
    key: str
    header: str
    number_format: str
    description: str
    width: float = 14

    @classmethod
    def of(cls, key: str, description: str, width: float = 14, **fields) -> Colonne:
        """A column of the vocabulary (impact.columns): its label and Excel number format."""
        c = columns.get(key)
        return cls(key, c.title(**fields), c.number_format, description, width)


def _sheet(wb: Workbook, title: str, df: pd.DataFrame, cols: list[Colonne], formats_by_row=None):
    ws = wb.create_sheet(title)
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=c.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = c.width
    for i, rec in enumerate(df.to_dict("records"), start=2):
        for j, c in enumerate(cols, start=1):
            v = rec.get(c.key)
            if c.key in columns.VOCABULARY:
                v = columns.VOCABULARY[c.key].value(v)  # a code's label, rounded as the screen
            if v is not None and not isinstance(v, str) and pd.isna(v):
                v = None
            elif hasattr(v, "item") and not isinstance(v, str):
                v = v.item()  # numpy scalar -> Python number
            if isinstance(v, pd.Timestamp):
                v = v.date()
            if isinstance(v, str):
                v = neutralise(v)
            number_format = formats_by_row(rec, c) if formats_by_row else c.number_format
            if isinstance(v, float) and number_format in FORMAT_DECIMALS:
                v = round(v, FORMAT_DECIMALS[number_format]) + 0.0  # + 0.0: never -0.0
            cell = ws.cell(row=i, column=j, value=v)
            if isinstance(v, str):
                masked = v in (privacy.MASQUE, privacy.MASQUE_SECONDAIRE, privacy.TAUX_MASQUE)
                cell.alignment = Alignment(horizontal="right" if masked else "left")
            else:
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(df) + 1}"
    ws.row_dimensions[1].height = 32
    return ws


def _sheets(b: Bilan) -> list[tuple[str, pd.DataFrame, list[Colonne], object]]:
    a = b.annee
    ans = [str(y) for y in b.annees]
    comp = b.comparaison.copy()
    for c in [*ans, "ecart", "variation", "n_N"]:
        comp[c] = comp[c].astype(object)
    for i, rec in comp.iterrows():
        hidden = {y: columns.valeur_masquee(rec, y) for y in ans}
        for y in ans:
            if hidden[y]:
                comp.at[i, y] = privacy.MASQUE if rec["nature"] == "personnes" else privacy.TAUX_MASQUE
        if hidden[str(a)] or hidden[str(a - 1)]:
            comp.at[i, "ecart"] = comp.at[i, "variation"] = privacy.TAUX_MASQUE
        if rec["nature"] == "taux" and privacy.reveals(rec["n"], rec["N"]):
            comp.at[i, "n_N"] = privacy.TAUX_MASQUE
    # a change of rate is stored in points (the cell's format says "pt")
    rate_rows = comp["nature"] == "taux"
    comp.loc[rate_rows, "ecart"] = comp.loc[rate_rows, "ecart"].map(
        lambda e: e if isinstance(e, str) or pd.isna(e) else e * 100
    )

    def comp_format(rec, c):
        if c.key == "ecart" and rec["nature"] == "taux":
            return POINTS
        if c.key in ans or c.key == "ecart":
            return NATURE_FORMAT[rec["nature"]]
        return c.number_format

    sorties_counts = list(SORTIES_COUNTS)
    ss, ss_masques = b.sorties_rangees()  # the page's order: masked lines last (their rank would bound them)
    return [
        (
            "Chiffres clés",
            comp,
            [
                Colonne(
                    "libelle", "Indicateur", TEXTE, "Nom de l'indicateur (définitions : feuille Méthode).", 38
                ),
                *[Colonne(y, y, ENTIER, f"Valeur de l'indicateur pour l'année {y}.") for y in ans],
                Colonne(
                    "ecart",
                    f"Écart {a}/{a - 1}",
                    ENTIER,
                    f"Valeur {a} moins valeur {a - 1} (pour un taux : en points de pourcentage).",
                ),
                Colonne(
                    "variation",
                    f"Variation {a}/{a - 1}",
                    POURCENT,
                    "Évolution relative (écart ÷ valeur de l'année précédente) ; vide pour un taux.",
                ),
                Colonne("n_N", "n/N", TEXTE, "Pour un taux : numérateur / sorties examinées de l'année."),
            ],
            comp_format,
        ),
        (
            "Heures par structure",
            privacy.mask_counts(b.heures_structures, ["personnes_employees"]),
            [
                Colonne.of("structure", "Nom de la structure.", 36),
                Colonne.of("type", "Type de structure (ACI, AI, EI, ETTI, EITI, EA, ESAT, GEIQ…).", 8),
                Colonne.of(
                    "heures_travaillees",
                    f"Heures travaillées déclarées en {a}.",
                ),
                Colonne.of("heures_facturees", "Heures facturées (AI, ETTI), à part."),
                Colonne.of("heures_formation", "Heures de formation, à part."),
                Colonne.of(
                    "personnes_employees",
                    "Personnes avec au moins 1 heure en " + str(a),
                ),
                Colonne.of("etp", "Heures ÷ base annuelle ETP du type de structure."),
            ],
            None,
        ),
        (
            "Sorties par structure",
            privacy.mask_table(
                ss,
                sorties_counts,
                across_columns=True,
                rates=columns.rate_columns(ss.columns),
                forced=ss_masques,
            ),
            [
                Colonne.of("structure", "Structure IAE.", 36),
                Colonne.of("type", "Type de structure.", 8),
                Colonne.of("sorties", f"Parcours dont la date de sortie tombe en {a}."),
                Colonne.of(
                    "sorties_examinees",
                    "Hors retraits, durée minimale atteinte.",
                ),
                Colonne.of("sorties_emploi_durable", "Sorties examinées en emploi durable."),
                Colonne.of(
                    "sorties_emploi_transition",
                    "Sorties examinées en transition.",
                ),
                Colonne.of("sorties_positives", "Formation qualifiante, embauche SIAE."),
                Colonne.of("autres_sorties", "Chômage, inactivité, sans nouvelles, autre."),
                Colonne.of("retraits", "Sorties neutralisées (décès, maladie, retraite…)."),
                Colonne.of(
                    "taux_sortie_dynamique",
                    f"(Durable + transition + positives) ÷ examinées ; vide sous {MIN_SORTIES_TAUX} sorties examinées.",
                ),
            ],
            None,
        ),
        (
            "Marchés",
            privacy.mask_counts(
                b.marches,
                ["personnes"],
            ),
            [
                Colonne.of("intitule", "Intitulé du marché ou du partenariat.", 50),
                Colonne.of("donneur_ordre", "Acheteur public ou entreprise.", 22),
                Colonne.of("secteur", "Marchés publics (commande publique) ou Partenariats privés.", 18),
                Colonne.of("dispositif", "Clause, marché réservé, critère, hors commande.", 34),
                Colonne.of("date_debut", "Date de début du marché.", 11),
                Colonne.of("date_fin", "Date de fin du marché (vide : sans terme).", 11),
                Colonne.of(
                    "heures_insertion_prevues",
                    "Heures d'insertion prévues, toute durée.",
                ),
                Colonne.of(
                    "heures_periode", annee=a, description=f"Heures travaillées sur le marché en {a}."
                ),
                Colonne.of("heures_cumul", f"Heures du début à fin {a}."),
                Colonne.of("personnes", f"Personnes avec au moins 1 heure sur le marché en {a}."),
                Colonne.of(
                    "chiffre_affaires",
                    f"Chiffre d'affaires HT déclaré sur le marché en {a}.",
                ),
            ],
            None,
        ),
        (
            "Chiffre d'affaires",
            b.chiffre_affaires,
            [
                Colonne.of("structure", "Structure (dernière ligne : total).", 36),
                Colonne.of("type", "Type de structure.", 8),
                *[Colonne(y, f"CA {y}", EUROS, f"Chiffre d'affaires HT déclaré pour {y}.", 16) for y in ans],
            ],
            None,
        ),
        (
            "Publics",
            b.publics_masques(),
            [
                Colonne("public", "Public", TEXTE, "Public (les publics se recoupent).", 50),
                *[Colonne(y, y, ENTIER, f"Personnes employées en {y} appartenant à ce public.") for y in ans],
                Colonne("part", f"Part en {a}", POURCENT, f"Part des personnes employées en {a}."),
            ],
            None,
        ),
        (
            "Sorties par année",
            privacy.mask_counts(
                b.sorties_annees, sorties_counts, across_columns=True, forced=b.annees_masques
            ),
            [
                Colonne.of("annee", "Année de sortie.", 8),
                Colonne.of("sorties", "Sorties de l'IAE dans l'année."),
                Colonne.of(
                    "sorties_examinees",
                    "Hors retraits, durée minimale atteinte.",
                ),
                Colonne.of("sorties_emploi_durable", "Sorties examinées en emploi durable."),
                Colonne.of("sorties_emploi_transition", "En emploi de transition."),
                Colonne.of("sorties_positives", "Sorties positives."),
                Colonne.of("autres_sorties", "Autres sorties examinées."),
                Colonne.of("retraits", "Sorties neutralisées."),
            ],
            None,
        ),
        *_suivi_sheet(b),
    ]


def _suivi_sheet(b: Bilan) -> list[tuple[str, pd.DataFrame, list[Colonne], object]]:
    """The 6-month follow-up of the year's exits (the collective's own, apart from the ASP rates), masked;
    no sheet when nobody was followed."""
    s = b.suivi
    if s is None or s.personnes_suivies == 0:
        return []
    n, big_n = s.en_emploi, s.personnes_suivies
    row = {
        "annee": b.annee,
        "personnes_suivies": privacy.mask_value(big_n),
        "en_emploi": privacy.part_value(n, big_n, True),
        "employeur_partenaire": privacy.part_value(s.employeur_partenaire, n, True),
        "taux": privacy.TAUX_MASQUE
        if s.taux.value is not None and privacy.reveals(n, big_n)
        else s.taux.value,
    }
    low, high = FENETRE_SUIVI_MOIS
    return [
        (
            "Suivi à 6 mois",
            pd.DataFrame([row]),
            [
                Colonne.of("annee", "Année de la sortie.", 10),
                Colonne.of(
                    "personnes_suivies",
                    f"Personnes sorties avec un suivi du collectif de {low} à {high} mois après la sortie.",
                ),
                Colonne.of(
                    "en_emploi",
                    "En emploi durable ou de transition au suivi le plus proche de 6 mois. Suivi du collectif, "
                    "distinct des sorties déclarées à l'ASP : il n'entre dans aucun des deux taux officiels.",
                ),
                Colonne.of(
                    "employeur_partenaire",
                    "Parmi les personnes en emploi, celles embauchées par un partenaire du collectif.",
                ),
                Colonne(
                    "taux",
                    "Part en emploi",
                    POURCENT,
                    f"En emploi ÷ personnes suivies ; vide sous {MIN_SORTIES_TAUX} personnes suivies.",
                ),
            ],
            None,
        )
    ]


def bilan_xlsx(b: Bilan, *, provenance: str) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = "À propos"
    lines = [
        f"{COLLECTIF} — bilan annuel {b.annee}",
        f"L'année {b.annee} comparée à {b.annee - 2} et {b.annee - 1}.",
        provenance,
        MASQUAGE,
        "Chaque feuille est un tableau ; la feuille « Colonnes » décrit chaque colonne.",
    ]
    if b.annee_incomplete:
        lines.insert(3, f"Année {b.annee} incomplète : données jusqu'au {b.donnees_au:%d/%m/%Y}.")
    for i, text in enumerate(lines, start=1):
        about.cell(row=i, column=1, value=text).font = Font(bold=i == 1, size=14 if i == 1 else 11)
    about.column_dimensions["A"].width = 110
    descriptions = []
    for title, df, cols, formats in _sheets(b):
        _sheet(wb, title, df, cols, formats)
        descriptions += [
            {"feuille": title, "colonne": c.header, "description": c.description, "format": c.number_format}
            for c in cols
        ]
    methode = pd.DataFrame([{"terme": d.label, "definition": d.text} for d in DEFINITIONS.values()])
    ws = _sheet(
        wb,
        "Méthode",
        methode,
        [Colonne("terme", "Terme", TEXTE, "", 30), Colonne("definition", "Définition", TEXTE, "", 120)],
    )
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    _sheet(
        wb,
        "Colonnes",
        pd.DataFrame(descriptions),
        [
            Colonne("feuille", "Feuille", TEXTE, "", 22),
            Colonne("colonne", "Colonne", TEXTE, "", 28),
            Colonne("description", "Description", TEXTE, "", 80),
            Colonne("format", "Format Excel", TEXTE, "", 16),
        ],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
