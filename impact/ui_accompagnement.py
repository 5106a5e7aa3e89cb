"""Page blocks for supervision, training and the follow-up after the exit (contract v1.1): drawn on Emplois,
Heures and Sorties with one call each, so that those pages stay thin. Masking goes through ui (people,
rate, table), which applies impact/privacy.py."""

from __future__ import annotations

import streamlit as st

from impact import charts, fmt, privacy, texts, ui, view
from impact.filters import Filtres
from impact.indicators import MIN_SORTIES_TAUX
from impact.indicators import accompagnement as acc

LOW, HIGH = acc.FENETRE_SUIVI_MOIS


def suivi_block(f: Filtres) -> None:
    """Sorties: "en emploi 6 mois après la sortie : n/N personnes suivies", apart from the ASP rates."""
    periode = fmt.period(f.annee_debut, f.annee_fin)
    st.divider()
    st.subheader(f"À part : en emploi 6 mois après la sortie (suivi du collectif), sorties {periode}")
    s = view.suivi_partenaires(view.call(acc.suivi_6_mois, f), f)
    if s.personnes_suivies == 0:
        ui.empty(
            "Aucun suivi après la sortie pour cette sélection (la table facultative « suivis » est vide ou ne "
            "couvre pas ces sorties)."
        )
        return
    cols = st.columns(2)
    masked = view.context().masked
    rate, suivies = texts.suivi_base(s, masked)
    with cols[0]:
        ui.metric(
            "En emploi à 6 mois",
            f"{privacy.part_text(s.en_emploi, s.personnes_suivies, masked)} / {suivies}",
            "emploi_6_mois",
            delta=f"personnes suivies — {rate}",
            delta_color="off",
            delta_arrow="off",
        )
    with cols[1]:
        ui.metric(
            "Embauches partenaires",
            privacy.part_text(s.employeur_partenaire, s.en_emploi, masked),
            "emploi_6_mois",
            # The whole this part is taken from: the people in employment at 6 months, not the exits; written
            # as the tile beside writes it (masked too where the people followed minus it would be small).
            delta=f"parmi {privacy.part_text(s.en_emploi, s.personnes_suivies, masked)} en emploi à 6 mois",
            delta_color="off",
            delta_arrow="off",
        )
    # A masked view prints no count of the exits the follow-up is drawn from (texts.suivi_texte).
    recentes = (
        f" {fmt.plural(s.sorties_recentes, 'sortie')} de moins de {HIGH} mois "
        f"{'peuvent' if s.sorties_recentes > 1 else 'peut'} encore être "
        f"suivie{'s' if s.sorties_recentes > 1 else ''}."
        if s.sorties_recentes and not masked
        else ""
    )
    st.caption(
        "Suivi tenu par le collectif (appels, attestations d'employeurs), distinct des sorties déclarées à "
        "l'ASP : il n'entre dans aucun des deux taux officiels ci-dessus. Pour chaque sortie, le suivi retenu "
        f"est le plus proche de 6 mois parmi ceux faits de {LOW} à {HIGH} mois après la sortie. En emploi : "
        "emploi durable ou de transition (une formation n'est pas un emploi). Pas de pourcentage sous "
        f"{MIN_SORTIES_TAUX} personnes suivies." + recentes
    )
    ui.lazy_expander(
        "Voir le suivi année par année",
        "voir_suivi_6_mois",
        lambda: ui.table(
            view.call(acc.suivi_6_mois_par_annee, f).drop(columns=list(acc.SORTIES_SUIVI) if masked else []),
            filename="suivi_6_mois",
        ),
    )


def formations_block(f: Filtres) -> None:
    """Heures: training hours, certifying trainings and people trained, by domain and structure."""
    periode = fmt.period(f.annee_debut, f.annee_fin)
    st.subheader(f"Les formations suivies par les personnes en parcours, {periode}")
    t = view.call(acc.formations, f)
    if t["formations"] == 0:
        ui.empty("Aucune formation déclarée pour cette sélection (table facultative « formations »).")
        return
    cols = st.columns(2)
    with cols[0]:
        ui.metric(
            # not "Heures de formation": that tile (hours table, paid training time) is on the same page
            "Durée des formations déclarées",
            fmt.hours(t["heures"]),
            "formations",
            delta=ui.counted(t, "formations", "formations"),
            delta_color="off",
            delta_arrow="off",
        )
    with cols[1]:
        ui.metric(
            "Formations certifiantes",
            ui.people(ui.beside(t, "certifiantes")),
            "formations",
            delta=ui.counted(t, "personnes_formees", "personnes formées"),
            delta_color="off",
            delta_arrow="off",
        )
    dom = view.call(acc.formations_par_domaine, f)
    fig = charts.bars(
        dom, "domaine_libelle", "heures", horizontal=True, unit="h", y_title="heures", height=300
    )
    fig.update_yaxes(title=None)
    ui.chart_block(
        f"La durée des formations par domaine, {periode}",
        fig,
        dom,
        caption="Durée déclarée de chaque formation (table des formations), rattachée à l'année de son début. "
        "Ce n'est pas la tuile « Heures de formation » du haut de la page : celle-ci additionne les heures de "
        "formation payées que les structures déclarent chaque mois avec les heures travaillées ; les deux "
        "sources ne se recouvrent pas. Ni l'une ni l'autre ne s'ajoute aux heures travaillées.",
        filename="formations_par_domaine",
        count_columns=["formations", "certifiantes"],
        formats={"heures": fmt.hours},
    )
    ui.lazy_expander(
        "Voir les formations par structure",
        "voir_formations_par_structure",
        lambda: ui.table(
            view.call(acc.formations_par_structure, f),
            filename="formations_par_structure",
            count_columns=["formations", "certifiantes"],
            formats={"heures": fmt.hours},
        ),
    )


def encadrement_block(f: Filtres) -> None:
    """Emplois: the supervision ratio ("1 encadrant technique pour 6,2 ETP en insertion")."""
    periode = fmt.period(f.annee_debut, f.annee_fin)
    st.subheader(f"L'encadrement des salariés en insertion, {periode}")
    e = view.call(acc.encadrement, f)
    if e.structures == 0:
        ui.empty("Aucun encadrement déclaré pour cette sélection (table facultative « encadrement »).")
        return
    cols = st.columns(2)
    with cols[0]:
        ui.metric(
            "Encadrement technique",
            "—" if e.ratio_technique is None else f"1 pour {fmt.number(e.ratio_technique, 1)} ETP",
            "taux_encadrement",
        )
    with cols[1]:
        ui.metric(
            "Accompagnement socioprofessionnel",
            "—" if e.ratio_accompagnement is None else f"1 pour {fmt.number(e.ratio_accompagnement, 1)} ETP",
            "taux_encadrement",
        )
    st.caption(
        f"{_capital(acc.phrase_encadrement(e))} ; {acc.phrase_accompagnement(e)}. ETP en insertion calculés "
        "sur les heures travaillées (bases ETP de la page Méthodologie), pour les structures qui "
        "déclarent leurs permanents ; le filtre de commune ne s'applique pas (les permanents ne sont pas "
        "localisés)."
    )

    def detail():
        d = view.call(acc.encadrement_detail, f)
        ui.table(d, keys=[c for c in d.columns if c != "structure_id"], filename="encadrement")

    ui.lazy_expander("Voir l'encadrement par structure et par année", "voir_encadrement", detail)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def partenaire_block(f: Filtres) -> None:
    """Marchés et partenariats: what a private partner's orders financed, with its one-page PDF."""
    from impact.documents import provenance
    from impact.documents.partenaire import partenaire_pdf
    from impact.indicators import partenaire as pa

    ctx = view.context()
    donneurs = view.call(pa.donneurs_prives)
    if not donneurs:
        return
    st.divider()
    periode = fmt.period(f.annee_debut, f.annee_fin)
    st.subheader(f"Pour un partenaire privé : ce que ses commandes ont permis, {periode}")
    nom = st.selectbox("Partenaire", donneurs, key="partenaire_nom", placeholder="Choisir…")
    p = view.call(pa.partenaire, nom, f.annee_debut, f.annee_fin)
    cols = st.columns(3)
    with cols[0]:
        ui.metric(
            "Heures sur ses commandes",
            fmt.hours(p.heures_travaillees),
            "heures_travaillees",
            delta=f"{fmt.number(p.etp, 1)} ETP par an",
            delta_color="off",
            delta_arrow="off",
        )
    with cols[1]:
        ui.metric(
            "Personnes employées",
            ui.people(p.personnes),
            "personnes_employees",
            delta=f"{ui.people(p.personnes_formees)} formées",
            delta_color="off",
            delta_arrow="off",
        )
    with cols[2]:
        ui.metric("Embauches partenaires", ui.people(p.embauches_partenaire), "emploi_6_mois")
    st.caption(
        "Heures travaillées sur les interventions de ses marchés et partenariats (les filtres de période "
        "s'appliquent, pas les autres) ; formations commencées par les personnes qui y ont travaillé, et celles "
        "en emploi chez un partenaire du collectif 6 mois après leur sortie de la période (le suivi à 6 mois). Le PDF d'une page est fait pour son rapport "
        "de responsabilité sociale : les effectifs de moins de 5 personnes y sont toujours masqués."
    )
    st.download_button(
        f"Télécharger la page pour {nom} (PDF)",
        data=lambda: partenaire_pdf(p, provenance=provenance(ctx.db.donnees_au, ctx.demo)),
        file_name=f"partenariat_{f.annee_debut}_{f.annee_fin}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="dl_partenaire_pdf",
        on_click="ignore",
    )
