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

from impact import contract, privacy
from impact.definitions import DEFINITIONS
from impact.documents import COLLECTIF
from impact.documents.pdf import MASQUAGE, RATE_COUNTS, valeur_masquee
from impact.export import neutralise
from impact.indicators.accompagnement import FENETRE_SUIVI_MOIS
from impact.indicators.bilan import Bilan
from impact.indicators.core import MIN_SORTIES_TAUX, SORTIES_COUNTS

# Format codes are stored in Excel's invariant syntax; a French Excel displays "#,##0" as "1 234".
ENTIER = "#,##0"
HEURES = '#,##0" h"'
DECIMAL1 = "#,##0.0"
EUROS = '#,##0" €"'
POURCENT = "0.0 %"
# A change of rate, in points (the value is stored as points: -3.5 for 58,6 % against 62,1 %).
POINTS = '+0.0" pt";-0.0" pt";0.0" pt"'
TEXTE = "@"
DATE = "dd/mm/yyyy"
NATURE_FORMAT = {
    "heures": HEURES,
    "etp": DECIMAL1,
    "personnes": ENTIER,
    "nombre": ENTIER,
    "euros": EUROS,
    "taux": POURCENT,
}
HEADER_FILL = PatternFill("solid", fgColor="EAF1F8")
# Stored values are rounded as their format shows them (as the screen does), so that the formula bar
# never shows float noise such as 14644,329999999996.
FORMAT_DECIMALS = {ENTIER: 0, HEURES: 0, EUROS: 0, DECIMAL1: 1, POURCENT: 3, POINTS: 1}


@dataclass(frozen=True)
class Colonne:
    key: str
    header: str
    number_format: str
    description: str
    width: float = 14


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
        hidden = {y: valeur_masquee(rec, y) for y in ans}
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
                Colonne("structure", "Structure", TEXTE, "Nom de la structure.", 36),
                Colonne(
                    "type", "Type", TEXTE, "Type de structure (ACI, AI, EI, ETTI, EITI, EA, ESAT, GEIQ…).", 8
                ),
                Colonne(
                    "heures_travaillees",
                    "Heures travaillées",
                    HEURES,
                    f"Heures travaillées déclarées en {a}.",
                ),
                Colonne(
                    "heures_facturees", "Heures facturées", HEURES, "Heures facturées (AI, ETTI), à part."
                ),
                Colonne("heures_formation", "Heures de formation", HEURES, "Heures de formation, à part."),
                Colonne(
                    "personnes_employees",
                    "Personnes employées",
                    ENTIER,
                    "Personnes avec au moins 1 heure en " + str(a),
                ),
                Colonne("etp", "ETP", DECIMAL1, "Heures ÷ base annuelle ETP du type de structure."),
            ],
            None,
        ),
        (
            "Sorties par structure",
            privacy.mask_table(b.sorties_structures, sorties_counts, across_columns=True, rates=RATE_COUNTS),
            [
                Colonne("structure", "Structure", TEXTE, "Structure IAE.", 36),
                Colonne("type", "Type", TEXTE, "Type de structure.", 8),
                Colonne("sorties", "Sorties", ENTIER, f"Parcours dont la date de sortie tombe en {a}."),
                Colonne(
                    "sorties_examinees",
                    "Sorties examinées",
                    ENTIER,
                    "Hors retraits, durée minimale atteinte.",
                ),
                Colonne(
                    "sorties_emploi_durable", "Emploi durable", ENTIER, "Sorties examinées en emploi durable."
                ),
                Colonne(
                    "sorties_emploi_transition",
                    "Emploi de transition",
                    ENTIER,
                    "Sorties examinées en transition.",
                ),
                Colonne(
                    "sorties_positives", "Sorties positives", ENTIER, "Formation qualifiante, embauche SIAE."
                ),
                Colonne(
                    "autres_sorties", "Autres sorties", ENTIER, "Chômage, inactivité, sans nouvelles, autre."
                ),
                Colonne("retraits", "Retraits", ENTIER, "Sorties neutralisées (décès, maladie, retraite…)."),
                Colonne(
                    "taux_sortie_dynamique",
                    "Taux de sortie dynamique",
                    POURCENT,
                    f"(Durable + transition + positives) ÷ examinées ; vide sous {MIN_SORTIES_TAUX} sorties examinées.",
                ),
            ],
            None,
        ),
        (
            "Marchés",
            privacy.mask_counts(
                b.marches.assign(
                    secteur=b.marches["secteur"].map(lambda v: contract.SECTEURS.get(v, v)),
                    dispositif=b.marches["dispositif"].map(lambda v: contract.DISPOSITIFS.get(v, v)),
                ),
                ["personnes"],
            ),
            [
                Colonne(
                    "intitule", "Marché ou partenariat", TEXTE, "Intitulé du marché ou du partenariat.", 50
                ),
                Colonne("donneur_ordre", "Donneur d'ordre", TEXTE, "Acheteur public ou entreprise.", 22),
                Colonne("secteur", "Secteur", TEXTE, "Public (commande publique) ou Privé (partenariat).", 9),
                Colonne(
                    "dispositif", "Dispositif", TEXTE, "Clause, marché réservé, critère, hors commande.", 34
                ),
                Colonne("date_debut", "Début", DATE, "Date de début du marché.", 11),
                Colonne("date_fin", "Fin", DATE, "Date de fin du marché (vide : sans terme).", 11),
                Colonne(
                    "heures_insertion_prevues",
                    "Heures prévues",
                    HEURES,
                    "Heures d'insertion prévues, toute durée.",
                ),
                Colonne("heures_periode", f"Heures {a}", HEURES, f"Heures travaillées sur le marché en {a}."),
                Colonne("heures_cumul", "Heures depuis le début", HEURES, f"Heures du début à fin {a}."),
                Colonne(
                    "personnes", "Salariés", ENTIER, f"Personnes avec au moins 1 heure sur le marché en {a}."
                ),
                Colonne(
                    "chiffre_affaires",
                    f"CA {a}",
                    EUROS,
                    f"Chiffre d'affaires HT déclaré sur le marché en {a}.",
                ),
            ],
            None,
        ),
        (
            "Chiffre d'affaires",
            b.chiffre_affaires,
            [
                Colonne("structure", "Structure", TEXTE, "Structure (dernière ligne : total).", 36),
                Colonne("type", "Type", TEXTE, "Type de structure.", 8),
                *[Colonne(y, f"CA {y}", EUROS, f"Chiffre d'affaires HT déclaré pour {y}.", 16) for y in ans],
            ],
            None,
        ),
        (
            "Publics",
            privacy.mask_total_and_subsets(b.publics, ans, {"part": str(a)}),
            [
                Colonne("public", "Public", TEXTE, "Public (les publics se recoupent).", 50),
                *[Colonne(y, y, ENTIER, f"Personnes employées en {y} appartenant à ce public.") for y in ans],
                Colonne("part", f"Part en {a}", POURCENT, f"Part des personnes employées en {a}."),
            ],
            None,
        ),
        (
            "Sorties par année",
            privacy.mask_counts(b.sorties_annees, sorties_counts, across_columns=True),
            [
                Colonne("annee", "Année", "0", "Année de sortie.", 8),
                Colonne("sorties", "Sorties", ENTIER, "Sorties de l'IAE dans l'année."),
                Colonne(
                    "sorties_examinees",
                    "Sorties examinées",
                    ENTIER,
                    "Hors retraits, durée minimale atteinte.",
                ),
                Colonne(
                    "sorties_emploi_durable", "Emploi durable", ENTIER, "Sorties examinées en emploi durable."
                ),
                Colonne(
                    "sorties_emploi_transition", "Emploi de transition", ENTIER, "En emploi de transition."
                ),
                Colonne("sorties_positives", "Sorties positives", ENTIER, "Sorties positives."),
                Colonne("autres_sorties", "Autres sorties", ENTIER, "Autres sorties examinées."),
                Colonne("retraits", "Retraits", ENTIER, "Sorties neutralisées."),
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
        "sorties": privacy.mask_value(s.sorties),
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
                Colonne("annee", "Année de sortie", "0", "Année de la sortie.", 10),
                Colonne(
                    "sorties",
                    "Sorties",
                    ENTIER,
                    "Sorties de l'année (structures employeuses, hors retraits).",
                ),
                Colonne(
                    "personnes_suivies",
                    "Personnes suivies",
                    ENTIER,
                    f"Personnes sorties avec un suivi du collectif de {low} à {high} mois après la sortie.",
                ),
                Colonne(
                    "en_emploi",
                    "En emploi à 6 mois",
                    ENTIER,
                    "En emploi durable ou de transition au suivi le plus proche de 6 mois. Suivi du collectif, "
                    "distinct des sorties déclarées à l'ASP : il n'entre dans aucun des deux taux officiels.",
                ),
                Colonne(
                    "employeur_partenaire",
                    "dont embauchées par un partenaire",
                    ENTIER,
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
        "Chaque feuille est un tableau ; la feuille « Colonnes » décrit chaque colonne.",
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
