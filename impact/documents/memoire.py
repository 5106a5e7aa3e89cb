"""The mémoire d'insertion of a tender: one content (sections of titles, paragraphs, key figures, tables, a
map) written twice, as an editable Word document (python-docx) and as a PDF (fpdf2 + DejaVu, like the other
documents). Always masked with impact/privacy.py: it leaves the team. Every figure comes from
impact.indicators.memoire, and each one is followed by a sentence that says how to read it."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from impact import fmt, geo, privacy, texts
from impact.definitions import DEFINITIONS
from impact.documents import COLLECTIF, SOURCES, figures
from impact.indicators import accompagnement as acc
from impact.indicators.core import MIN_SORTIES_TAUX, Taux
from impact.indicators.emplois import AGE_JEUNE, AGE_SENIOR
from impact.indicators.memoire import Memoire

SECTIONS = (
    "1. Le collectif et les structures qui exécuteront le marché",
    "2. Notre capacité sur le territoire du marché",
    "3. Les personnes que nous employons",
    "4. Accompagnement, formation et encadrement",
    "5. Nos références : marchés et partenariats",
    "6. Nos résultats",
    "7. Nos engagements de suivi et de compte rendu",
    "8. Méthode et sources",
)
LOW, HIGH = acc.FENETRE_SUIVI_MOIS


# --- The content: a list of blocks both writers understand ----------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # titre, sous_titre, section, para, lecture, chiffres, tableau, image
    text: str = ""
    items: tuple = ()  # chiffres: (label, value, note); tableau: rows (tuples of str)
    headers: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    image: bytes = b""


def people(n) -> str:
    """A count of people in a document meant for outside the team: "< 5" from 1 to 4 (privacy)."""
    v = privacy.mask_value(n)
    return v if isinstance(v, str) else fmt.integer(v)


def taux(t: Taux) -> str:
    """A rate with the rules of the privacy module and of the exit rates (none under 10)."""
    if t.value is None:
        return f"non calculé (moins de {MIN_SORTIES_TAUX})"
    if privacy.rate_reveals_small_count(t.n, t.N):
        return privacy.TAUX_MASQUE
    return fmt.percent(t.value)


def _kpi_taux(value, n: int, big_n: int) -> str:
    if value is None:
        return f"non calculé (moins de {MIN_SORTIES_TAUX} sorties examinées)"
    if privacy.rate_reveals_small_count(n, big_n):
        return privacy.TAUX_MASQUE
    return fmt.percent(value)


def _counted(n, noun: str) -> str:
    """ "58 sorties", "< 5 sorties", or "des sorties (nombre masqué)" for a count hidden beside another one."""
    v = people(n)
    return f"des {noun} (nombre masqué)" if v == privacy.MASQUE_SECONDAIRE else f"{v} {noun}"


def _parmi(n) -> str:
    """ "9 d'entre elles", "< 5 d'entre elles", or "certaines d'entre elles (nombre masqué)"."""
    v = people(n)
    return (
        "certaines d'entre elles (nombre masqué)" if v == privacy.MASQUE_SECONDAIRE else f"{v} d'entre elles"
    )


def _rate_phrase(value, n, big_n, key: str, caches) -> str:
    """An exit rate of the territory with its n / N ("31,0 % (18 / 58)"), or TAUX_MASQUE alone when n, N or
    N − n is small or hidden (caches: privacy.union_hides), or "non calculé" under MIN_SORTIES_TAUX."""
    if caches & {key, "sorties_examinees"} or privacy.reveals(n, big_n):
        return privacy.TAUX_MASQUE
    if value is None:
        return f"non calculé (moins de {MIN_SORTIES_TAUX} sorties examinées)"
    return f"{fmt.percent(value)} ({fmt.integer(n)} / {fmt.integer(big_n)})"


def _hide(value, key: str, caches):
    """The count, or MASQUE_SECONDAIRE when the sheets of its parts would give it back (privacy.union_hides)."""
    return privacy.MASQUE_SECONDAIRE if key in caches else value


def _liste(noms: list[str]) -> str:
    if not noms:
        return ""
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def contenu(m: Memoire, provenance: str) -> list[Block]:
    d = m.demande
    a = d.annee
    k = m.kpis
    kt = m.kpis_territoire
    terr = _liste(m.territoire_noms) or "le territoire de Mauges Communauté et ses voisins"
    B = Block
    out: list[Block] = [
        B("titre", f"Mémoire d'insertion — {d.titre}"),
        B(
            "sous_titre",
            f"Réponse du {COLLECTIF} à {d.acheteur}. Territoire : {terr}."
            + (f" Activités : {', '.join(d.activites)}." if d.activites else "")
            + f" Chiffres de l'année {a}. {provenance}.",
        ),
        B(
            "lecture",
            "Ce mémoire présente les structures d'insertion du collectif qui exécuteront le marché, leur capacité "
            "sur le territoire, les personnes qu'elles emploient, leur accompagnement, leurs références et leurs "
            "résultats. Chaque chiffre est suivi d'une phrase qui dit comment le lire ; la section 8 donne les "
            "définitions et les sources. Pour protéger les personnes : "
            + privacy.REGLE_COURTE[0].lower()
            + privacy.REGLE_COURTE[1:],
        ),
    ]

    # 1. The collective and the operating structures ------------------------------------------------
    s = m.structures
    out.append(B("section", SECTIONS[0]))
    out.append(
        B(
            "para",
            f"Le {COLLECTIF} réunit depuis 2016 les acteurs de l'inclusion de Mauges Communauté : structures de "
            "l'insertion par l'activité économique (ateliers et chantiers d'insertion, associations "
            "intermédiaires, entreprises d'insertion, entreprise de travail temporaire d'insertion), entreprises "
            "adaptées et ESAT, centres sociaux et mission locale. Ses membres répondent ensemble aux marchés "
            "qui comportent des heures d'insertion, une structure chef de file coordonnant l'exécution.",
        )
    )
    if m.selection_elargie:
        intro = (
            "Aucune structure n'a encore travaillé sur ce territoire dans ces activités : voici les "
            f"{fmt.integer(len(s))} structures du collectif qui interviennent déjà dans les communes du territoire "
            "ou à proximité."
        )
    else:
        intro = (
            f"{fmt.plural(len(s), 'structure')} du collectif {'a' if len(s) < 2 else 'ont'} déjà travaillé sur ce territoire"
            + (" dans ces activités" if d.activites else "")
            + " : ce sont elles qui exécuteraient le marché."
        )
    out.append(B("para", intro))
    out.append(
        B(
            "tableau",
            headers=(
                "Structure",
                "Type",
                "Siège",
                "Membre depuis",
                "Activités",
                "Communes où elle intervient",
            ),
            widths=(1.4, 1.4, 1.1, 0.7, 2.2, 2.0),
            items=tuple(
                (
                    r.nom,
                    f"{r.type_libelle} ({r.type})",
                    str(r.commune_siege_nom or r.commune_insee),
                    fmt.DASH if pd.isna(r.annee_adhesion) else str(int(r.annee_adhesion)),
                    str(r.activites),
                    str(r.communes_servies),
                )
                for r in s.itertuples()
            ),
        )
    )
    out.append(
        B(
            "lecture",
            "Lecture : chaque ligne est une structure membre ; « Activités » et « Communes » reprennent toutes ses "
            "interventions connues du collectif, jusqu'à l'année "
            f"{a}. Une ACI est un atelier et chantier d'insertion, une AI une association intermédiaire (mise à "
            "disposition de personnel), une EI une entreprise d'insertion, une ETTI une entreprise de travail "
            "temporaire d'insertion, une EA une entreprise adaptée.",
        )
    )

    # 2. Capacity on the territory ------------------------------------------------------------------
    e = m.encadrement
    out.append(B("section", SECTIONS[1]))
    items = []
    if kt is not None:
        items += [
            (
                f"Heures travaillées sur le territoire en {a}",
                fmt.hours(kt["heures_travaillees"]),
                "toutes structures",
            ),
            (f"ETP travaillés sur le territoire en {a}", fmt.etp(kt["etp"]), "équivalents temps plein"),
        ]
    items += [
        (
            f"ETP des structures retenues en {a}",
            fmt.etp(m.etp_structures),
            "partout où elles travaillent",
        ),
        (
            "Encadrement technique",
            fmt.DASH if e.ratio_technique is None else f"1 pour {fmt.number(e.ratio_technique, 1)} ETP",
            "structures retenues",
        ),
    ]
    out.append(B("chiffres", items=tuple(items)))
    if kt is not None:
        out.append(
            B(
                "lecture",
                f"Lecture : en {a}, les salariés des structures du collectif (insertion et travail adapté) ont travaillé "
                f"{fmt.hours(kt['heures_travaillees'])} sur des chantiers et prestations situés dans les communes "
                f"du marché ({terr}), soit {fmt.number(kt['etp'], 1)} équivalents temps plein (ETP : heures "
                "divisées par la durée annuelle d'un temps plein du type de structure, par exemple 1 820 h pour "
                "un chantier d'insertion).",
            )
        )
    out.append(
        B(
            "lecture",
            f"Lecture : les structures retenues ont employé {fmt.number(m.etp_structures, 1)} équivalents temps "
            f"plein en {a}, sur l'ensemble de leurs activités et de leurs territoires. "
            + (
                f"Elles déclarent {acc.phrase_encadrement(e)} : chaque équipe sur un chantier est encadrée par un "
                "professionnel de son métier, qui organise le travail et forme sur le poste."
                if e.ratio_technique is not None
                else "Leur encadrement technique n'est pas renseigné pour cette année."
            ),
        )
    )
    out.append(
        B(
            "image",
            image=carte_territoire(m),
            text=f"Carte : les communes du marché ({terr}) et le siège des structures retenues.",
        )
    )

    # 3. Publics -------------------------------------------------------------------------------------
    out.append(B("section", SECTIONS[2]))
    p = m.publics
    total = int(p["personnes_employees"].iloc[0]) if not p.empty else 0
    out.append(
        B(
            "para",
            f"En {a}, les structures retenues ont employé {people(total)} personnes (au moins une heure travaillée). "
            "Parmi elles :",
        )
    )
    rows = []
    for r in p.itertuples():
        small = privacy.is_small(r.personnes) or privacy.is_small(total - r.personnes)
        rows.append(
            (
                r.libelle,
                people(r.personnes),
                privacy.TAUX_MASQUE if small else fmt.percent(r.part),
                people(r.non_renseigne),
            )
        )
    out.append(
        B(
            "tableau",
            headers=("Public", "Personnes", "Part des personnes employées", "Information non renseignée"),
            widths=(2.4, 1.0, 1.4, 1.4),
            items=tuple(rows),
        )
    )
    out.append(
        B(
            "lecture",
            "Lecture : la part est calculée sur toutes les personnes employées, y compris celles dont "
            "l'information n'est pas renseignée (comptées dans la dernière colonne, jamais retirées). Âge = "
            f"année − année de naissance : « moins de {AGE_JEUNE} ans » et « {AGE_SENIOR} ans et plus ». RSA : "
            "bénéficiaires du revenu de solidarité active ; DELD et DETLD : demandeurs d'emploi depuis 12 à 23 "
            "mois et depuis 24 mois ou plus ; RQTH : reconnaissance de la qualité de travailleur handicapé ; "
            "QPV : habitants d'un quartier prioritaire de la politique de la ville ; faible qualification : CAP "
            "ou BEP au plus.",
        )
    )

    # 4. Support and training ------------------------------------------------------------------------
    out.append(B("section", SECTIONS[3]))
    fo = {k: _hide(v, k, m.caches_structures) for k, v in m.formations.items()}
    out.append(
        B(
            "chiffres",
            items=(
                (f"Durée des formations déclarées en {a}", fmt.hours(fo["heures"]), "table des formations"),
                ("Formations suivies", people(fo["formations"]), ""),
                ("Formations certifiantes", people(fo["certifiantes"]), "titre, CQP, habilitation"),
                ("Personnes formées", people(fo["personnes_formees"]), ""),
            ),
        )
    )
    out.append(
        B(
            "lecture",
            f"Lecture : en {a}, {_counted(fo['personnes_formees'], 'personnes')} en insertion des structures "
            f"retenues ont commencé {_counted(fo['formations'], 'formations')}, pour {fmt.hours(fo['heures'])} au "
            f"total ; {_parmi(fo['certifiantes'])} mènent à une certification reconnue (titre "
            "professionnel, certificat de qualification, habilitation). Ces heures s'ajoutent au temps de travail "
            "et ne sont jamais comptées comme heures travaillées.",
        )
    )
    dom = privacy.mask_counts(m.formations_domaines, ["formations", "certifiantes"], forced=m.domaines_caches)
    if not dom.empty:
        out.append(
            B(
                "tableau",
                headers=("Domaine", "Formations", "Heures", "Certifiantes"),
                widths=(2.0, 1.0, 1.0, 1.0),
                items=tuple(
                    (r.domaine_libelle, _count(r.formations), fmt.hours(r.heures), _count(r.certifiantes))
                    for r in dom.itertuples()
                ),
            )
        )
    cert = m.formations_certifiantes
    if not cert.empty:
        out.append(
            B(
                "para",
                "Certifications préparées : " + "\u00a0; ".join(str(t) for t in cert["intitule"]) + ".",
            )
        )
    out.append(
        B(
            "lecture",
            f"Accompagnement : {acc.phrase_encadrement(e)} ; {acc.phrase_accompagnement(e)}. Le conseiller en "
            "accompagnement socioprofessionnel aide chaque salarié à lever ses freins (mobilité, logement, santé, "
            "garde d'enfants) et prépare avec lui la suite de son parcours.",
        )
    )

    # 5. References ---------------------------------------------------------------------------------
    out.append(B("section", SECTIONS[4]))
    ref = m.references.copy()
    ref["_ordre"] = (ref["secteur"] != "public").astype(int)
    ref = ref.sort_values(["_ordre", "date_debut"])
    rows = []
    for r in ref.itertuples():
        fin = fmt.day(r.date_fin) if not pd.isna(r.date_fin) else "en cours"
        prevues = r.heures_prevues_periode
        rows.append(
            (
                str(r.intitule),
                str(r.donneur_ordre),
                f"{fmt.day(r.date_debut)} – {fin}",
                "Marché public" if r.secteur == "public" else "Partenariat privé",
                fmt.DASH if pd.isna(prevues) else fmt.hours(prevues),
                fmt.hours(r.heures_realisees),
            )
        )
    out.append(
        B(
            "tableau",
            headers=(
                "Marché ou partenariat",
                "Acheteur ou partenaire",
                "Période",
                "Cadre",
                "Heures prévues",
                "Heures réalisées",
            ),
            widths=(2.6, 1.3, 1.3, 1.0, 0.9, 0.9),
            items=tuple(rows),
        )
    )
    out.append(
        B(
            "lecture",
            "Lecture : heures d'insertion prévues par chaque marché (réparties sur ses années au prorata des jours) "
            f"et heures réellement travaillées par les salariés en insertion sur ses chantiers, jusqu'à {a}. Les "
            "partenariats privés (Veolia) sont des commandes hors commande publique : leurs heures ne sont jamais "
            "additionnées à celles des clauses sociales des marchés publics.",
        )
    )

    # 6. Results ---------------------------------------------------------------------------------------
    out.append(B("section", SECTIONS[5]))
    n_dyn = k["sorties_dynamiques"]
    out.append(
        B(
            "chiffres",
            items=(
                (f"Heures travaillées en {a}", fmt.hours(k["heures_travaillees"]), "tout le collectif"),
                ("Personnes employées", people(k["personnes_employees"]), "au moins 1 heure"),
                ("Salariés en parcours (IAE)", people(privacy.beside(k, "salaries_en_parcours", True)), ""),
                ("Équivalents temps plein", fmt.number(k["etp"], 1), "ETP"),
                (
                    "Sorties (IAE)",
                    people(privacy.toutes_sorties(k["sorties"], k["sorties_examinees"], True)),
                    "",
                ),
                ("Sorties examinées", people(k["sorties_examinees"]), "base des taux"),
                (
                    "Taux de sortie dynamique",
                    _kpi_taux(k["taux_sortie_dynamique"], n_dyn, k["sorties_examinees"]),
                    f"{privacy.ratio_or_masked(n_dyn, k['sorties_examinees'], True)}",
                ),
                (
                    "Taux de sortie en emploi durable",
                    _kpi_taux(
                        k["taux_sortie_emploi_durable"], k["sorties_emploi_durable"], k["sorties_examinees"]
                    ),
                    f"{privacy.ratio_or_masked(k['sorties_emploi_durable'], k['sorties_examinees'], True)}",
                ),
            ),
        )
    )
    out.append(
        B(
            "lecture",
            f"Lecture : en {a}, les structures du collectif ont déclaré {fmt.hours(k['heures_travaillees'])} "
            f"travaillées par {people(k['personnes_employees'])} personnes, {texts.dont_iae(k, True, 'salarié')}, soit "
            f"{fmt.number(k['etp'], 1)} équivalents temps plein. {people(privacy.toutes_sorties(k['sorties'], k['sorties_examinees'], True))} parcours d'insertion se sont "
            f"terminés ; {people(k['sorties_examinees'])} sont « examinés » (hors décès, longue maladie ou "
            "retraite, et après une durée minimale de présence : 3 mois en chantier ou entreprise d'insertion, 150 "
            "heures en association intermédiaire ou en intérim d'insertion).",
        )
    )
    out.append(
        B(
            "lecture",
            f"Le taux de sortie dynamique ({_kpi_taux(k['taux_sortie_dynamique'], n_dyn, k['sorties_examinees'])}, "
            f"{privacy.ratio_or_masked(n_dyn, k['sorties_examinees'], True)}) compte les personnes parties vers un emploi durable "
            "(CDI, CDD ou intérim de 6 mois et plus, création d'entreprise), un emploi de transition (contrat plus "
            "court, contrat aidé) ou une sortie positive (formation qualifiante, embauche dans une autre structure "
            "d'insertion). Le taux de sortie en emploi durable "
            f"({_kpi_taux(k['taux_sortie_emploi_durable'], k['sorties_emploi_durable'], k['sorties_examinees'])}, "
            f"{privacy.ratio_or_masked(k['sorties_emploi_durable'], k['sorties_examinees'], True)}) ne retient que l'emploi "
            "durable. Ce sont les deux indicateurs officiels de l'État (ASP) pour l'insertion par l'activité "
            "économique.",
        )
    )
    if kt is not None:
        ct = m.caches_territoire
        big_n = kt["sorties_examinees"]
        toutes = _hide(privacy.toutes_sorties(kt["sorties"], big_n, True), "sorties", ct)
        dyn = _rate_phrase(
            kt["taux_sortie_dynamique"], kt["sorties_dynamiques"], big_n, "sorties_dynamiques", ct
        )
        durable = _rate_phrase(
            kt["taux_sortie_emploi_durable"],
            kt["sorties_emploi_durable"],
            big_n,
            "sorties_emploi_durable",
            ct,
        )
        out.append(
            B(
                "para",
                f"Habitants du territoire du marché ({terr}) sortis d'un parcours d'insertion en {a} : "
                f"{_counted(toutes, 'sorties')}, dont {_counted(_hide(big_n, 'sorties_examinees', ct), 'examinées')}"
                f" ; taux de sortie dynamique {dyn}, taux de sortie en emploi durable {durable}.",
            )
        )
        out.append(
            B(
                "lecture",
                "Lecture : les mêmes taux, limités aux personnes qui habitent les communes du marché, où qu'elles "
                f"aient travaillé. Aucun taux n'est donné sous {MIN_SORTIES_TAUX} sorties examinées.",
            )
        )
    suivis = (
        ("Tout le collectif", m.suivi, frozenset()),
        (f"Habitants de {terr}", m.suivi_territoire, m.caches_territoire),
    )
    for label, su, cs in suivis:
        if su is None or su.personnes_suivies == 0:
            continue
        if cs & {"en_emploi", "personnes_suivies"}:
            text = f"{label} — en emploi 6 mois après la sortie : {privacy.TAUX_MASQUE}."
        else:
            partenaire = (
                privacy.MASQUE_SECONDAIRE
                if "employeur_partenaire" in cs
                else privacy.part_text(su.employeur_partenaire, su.en_emploi, True)
            )
            text = (  # not the exits it is drawn from (texts.suivi_texte)
                f"{label} — en emploi 6 mois après la sortie : "
                f"{privacy.ratio_or_masked(su.en_emploi, su.personnes_suivies, True)} personnes suivies "
                f"({taux(su.taux)}), dont {partenaire} embauchées par un partenaire du collectif."
            )
        out.append(B("para", text))
    if m.suivi.personnes_suivies:
        out.append(
            B(
                "lecture",
                "Lecture : ce suivi est mené par le collectif lui-même, quelques mois après la fin du parcours ; il "
                "est distinct des deux taux officiels et ne s'y ajoute pas. Pour chaque personne sortie, on retient "
                f"le contact le plus proche de 6 mois après la sortie, pris entre {LOW} et {HIGH} mois ; elle est "
                "« en emploi » si elle a alors un contrat de travail ou a créé son entreprise.",
            )
        )

    # 7. Commitments ------------------------------------------------------------------------------------
    out.append(B("section", SECTIONS[6]))
    eng = (
        "Chaque mois, la structure chef de file transmet à l'acheteur l'état des heures d'insertion réalisées "
        "sur le marché, par structure et par mois, avec le nombre de personnes concernées. Chaque année, le "
        "collectif remet un bilan : heures réalisées face aux heures prévues, personnes employées, formations, "
        "sorties et leurs deux taux officiels, suivi à 6 mois. Les petits effectifs y sont masqués de la même "
        "façon que dans ce mémoire."
    )
    out.append(B("para", eng))
    if d.heures:
        etp_eq = d.heures / m.base_etp_legale
        phrase = (
            f"Le marché prévoit {fmt.hours(d.heures)} d'insertion, soit environ {fmt.number(etp_eq, 1)} "
            f"équivalent{'s' if etp_eq >= 2 else ''} temps plein sur une année (base de {fmt.hours(m.base_etp_legale)}, durée légale)."
        )
        if kt is not None:
            phrase += (
                f" Pour comparaison, le collectif a réalisé {fmt.hours(kt['heures_travaillees'])} sur ce territoire "
                f"en {a}."
            )
        out.append(B("lecture", phrase))

    # 8. Method and sources --------------------------------------------------------------------------------
    out.append(B("section", SECTIONS[7]))
    out.append(B("para", f"{provenance}. {SOURCES}"))
    out.append(
        B(
            "para",
            f"Confidentialité. {privacy.REGLE} Territoire pris au niveau des communes nouvelles "
            f"(ou des communes voisines) : {terr}.",
        )
    )
    for key in (
        "heures_travaillees",
        "personnes_employees",
        "salaries_en_parcours",
        "etp",
        "sorties_examinees",
        "taux_sortie_dynamique",
        "taux_sortie_emploi_durable",
        "publics",
        "formations",
        "taux_encadrement",
        "emploi_6_mois",
        "heures_insertion_prevues_realisees",
    ):
        dfn = DEFINITIONS[key]
        out.append(B("para", f"{dfn.label} : {dfn.text}"))
    return out


def _count(v) -> str:
    return v if isinstance(v, str) else fmt.integer(v)


# --- The map -----------------------------------------------------------------------------------------


def carte_territoire(m: Memoire) -> bytes:
    """The communes nouvelles and neighbouring communes, the tender's ones in blue, the head offices of the
    operating structures as black squares (matplotlib: no network)."""
    return carte(
        m.territoire,
        list(m.structures["commune_insee"].astype(str).unique()),
        "siège d'une structure retenue",
    )


def carte(territoire, sieges_codes, legende: str) -> bytes:
    """Communes nouvelles (and neighbouring communes) in grey, those of `territoire` in blue and named, the
    communes of `sieges_codes` marked by black squares."""
    return _carte(tuple(territoire), tuple(sieges_codes), legende)


# The boundaries are embedded files: the same communes give the same image. Drawn once (about 0,5 s with
# matplotlib), not at every run of the Mémoire and Fiche structure pages, whose preview shows it.
@functools.lru_cache(maxsize=64)
def _carte(territoire: tuple, sieges_codes: tuple, legende: str) -> bytes:
    with figures._LOCK:
        nouvelles = geo.boundaries("nouvelle")
        deleguees = geo.boundaries("deleguee")
        fig, ax = plt.subplots(figsize=(6.2, 4.2))
        nouvelles.plot(ax=ax, color="#eeeeee", edgecolor="#aaaaaa", linewidth=0.5)
        mine = nouvelles[nouvelles["code_insee"].isin(list(territoire))]
        if not mine.empty:
            mine.plot(ax=ax, color="#9cc3e6", edgecolor="#1a1a1a", linewidth=0.9)
        sieges = []
        for code in sieges_codes:
            hit = deleguees[deleguees["code_insee"] == code]
            if hit.empty:
                hit = nouvelles[nouvelles["code_insee"] == code]
            if not hit.empty:
                sieges.append(hit.geometry.iloc[0].representative_point())
        if sieges:
            ax.scatter(
                [p.x for p in sieges],
                [p.y for p in sieges],
                marker="s",
                s=28,
                color="black",
                label=legende,
                zorder=3,
            )
            ax.legend(loc="lower left", fontsize=6.5, frameon=True)
        ax.set_aspect(1 / 0.68)
        ax.set_axis_off()
        figures.name_communes(
            fig, ax, list(mine.itertuples()), fontsize=7, avoid=[(p.x, p.y) for p in sieges]
        )
        ax.set_title(f"Sources : {geo.source_label()}", fontsize=6, color="#555555", loc="left")
        return figures._png(fig)


# --- Writers ----------------------------------------------------------------------------------------------


def memoire_docx(m: Memoire, *, provenance: str) -> bytes:
    """The editable Word document (the coordinator adapts it per tender)."""
    return blocks_docx(contenu(m, provenance))


def blocks_docx(blocks: list[Block]) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    doc.core_properties.title = blocks[0].text
    doc.core_properties.author = COLLECTIF
    doc.core_properties.language = "fr-FR"
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(18)
    for b in blocks:
        if b.kind == "titre":
            doc.add_heading(b.text, level=0)
        elif b.kind == "sous_titre":
            doc.add_paragraph(b.text).runs[0].italic = True
        elif b.kind == "section":
            doc.add_heading(b.text, level=1)
        elif b.kind == "para":
            doc.add_paragraph(b.text)
        elif b.kind == "lecture":
            run = doc.add_paragraph().add_run(b.text)
            run.font.color.rgb = RGBColor(0x33, 0x4D, 0x66)
        elif b.kind == "chiffres":
            t = doc.add_table(rows=0, cols=3)
            t.style = "Table Grid"
            for label, value, note in b.items:
                cells = t.add_row().cells
                cells[0].text = label
                cells[1].text = value
                cells[1].paragraphs[0].runs[0].bold = True
                cells[2].text = note
            doc.add_paragraph()
        elif b.kind == "tableau":
            t = doc.add_table(rows=1, cols=len(b.headers))
            t.style = "Table Grid"
            for cell, h in zip(t.rows[0].cells, b.headers, strict=True):
                cell.text = h
                cell.paragraphs[0].runs[0].bold = True
            for row in b.items:
                for cell, v in zip(t.add_row().cells, row, strict=True):
                    cell.text = v
            doc.add_paragraph()
        elif b.kind == "image":
            doc.add_picture(io.BytesIO(b.image), width=Mm(160))
            doc.add_paragraph(b.text).runs[0].italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def memoire_pdf(m: Memoire, *, provenance: str) -> bytes:
    """The same content as a PDF (fpdf2 and the DejaVu fonts of data/fonts/, no browser, no network)."""
    return blocks_pdf(contenu(m, provenance), f"{COLLECTIF} — mémoire d'insertion — {provenance}")


def blocks_pdf(blocks: list[Block], pied: str) -> bytes:
    from impact.documents.pdf import Col, Document

    doc = Document(blocks[0].text, pied)
    doc.add_page()
    for b in blocks:
        if b.kind == "titre":
            doc.h1(b.text, size=16)
        elif b.kind == "sous_titre":
            doc.para(b.text, size=9, color=(90, 90, 90))
        elif b.kind == "section":
            doc.h2(b.text, section=True)
        elif b.kind == "para":
            doc.para(b.text)
        elif b.kind == "lecture":
            doc.encadre(b.text, size=9)
        elif b.kind == "chiffres":
            doc.chiffres(list(b.items))
        elif b.kind == "tableau":
            keys = [f"c{i}" for i in range(len(b.headers))]
            df = pd.DataFrame(list(b.items), columns=keys)
            cols = [Col(k, h, width=w) for k, h, w in zip(keys, b.headers, b.widths, strict=True)]
            doc.tableau(df, cols, size=7)
        elif b.kind == "image":
            if doc.get_y() > doc.h - doc.b_margin - 120:
                doc.add_page()
            doc.png(b.image, w=150, alt=b.text)
            doc.para(b.text, size=8, color=(90, 90, 90))
    return bytes(doc.output())
