"""Generated French sentences (summaries read aloud in meetings), built only from indicator values.

With masked=True every count of people goes through impact.privacy: "< 5" for a small count, in the plural
(the singular would say "1"), no rate and no "n sur N" that would give a small count back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from impact import charts, contract, filters, fmt, geo, privacy
from impact.filters import Filtres
from impact.indicators.accompagnement import FENETRE_SUIVI_MOIS, Suivi6Mois
from impact.indicators.core import MIN_SORTIES_TAUX
from impact.indicators.territoire import POSITION_COMMUNE, Indicateur

if TYPE_CHECKING:
    from impact.indicators.bilan import Bilan
    from impact.indicators.commune import Fiche

TROP_PEU = f"trop peu de sorties examinées (moins de {MIN_SORTIES_TAUX}) pour calculer un taux"
TAUX_NON_PUBLIE = (
    f"le taux n'est pas publié : avec ses effectifs, il redonnerait un nombre de moins de {privacy.SEUIL} "
    "personnes"
)

# The privacy rule as every document prints it.
MASQUAGE = f"{privacy.REGLE} Aucun taux n'est donné sur moins de {MIN_SORTIES_TAUX} sorties examinées."
SANS_TAUX = f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées."
# The same, under the key figures of a page, and under a chart whose tables write "—" for no rate.
SANS_TAUX_ECRAN = (
    f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées : trop peu pour être significatif."
)
SANS_TAUX_TABLEAUX = SANS_TAUX_ECRAN.removesuffix(".") + " (« — » dans les tableaux)."


def deux_comptes(k: dict, *, masked: bool) -> str:
    """Two counts of exits live on the Sorties page: which one the rates use (kpis)."""
    return (
        "Les taux comptent les sorties examinées ("
        + (
            f"{_people(k['sorties_examinees'], masked)} ; le nombre de toutes les sorties est masqué, leur écart "
            "étant un petit effectif"
            if _sorties(k, masked) == privacy.MASQUE_SECONDAIRE
            else f"{_people(k['sorties_examinees'], masked)} des {_people(_sorties(k, masked), masked)} sorties"
        )
        + ") : les retraits et les sorties avant la durée minimale de présence n'en font pas partie. "
        + (
            # Masked, the chart keeps one series (indicators.sorties.comptes_par_categorie): its difference
            # with the other would give back the small counts of the exits left out of the rates.
            "Le graphique par catégorie montre les sorties examinées, la base des taux. "
            if masked
            else "Le graphique par catégorie montre les deux comptes côte à côte. "
        )
        + SANS_TAUX_TABLEAUX
    )


def derniere_annee_incomplete(annees: list[int], donnees_au) -> str:
    """ " La dernière année est incomplète : données jusqu'au 30/09/2026." under a chart of every year of the
    data, or "" when the last year is complete."""
    if not annees or not filters.annee_incomplete(annees[-1], donnees_au):
        return ""
    return f" La dernière année est incomplète : données jusqu'au {fmt.day(donnees_au)}."


def chiffre_affaires_text(v, f: Filtres) -> str:
    """Revenue as a key figure: absent is "non renseigné" (never zero), and it is not located by commune."""
    if v is not None:
        return fmt.euros(v)
    return "non localisé" if f.is_commune else "non renseigné"


def _people(n: int, masked: bool) -> str:
    return privacy.count_text(n, masked)


def _many(n, masked: bool) -> bool:
    """Plural agreement: a masked count reads in the plural, since the singular would reveal "1"."""
    return isinstance(n, str) or n > 1 or (masked and privacy.is_small(n))


def _sorties(k: dict, masked: bool):
    return privacy.toutes_sorties(k["sorties"], k["sorties_examinees"], masked)


# All exits when privacy.toutes_sorties hides them: a sentence never starts with "masqué", and says why in words
# a presenter can read aloud (their difference with the examined exits is a small count).
NOMBRE_NON_DONNE = "(leur nombre n'est pas donné : il permettrait de retrouver un petit effectif)"
SORTIES_MASQUEES = f"Des sorties de l'IAE {NOMBRE_NON_DONNE}"


def dont_iae(k: dict, masked: bool, singular: str = "") -> str:
    """ "dont 19 en parcours d'insertion (IAE)" after all the people employed; "dont la plupart…" when
    privacy.beside hides the number (their difference is a small count: it is then always more than half)."""
    n = privacy.beside(k, "salaries_en_parcours", masked)
    if n == privacy.MASQUE_SECONDAIRE:
        return "dont la plupart en parcours d'insertion (IAE ; leur nombre exact est masqué)"
    shown = _count(n, masked, singular) if singular else _people(n, masked)
    return f"dont {shown} en parcours d'insertion (IAE)"


def _toutes_les_sorties(k: dict, masked: bool) -> str:
    """ "12 sorties de l'IAE", "< 5 sorties de l'IAE", or SORTIES_MASQUEES, to open a sentence."""
    s = _sorties(k, masked)
    if s == privacy.MASQUE_SECONDAIRE:
        return SORTIES_MASQUEES
    return f"{_count(s, masked, 'sortie')} de l'IAE"


def employees(k: dict, masked: bool, singular: str = "personne", lieu: str = "") -> str:
    """ "312 personnes", "< 5 personnes", or "des personnes (leur nombre n'est pas donné…)" when privacy.beside
    hides the people employed of the kpis k (one commune alone hid theirs: impact.view.with_partners). lieu:
    " de Sèvremoine" after the noun."""
    n = privacy.beside(k, "personnes_employees", masked)
    if n == privacy.MASQUE_SECONDAIRE:
        return f"des {singular}s{lieu} {NOMBRE_NON_DONNE}"
    return f"{_count(n, masked, singular)}{lieu}"


def _count(n, masked: bool, singular: str, plural: str | None = None) -> str:
    """ "3 sorties", "< 5 sorties" (masked), "1 sortie"."""
    return f"{_people(n, masked)} {(plural or singular + 's') if _many(n, masked) else singular}"


def resume(
    k: dict,
    structures_actives: int,
    f: Filtres,
    *,
    masked: bool = False,
    lieu: str | None = None,
    prev: dict | None = None,
) -> str:
    """ "En 2025, 14 structures ont employé 312 personnes…" from the kpis of the period. prev: the kpis of
    the previous period (None when there is none, or when either period is incomplete): the exit rate is then
    compared with it, as the tiles compare the volumes, whichever way it went."""
    quand = f"En {f.annee_debut}" if f.nb_annees == 1 else f"De {f.annee_debut} à {f.annee_fin}"
    if k["heures_travaillees"] == 0 and k["personnes_employees"] == 0:
        return f"{quand}, aucune heure travaillée n'est enregistrée pour cette sélection."
    # ETP over several years: the yearly average (definitions, "etp")
    etp = f"{fmt.etp(k['etp'])}" + (" en moyenne par an." if f.nb_annees > 1 else ".")
    structures = f"{fmt.plural(structures_actives, 'structure')} du collectif {'a' if structures_actives < 2 else 'ont'}"
    if lieu:  # one commune: its residents wherever they worked, and the work done in the commune
        shown = privacy.beside(k, "personnes_employees", masked)
        verbe = "ont" if _many(shown, masked) else "a"
        phrases = [
            (
                f"{quand}, {employees(k, masked, 'habitant', ' ' + de(lieu))} {verbe} travaillé dans les structures "
                f"du collectif, {dont_iae(k, masked)}."
            ),
            f"À {lieu}, {structures} réalisé {fmt.hours(k['heures_travaillees'])} de travail, soit {etp}",
        ]
    else:
        phrases = [
            f"{quand}, {structures} employé {employees(k, masked)}, {dont_iae(k, masked)}.",
            f"Elles ont réalisé {fmt.hours(k['heures_travaillees'])} de travail, soit {etp}",
        ]
    if k["sorties"]:
        t = k["taux_sortie_dynamique"]
        big_n = k["sorties_examinees"]
        if t is not None and privacy.ratio_text(k["sorties_dynamiques"], big_n, masked):
            avant = ""
            if prev is not None and prev["taux_sortie_dynamique"] is not None:
                p = f.previous()
                shown = privacy.rate_text(
                    prev["taux_sortie_dynamique"],
                    prev["sorties_dynamiques"],
                    prev["sorties_examinees"],
                    masked,
                )
                if shown.endswith("%"):  # a rate the privacy rule lets through, not "masqué" or "non calculé"
                    avant = f", contre {shown} en {fmt.period(p.annee_debut, p.annee_fin)}"
            phrases.append(
                f"Sur {fmt.integer(big_n)} sorties examinées, {fmt.percent(t)} sont des sorties "
                f"dynamiques (emploi durable, emploi de transition ou sortie positive){avant}."
            )
        elif t is not None:
            phrases.append(
                f"{_toutes_les_sorties(k, masked)}, dont {_people(big_n, masked)} examinées : "
                f"{TAUX_NON_PUBLIE}."
            )
        else:
            phrases.append(
                f"{_toutes_les_sorties(k, masked)}, dont {_people(big_n, masked)} "
                f"examinée{'s' if _many(big_n, masked) else ''} : {TROP_PEU}."
            )
    if k.get("chiffre_affaires"):
        phrases.append(f"Le chiffre d'affaires déclaré atteint {fmt.euros(k['chiffre_affaires'])}.")
    return " ".join(phrases)


def fiche_commune(
    nom: str,
    annee: int,
    k: dict,
    residents: dict,
    structures_actives: int,
    nb_interventions: int,
    nb_marches: int,
    *,
    masked: bool = False,
) -> str:
    """The short text a coordinator reads aloud at the yearly meeting with a commune nouvelle.

    k: the commune's kpis (people and exits: residents; hours: work done in the commune); residents: the
    residents' own hours and ETP wherever they worked (impact.indicators.commune.residents).
    """

    def many(x: int) -> bool:
        return _many(x, masked)

    n = k["personnes_employees"]
    shown = privacy.beside(k, "personnes_employees", masked)
    if n == 0 and k["heures_travaillees"] == 0:
        return f"En {annee}, aucune activité du collectif n'est enregistrée à {nom} ni pour ses habitants."
    phrases = []
    if n:
        phrases.append(
            f"En {annee}, {employees(k, masked, 'habitant', ' ' + de(nom))} "
            f"{'ont' if many(shown) else 'a'} travaillé dans les structures du collectif, {dont_iae(k, masked)} : "
            f"{fmt.hours(residents['heures_travaillees'])} au total, soit {fmt.etp(residents['etp'])}."
        )
    else:
        phrases.append(
            f"En {annee}, aucun habitant {de(nom)} n'a travaillé dans les structures du collectif."
        )
    if k["heures_travaillees"]:
        phrases.append(
            f"Sur le territoire de la commune, {fmt.plural(structures_actives, 'structure')} "
            f"{'a' if structures_actives < 2 else 'ont'} réalisé {fmt.hours(k['heures_travaillees'])} de "
            f"travail ({fmt.etp(k['etp'])}) sur {fmt.plural(nb_interventions, 'chantier ou site', 'chantiers ou sites')}"
            + (
                f", dont des heures au titre de {fmt.plural(nb_marches, 'marché ou partenariat', 'marchés ou partenariats')}."
                if nb_marches
                else "."
            )
        )
    else:
        phrases.append(
            f"Aucune heure de travail n'a été réalisée sur le territoire {de(nom)} cette année-là."
        )
    if k["sorties"]:
        s = _sorties(k, masked)
        t = k["taux_sortie_dynamique"]
        dyn, big_n = k["sorties_dynamiques"], k["sorties_examinees"]
        sortis = (
            f"Des habitants sont sortis d'un parcours d'insertion {NOMBRE_NON_DONNE}"
            if s == privacy.MASQUE_SECONDAIRE
            else f"{_people(s, masked)} habitant{'s' if many(s) else ''} {'sont sortis' if many(s) else 'est sorti'} "
            "d'un parcours d'insertion"
        )
        if t is not None and privacy.ratio_text(dyn, big_n, masked):
            phrases.append(
                f"{sortis} : {fmt.percent(t)} des sorties examinées sont dynamiques "
                f"({fmt.integer(dyn)} sur {fmt.integer(big_n)}), dont "
                f"{_people(k['sorties_emploi_durable'], masked)} en emploi durable."
            )
        elif t is not None:
            phrases.append(f"{sortis} : {TAUX_NON_PUBLIE}.")
        else:
            phrases.append(f"{sortis} : {TROP_PEU}.")
    return " ".join(phrases)


def fiche_commune_texte(fiche: Fiche, *, masked: bool) -> str:
    """fiche_commune() for a computed sheet (impact.indicators.commune.fiche): the page and its PDF."""
    return fiche_commune(
        fiche.nom,
        fiche.annee,
        fiche.chiffres,
        fiche.residents,
        fiche.structures_actives,
        len(fiche.interventions),
        fiche.marches_actifs,
        masked=masked,
    )


PERSONNES = ("personnes_employees", "salaries_en_parcours", "sorties")  # masked where small


def delta_periode(
    key: str, k: dict, prev: dict | None, f: Filtres, *, masked: bool, incomplete: bool
) -> str | None:
    """A key figure's change against the previous period of the same length (kpis `prev`); none when either
    period is incomplete, or when in a masked view the change and one count would give a small one back."""
    if prev is None or not prev[key] or incomplete:
        return None
    if masked and key in PERSONNES and (privacy.is_small(k[key]) or privacy.is_small(prev[key])):
        return None
    if isinstance(privacy.beside(k, key, masked), str) or isinstance(privacy.beside(prev, key, masked), str):
        return None  # the change and the other count would give the hidden one back
    p = f.previous()
    change = (k[key] - prev[key]) / prev[key]
    # The arrow and its colour follow the sign (ui.metric).
    return (
        f"{fmt.sign(change)}{fmt.percent(abs(change))} par rapport à {fmt.period(p.annee_debut, p.annee_fin)}"
    )


def _variation(cur, prev, masked: bool = False) -> str:
    """ "(+3,2 % par rapport à l'année précédente)"; nothing when a masked count would be recomputed from it."""
    if not prev or cur is None or (masked and (privacy.is_small(cur) or privacy.is_small(prev))):
        return ""
    return f" ({fmt.signed_percent((cur - prev) / prev)} par rapport à l'année précédente)"


def faits_marquants(b, *, masked: bool = False) -> list[str]:
    """The highlights of the annual report as French sentences, from impact.indicators.bilan.Bilan."""
    a = b.annee
    v = b.valeur
    out = []
    if b.annee_incomplete:
        out.append(f"L'année {a} est incomplète : les données s'arrêtent au {fmt.day(b.donnees_au)}.")
    out.append(
        f"En {a}, {fmt.plural(v('structures_actives'), 'structure')} du collectif "
        f"{'a' if v('structures_actives') < 2 else 'ont'} réalisé {fmt.hours(v('heures_travaillees'))} de travail"
        f"{_variation(v('heures_travaillees'), v('heures_travaillees', a - 1))}, soit {fmt.etp(v('etp'))}."
    )
    pe, sp = v("personnes_employees"), v("salaries_en_parcours")
    out.append(
        f"{_count(pe, masked, 'personne')} {'ont' if _many(pe, masked) else 'a'} été "
        f"employée{'s' if _many(pe, masked) else ''}"
        f"{_variation(pe, v('personnes_employees', a - 1), masked)}, "
        f"{dont_iae({'personnes_employees': pe, 'salaries_en_parcours': sp}, masked, 'salarié')}."
    )
    t, t_prev = v("taux_sortie_dynamique"), v("taux_sortie_dynamique", a - 1)
    n, big_n = b.rapport("taux_sortie_dynamique")
    durable = v("sorties_emploi_durable") or 0
    # exits, not people: a person may leave two paths in a year
    vers_durable = f"{_count(durable, masked, 'sortie')} vers un emploi durable."
    if t is not None and privacy.ratio_text(n, big_n, masked):
        prev = f", contre {fmt.percent(t_prev)} en {a - 1}" if t_prev is not None else ""
        out.append(
            f"Le taux de sortie dynamique atteint {fmt.percent(t)} ({fmt.integer(n)} sorties dynamiques sur "
            f"{fmt.integer(big_n)} examinées{prev}) ; {vers_durable}"
        )
    elif t is not None:
        out.append(f"Taux de sortie dynamique : {TAUX_NON_PUBLIE} ; {vers_durable}")
    elif v("sorties"):
        out.append(f"{TROP_PEU[0].upper()}{TROP_PEU[1:]} de sortie cette année.")
    ca = v("chiffre_affaires")
    if ca:
        out.append(
            f"Le chiffre d'affaires déclaré atteint {fmt.euros(ca)}"
            f"{_variation(ca, v('chiffre_affaires', a - 1))}."
        )
    m = b.marches[b.marches["heures_periode"] > 0]
    if not m.empty:
        top = m.sort_values("heures_periode", ascending=False).iloc[0]
        out.append(
            f"{fmt.plural(len(m), 'marché ou partenariat', 'marchés et partenariats')} "
            f"{'a' if len(m) < 2 else 'ont'} donné du travail : {fmt.hours(v('heures_marches_publics'))} sur des "
            f"marchés publics et {fmt.hours(v('heures_partenariats_prives'))} en partenariats privés ; le plus "
            f"important en heures est « {top['intitule']} » ({fmt.hours(top['heures_periode'])})."
        )
    if not b.heures_structures.empty:
        s = b.heures_structures.iloc[0]
        out.append(
            f"La structure qui a le plus travaillé est {s['structure']} ({fmt.hours(s['heures_travaillees'])})."
        )
    return out


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


# The exits the 6-month follow-up is drawn from (queries/suivi_6_mois.sql: those of every employing structure,
# withdrawals left out) differ by a few people from the IAE exits printed beside them (withdrawals, exits of EA
# and ESAT): their difference would be a small count. A masked view and the documents never print them
# (CONFIDENTIALITE says so).


def suivi_base(s: Suivi6Mois, masked: bool, missing: str = "non calculé") -> tuple[str, str]:
    """The rate of the follow-up and its people followed (N) as a view prints them: N hidden besides its own
    rule when s.caches names it (impact.view.suivi_partenaires), and the rate with it (the rate and n would
    give it back). missing: the rate under MIN_SORTIES_TAUX people followed."""
    if masked and "personnes_suivies" in s.caches:
        return privacy.TAUX_MASQUE, privacy.MASQUE_SECONDAIRE
    rate = privacy.rate_text(s.taux.value, s.en_emploi, s.personnes_suivies, masked, missing=missing)
    return rate, _people(s.personnes_suivies, masked)


def suivi_texte(s: Suivi6Mois | None) -> tuple[str, str] | None:
    """The 6-month follow-up as a document prints it, always masked: (figure sentence, how to read it), or
    None when nobody was followed. Apart from the two official ASP rates, never added to them; without the
    exits it is drawn from (see above)."""
    if s is None or s.personnes_suivies == 0:
        return None
    n, big_n = s.en_emploi, s.personnes_suivies
    taux, suivies = suivi_base(s, True, f"pas de pourcentage sous {MIN_SORTIES_TAUX} personnes suivies")
    partenaire = privacy.part_text(s.employeur_partenaire, n, True)
    low, high = FENETRE_SUIVI_MOIS
    # A hidden rate is not written in brackets after a hidden count: « < 5 / 10 personnes suivies (masqué
    # (petit effectif)) » said twice that it hides, and in brackets within brackets.
    rate = "" if taux == privacy.TAUX_MASQUE else f" ({taux})"
    figure = (
        f"En emploi 6 mois après la sortie : {privacy.part_text(n, big_n, True)} / {suivies} personnes "
        f"suivies{rate}, dont {partenaire} embauchées par un partenaire du collectif."
    )
    lecture = (
        "Suivi mené par le collectif lui-même (appels, attestations d'employeurs), distinct des sorties déclarées à "
        "l'ASP : il n'entre dans aucun des deux taux officiels. Pour chaque sortie, le contact retenu est le plus "
        f"proche de 6 mois après la sortie, pris entre {low} et {high} mois ; en emploi : emploi durable ou de "
        "transition."
    )
    return figure, lecture


# --- The rules as the Méthodologie page states them, written with their constants -----------------------

CATEGORIES_SORTIE = (
    "Chaque motif de sortie déclaré est rattaché à l'une des cinq catégories de l'ASP. Les trois premières "
    "comptent au numérateur du taux de sortie dynamique ; les « autres sorties » seulement au dénominateur ; "
    "les retraits (sorties neutralisées) sont exclus des deux. Le chargeur accepte le code ou le libellé."
)
BASES_ETP = (
    "Un ETP est un nombre d'heures travaillées divisé par la durée annuelle d'un temps plein, qui dépend du type "
    "de structure et peut changer par décret : chaque base vaut à partir de son année de début. Le type « * » "
    "vaut pour tout type sans base propre."
)
SOURCES = (
    "Les coordinateurs rassemblent les exports de l'Extranet IAE 2.0 de l'ASP (personnes, contrats, heures "
    "mensuelles, motifs de sortie), des outils de paie ou de planning des structures (heures par chantier), "
    "de la comptabilité (chiffre d'affaires) et de leurs propres tableaux (marchés, interventions, jalons). "
)
CONFIDENTIALITE = (
    "- Les personnes ne sont connues que par un **identifiant pseudonyme** et leur année de naissance : le "
    "tableau de bord n'a besoin ni de nom, ni de coordonnées, ni de date de naissance complète. Ces données "
    "restent des données personnelles (la RQTH est une donnée de santé) : le tableau de bord les traite sur le poste, sans aucune requête vers l'extérieur.\n"
    "- Un fichier qui contient une colonne identifiante est **refusé** au chargement, avec un message qui "
    "explique pourquoi (liste ci-dessous).\n"
    "- **Une seule règle de masquage** (module `impact/privacy.py`), appliquée partout où les chiffres "
    "sortent de l'équipe de coordination : en **mode présentation**, pour le rôle **lecture** (conseil "
    "d'administration, élus, partenaires) et dans **tous les documents** (fiche commune PDF, bilan PDF et "
    "Excel, tableaux CSV téléchargés) — phrases, tuiles, tableaux, graphiques (barres, axes, étiquettes, "
    "survol) et carte.\n"
    f"- Un effectif de **moins de {privacy.SEUIL} personnes** (zéro excepté) s'affiche « {privacy.MASQUE_TEXTE} ». "
    "Sur un "
    f"graphique, il n'a pas de barre ni de point : « {privacy.MASQUE_TEXTE} » est écrit à sa place (une barre "
    "absente se lirait comme zéro), et un graphique dont toutes les valeurs sont masquées n'a pas d'échelle.\n"
    f"- « **{privacy.MASQUE_SECONDAIRE}** » : une case qui n'est pas un petit effectif, masquée seulement "
    "parce qu'avec le total de sa ligne ou de sa colonne elle redonnerait un effectif masqué (masquage "
    f"secondaire). Elle peut valoir {privacy.SEUIL} ou bien plus : c'est pourquoi elle ne s'écrit pas "
    f"« {privacy.MASQUE_TEXTE} ». De même pour un nombre écrit à côté d'un autre quand "
    "leur écart est un petit effectif imprimé nulle part : toutes les sorties à côté des sorties examinées, "
    "les salariés en parcours (IAE) à côté de toutes les personnes employées (22 habitants employés, "
    "« dont 19 en parcours », diraient que 3 travaillent dans une structure du handicap).\n"
    "- **Les tableaux de sorties** d'une même sélection (page Sorties, page Structures, fiche commune, bilan "
    "annuel) sont masqués ensemble, avec les chiffres clés : aucune case masquée ne s'y recalcule par sommes "
    "et différences. Une case qui répète un chiffre clé imprimé (les sorties en emploi durable de l'année, "
    "sur la ligne de l'année du tableau par année) n'est jamais masquée : le chiffre clé la donne déjà. Leurs cases masquées se lisent toutes « {privacy.MASQUE_SECONDAIRE} », petits "
    f"effectifs compris : écrire « {privacy.MASQUE_TEXTE} » dans les unes et « {privacy.MASQUE_SECONDAIRE} » dans "
    f"les autres dirait lesquelles valent 1 à {privacy.SEUIL - 1} et lesquelles {privacy.SEUIL} ou plus, et "
    "ces bornes, avec les totaux imprimés, suffisent parfois à retrouver un petit nombre. Un zéro sur la ligne "
    f"ou la colonne d'une case masquée s'y lit aussi « {privacy.MASQUE_SECONDAIRE} » : sinon ce mot voudrait "
    "dire « au moins 1 », et un total de 1 le redonnerait. Pour la même "
    "raison, un tableau de sorties dont tous les nombres non nuls seraient masqués, ou dont la plupart sont "
    "petits, n'est pas affiché (une commune ou une structure avec très peu de sorties) ; les autres sont "
    "alors masqués sans lui, puisqu'il n'imprime plus rien.\n"
    f"- Un **taux** ou un rapport **n/N** n'est donné que si n, N et N − n sont tous hors de 1 à "
    f"{privacy.SEUIL - 1} : sinon il se lit « {privacy.TAUX_MASQUE} », car le taux et N redonneraient n "
    "(ou N − n). Les parts d'un public suivent la même règle.\n"
    "- **Zéro n'est pas masqué** (hors tableaux de sorties, ci-dessus) : « aucune personne » ne désigne personne, alors qu'un effectif de 1 à "
    f"{privacy.SEUIL - 1} permet de reconnaître quelqu'un dans une commune ou une structure. Masquer les zéros "
    "cacherait aussi l'absence d'activité, qui est une information utile et sans risque.\n"
    f"- **Aucun taux** de sortie n'est calculé sur moins de {MIN_SORTIES_TAUX} sorties examinées (trop peu "
    "pour être significatif) ; le nombre de sorties (n/N) est donné à côté d'un taux quand la règle ci-dessus "
    "le permet.\n"
    "- **Une sélection à la fois en lecture seule.** Le rôle lecture choisit une année et une commune (ou "
    "tout le territoire), sans filtre de structure : deux sélections l'une dans l'autre, soustraites, "
    "redonneraient ce que le masquage cache dans leur différence (les communes A et B moins la commune A "
    "donnent les habitants de B ; 2024–2025 moins 2024, les sorties de 2025 ; toutes les années moins les "
    "autres, une année ; le collectif moins toutes les structures sauf une, cette structure). Le détail par "
    "structure est sur la page Structures et la fiche structure, masqué avec le territoire. Le territoire "
    "moins cinq communes donnerait encore la sixième quand toutes les personnes comptées habitent l'une des "
    "six : un nombre qu'une seule commune masque l'est donc aussi dans une deuxième, celle qui en compte le "
    "moins (la différence ne donne alors que leur somme), et pour tout le territoire seulement quand aucune "
    "autre commune n'en compte. Quand le nombre de personnes employées d'une commune est ainsi caché, les parts "
    "des publics le sont aussi : arrondies, elles trahiraient leur dénominateur commun. Les tableaux de sorties, "
    "masqués ensemble par leur propre vérification, le sont par les tests sur les sept vues d'une année des données de "
    "démonstration lues ensemble. Le suivi à 6 mois n'imprime pas les sorties dont il part (toutes structures "
    "employeuses, hors retraits) : elles diffèrent de quelques personnes des sorties de l'IAE. Le mémoire "
    "d'insertion, écrit pour un marché sur n'importe quel ensemble de "
    "communes, reste à la coordination ; le document qui part chez l'acheteur masque pourtant ce que les "
    "fiches publiées redonneraient : le territoire du marché moins les fiches de ses autres communes donnerait "
    "une commune, et ses structures retenues moins les fiches des autres, une structure. Un nombre du "
    "territoire (sorties, suivi à 6 mois) ou des structures retenues (formations) y est donc masqué quand la "
    "fiche d'une de ses communes ou de ses structures cache le sien, ou quand une seule commune ou structure "
    "hors de la sélection le cache. Les deux années précédentes qu'imprime un bilan annuel y cachent au "
    "moins ce que cache le bilan de leur propre année."
)
TERRITOIRE = (
    "Mauges Communauté (SIREN 200060010) réunit six communes nouvelles, nées en 2015–2016 de la fusion de 64 "
    "communes, devenues communes déléguées. Les données sont rattachées par **code INSEE**, jamais par code "
    "postal (plusieurs communes déléguées partagent un code postal). Le collectif travaille aussi dans la CC "
    "Loire Layon Aubance et Cholet Agglomération."
)
CODES_ANCIENS = (
    "**Piège du code 49069** : c'était le code d'Orée d'Anjou, devenu 49126 ; 49069 est aujourd'hui le code de "
    "la commune déléguée Champtoceaux. Un code 49069 dans les données est donc rattaché à Orée d'Anjou "
    "(49126). Les exports qui ont perdu le zéro initial ou stocké le code comme un nombre sont corrigés."
)


def lectures(k: dict, ex: dict | None, f: Filtres, *, masked: bool) -> list[str]:
    """ "How to read the figures": worked examples from the kpis of the selection and an ETP example
    (impact.indicators.reference.exemple_etp), then what the marks "< 5", "masqué" and "—" mean."""
    periode = fmt.period(f.annee_debut, f.annee_fin)
    lines = [
        (
            f"**{fmt.hours(k['heures_travaillees'])}** en {periode} : la somme des heures travaillées déclarées chaque "
            "mois ; les heures facturées et de formation sont comptées à part et ne s'y ajoutent pas."
        ),
        (
            (
                f"**Personnes employées** {NOMBRE_NON_DONNE}"
                if privacy.beside(k, "personnes_employees", masked) == privacy.MASQUE_SECONDAIRE
                else f"**{_people(k['personnes_employees'], masked)} personnes employées**"
            )
            + " : des personnes distinctes, chacune comptée "
            "une fois même si elle a travaillé dans plusieurs structures ; la somme des personnes de chaque structure "
            "peut donc dépasser ce total."
        ),
    ]
    if ex is not None:
        lines.append(
            f"**{fmt.etp(ex['etp'])}** pour les structures {ex['type']} en {ex['annee']} : "
            f"{fmt.hours(ex['heures_travaillees'])} travaillées ÷ {fmt.hours(ex['base_etp'])} (base d'un temps plein "
            f"{ex['type']} cette année-là). L'ETP total additionne ce calcul pour chaque type"
            + (" et fait la moyenne des années de la période." if f.nb_annees > 1 else ".")
        )
    n_dyn = k["sorties_dynamiques"]
    big_n = k["sorties_examinees"]
    many = _many(big_n, masked)
    if k["taux_sortie_dynamique"] is not None and masked and privacy.reveals(n_dyn, big_n):
        lines.append(
            f"**« {privacy.TAUX_MASQUE} »** : sur {_people(big_n, masked)} sorties examinées, les sorties dynamiques ou les "
            f"autres comptent moins de {privacy.SEUIL} personnes ; le taux n'est pas affiché car, avec N, il "
            "permettrait de retrouver ce petit effectif."
        )
    elif k["taux_sortie_dynamique"] is not None:
        lines.append(
            f"**{fmt.percent(k['taux_sortie_dynamique'])} de sorties dynamiques ({_people(n_dyn, masked)} / "
            f"{_people(big_n, masked)})** : sur {_people(big_n, masked)} sorties examinées en {periode}, {_people(n_dyn, masked)} ont "
            "débouché sur un emploi durable, un emploi de transition ou une sortie positive."
        )
    else:
        lines.append(
            f"**Taux non calculé** : {_people(big_n, masked)} sortie{'s' if many else ''} examinée{'s' if many else ''} "
            f"pour cette sélection, moins de {MIN_SORTIES_TAUX} : trop peu pour qu'un taux soit significatif."
        )
    return lines + [
        (
            f"**« {privacy.MASQUE_TEXTE} »** : dans une vue masquée, un effectif de moins de {privacy.SEUIL} personnes "
            "(zéro excepté) ; "
            f"**« {privacy.MASQUE_SECONDAIRE} »** : une case masquée pour qu'on ne puisse pas retrouver un tel "
            "effectif à partir d'un total ; dans les tableaux de sorties, toute case masquée, petit effectif "
            "compris."
        ),
        (
            "**« — »** : valeur sans objet ou non calculée (taux sous le seuil, sorties d'une structure hors IAE, "
            "chiffre d'affaires avec un filtre de commune, qui n'est pas localisé)."
        ),
        (
            "**Filtre de commune** : les heures sont celles réalisées dans la commune ; les personnes et les sorties "
            "sont celles des habitants de la commune, où qu'ils travaillent."
        ),
        (
            f"**Graphique de plus de {charts.MAX_BARS} barres** : il dessine les {charts.MAX_BARS} plus grandes "
            "valeurs et son titre le dit ; le tableau des valeurs, sous le graphique, les donne toutes."
        ),
    ]


# --- The map page (pages/carte.py) ------------------------------------------------------------------------


def de(words: str) -> str:
    """ "de personnes", "d'heures", "d'interventions", "d'Orée d'Anjou" (French elision)."""
    return f"d'{words}" if words[:1].lower() in "aeéèiouyh" else f"de {words}"


def carte_explication(indicateur: Indicateur, couleur: str) -> str:
    """How to read the map: what the shade, the points and the rings are (couleur: "activite" or "marche")."""
    return (
        f"Plus la commune est foncée, plus elle compte {de(indicateur.unite)} : la carte montre "
        f"{indicateur.definition}. Les points sont les interventions actives sur la période (taille selon leurs "
        "heures, couleur selon "
        + ("l'activité" if couleur == "activite" else "le marché ou partenariat")
        + ") ; "
        "les anneaux noirs sont les sièges des structures. Cliquez sur une commune pour filtrer tout le tableau "
        "de bord sur elle."
    )


def points_reunis(interventions: int, points: int) -> str:
    """What a map says when its interventions share dots (maps.dots, beyond maps.MAX_DOTS); else ""."""
    if points >= interventions:
        return ""
    return (
        f"Les {fmt.integer(interventions)} interventions sont réunies en {fmt.integer(points)} points : celles "
        "d'une même couleur dans un même carré d'environ 500 m partagent un point, à la taille de leurs heures "
        "(chacune est dans la liste sous la carte)."
    )


def carte_notes(points, hors: dict, *, masked: bool, colonne: str, dessines: int | None = None) -> str:
    """The map's caption: the boundaries' source, what is placed approximately, what the map leaves out
    (territoire.hors_carte), what grey means in a masked view; dessines: the number of dots drawn for the
    points (maps.dots), when some share one."""
    notes = [geo.source_label() + "."]
    if dessines is not None and (reunis := points_reunis(len(points), dessines)):
        notes.append(reunis)
    sans_gps = int((points["position"] == POSITION_COMMUNE).sum()) if not points.empty else 0
    if sans_gps:
        notes.append(
            f"{fmt.plural(sans_gps, 'intervention')} sans point GPS "
            f"{'sont placées' if sans_gps > 1 else 'est placée'} dans leur commune, à un endroit approximatif."
        )
    if hors["heures"] > 0:
        notes.append(
            f"{fmt.hours(hors['heures'])} travaillées hors intervention (sans lieu connu) ne sont pas sur la carte."
        )
    if hors["personnes"] > 0:
        one = hors["personnes"] == 1 and not masked  # a masked count reads in the plural ("1" stays hidden)
        notes.append(
            f"{_people(hors['personnes'], masked)} "
            + ("personne employée habitant" if one else "personnes employées habitant")
            + " hors des communes dessinées ou sans commune de résidence connue "
            + ("n'est" if one else "ne sont")
            + " pas sur la carte."
        )
    if masked and colonne == "personnes":
        notes.append(
            f"En gris : commune dont l'effectif (moins de {privacy.SEUIL} personnes, ou case masquée pour qu'un "
            "total ne le redonne pas) est masqué."
        )
    notes.append(
        "Les communes voisines (CC Loire Layon Aubance, Cholet Agglomération) sont dessinées quand le collectif "
        "y a travaillé sur la période. Les sièges ne suivent pas le filtre de commune."
    )
    return " ".join(notes)


def sigles(types) -> str:
    """The types of structure a chart names by their acronym, spelt out in the order drawn, for its caption:
    " Sigles : ACI, atelier et chantier d'insertion ; CS, centre social." ("" when none)."""
    known = [t for t in dict.fromkeys(str(t) for t in types) if t in contract.STRUCTURE_TYPES]
    if not known:
        return ""
    spelt = [
        f"{t}, {contract.STRUCTURE_TYPES[t][0][:1].lower()}{contract.STRUCTURE_TYPES[t][0][1:]}"
        for t in known
    ]
    return " Sigles : " + " ; ".join(spelt) + "."
