-- Shared definitions, created once per data version: enriched tables (materialised once, so that no
-- page recomputes the joins) and the filter macros that every query uses, so that a filter means the
-- same thing on every page, export and test.

-- A person counts as employed (personnes employées, salariés en parcours, habitants employés) in a group
-- (structure, contract, commune, year...) when their hours worked in it add up to at least 1 hour: the one
-- place of that rule (definitions.py « personnes_employees »).
CREATE MACRO employe(heures) AS heures >= 1;

-- Base ETP of a structure type for a year: the reference row of that type (else '*') with the latest
-- first year not after the year (data/reference/bases_etp.csv).
CREATE MACRO base_etp(t, a) AS (
    SELECT r.heures_annuelles FROM ref_bases_etp r
    WHERE (r.type = t OR r.type = '*') AND r.annee_debut <= a
    ORDER BY (r.type = t) DESC, r.annee_debut DESC LIMIT 1
);

-- One row per INSEE code. The chief town of a commune nouvelle shares its code (49023 is both
-- Beaupréau-en-Mauges and the commune déléguée Beaupréau): the commune nouvelle's row wins here, and
-- every level maps the code to the same commune nouvelle.
CREATE TABLE communes_x AS
SELECT code_insee, nom, niveau, code_commune_nouvelle AS commune_nouvelle, nom_commune_nouvelle, epci,
       TRY_CAST(NULLIF(population, '') AS INTEGER) AS population
FROM ref_communes
QUALIFY row_number() OVER (
    PARTITION BY code_insee
    ORDER BY CASE niveau WHEN 'commune_nouvelle' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END
) = 1;

CREATE TABLE structures_x AS
SELECT s.*, t.libelle AS type_libelle, t.famille, c.commune_nouvelle AS commune_nouvelle_siege,
       c.nom AS commune_siege_nom
FROM structures s
JOIN ref_types_structure t USING (type)
LEFT JOIN communes_x c ON c.code_insee = s.commune_insee;

CREATE TABLE interventions_x AS
SELECT i.*, c.commune_nouvelle, c.nom AS commune_nom, c.epci, m.secteur, m.dispositif, m.intitule AS marche_intitule
FROM interventions i
LEFT JOIN communes_x c ON c.code_insee = i.commune_localisee
LEFT JOIN marches m ON m.marche_id = i.marche_id;

-- One residence and one profile per person: those of the person's latest path (by entry date).
CREATE TABLE personnes AS
SELECT p.personne_id, p.commune_residence_insee, c.commune_nouvelle AS commune_residence, p.sexe,
       p.annee_naissance, p.niveau_formation, p.rsa, p.deld, p.detld, p.rqth, p.qpv
FROM (
    SELECT *, row_number() OVER (PARTITION BY personne_id ORDER BY date_entree DESC, parcours_id DESC) AS rang
    FROM parcours
) p
LEFT JOIN communes_x c ON c.code_insee = p.commune_residence_insee
WHERE p.rang = 1;

CREATE TABLE heures_x AS
SELECT h.mois, year(h.mois) AS annee, h.structure_id, h.personne_id, h.heures_travaillees, h.heures_facturees,
       h.heures_formation, h.intervention_id, s.type, s.famille, s.nom AS structure_nom,
       i.commune_nouvelle AS commune_intervention, i.commune_localisee, i.activite, i.marche_id,
       i.secteur, COALESCE(i.secteur, 'hors_marche') AS secteur_filtre, pe.commune_residence
FROM heures h
JOIN structures_x s USING (structure_id)
LEFT JOIN interventions_x i USING (intervention_id)
LEFT JOIN personnes pe USING (personne_id);

-- Paths with what the exit rates need. Minimum presence (sorties examinées): ACI and EI at least
-- 3 calendar months between entry and exit (the day clamped to the month's end); AI and ETTI at least
-- 150 hours worked by the person in the structure from the month of entry to the month of exit; EITI
-- at least 1 hour.
CREATE TABLE parcours_x AS
WITH activites AS (
    -- The contracts and sectors each person worked on in each structure (any month), for the filters of
    -- parcours_f: a list per path instead of a search through every hour at each query.
    SELECT personne_id, structure_id, list(DISTINCT {'marche_id': marche_id, 'secteur': secteur_filtre}) AS activites
    FROM heures_x
    GROUP BY ALL
), presence AS (
    SELECT p.parcours_id, COALESCE(sum(h.heures_travaillees), 0) AS heures_presence
    FROM parcours p
    LEFT JOIN heures h ON h.personne_id = p.personne_id AND h.structure_id = p.structure_id
        AND h.mois >= date_trunc('month', p.date_entree)
        AND h.mois <= date_trunc('month', COALESCE(p.date_sortie, DATE '9999-12-31'))
    GROUP BY p.parcours_id
)
SELECT p.*, year(p.date_sortie) AS annee_sortie, year(p.date_entree) AS annee_entree, s.type, s.famille,
       s.nom AS structure_nom, m.categorie, m.libelle AS motif_libelle, pr.heures_presence,
       c.commune_nouvelle AS commune_residence, COALESCE(a.activites, []) AS activites,
       CASE
           WHEN p.date_sortie IS NULL OR m.categorie = 'retrait' THEN false
           WHEN s.type IN ('ACI', 'EI') THEN p.date_sortie >= CAST(p.date_entree + INTERVAL 3 MONTH AS DATE)
           WHEN s.type IN ('AI', 'ETTI') THEN pr.heures_presence >= 150
           WHEN s.type = 'EITI' THEN pr.heures_presence >= 1
           ELSE false
       END AS examinee
FROM parcours p
JOIN structures_x s USING (structure_id)
LEFT JOIN ref_motifs_sortie m ON m.code = p.motif_sortie
LEFT JOIN presence pr USING (parcours_id)
LEFT JOIN activites a ON a.personne_id = p.personne_id AND a.structure_id = p.structure_id
LEFT JOIN communes_x c ON c.code_insee = p.commune_residence_insee;

-- A path is kept by a contract or sector filter when the person worked in that structure on one of the
-- chosen contracts (marches) and, within it, one of the chosen sectors (secteurs); NULL: no filter.
CREATE MACRO travaille_sur(activites, marches, secteurs) AS
    marches IS NULL AND secteurs IS NULL OR len(list_filter(activites, lambda a:
        (marches IS NULL OR list_contains(marches, a.marche_id))
        AND (secteurs IS NULL OR list_contains(secteurs, a.secteur)))) > 0;

-- Hours under the shared filters. par_residence: the commune filter applies to where the person lives
-- (people, ETP of residents) instead of where the work was done (hours).
CREATE MACRO heures_f(annee_debut, annee_fin, communes, types, structures, marches, secteurs, par_residence) AS TABLE
SELECT * FROM heures_x
WHERE annee BETWEEN annee_debut AND annee_fin
  AND (types IS NULL OR list_contains(types, type))
  AND (structures IS NULL OR list_contains(structures, structure_id))
  AND (marches IS NULL OR list_contains(marches, marche_id))
  AND (secteurs IS NULL OR list_contains(secteurs, secteur_filtre))
  AND (communes IS NULL OR list_contains(communes,
        CASE WHEN par_residence THEN commune_residence ELSE commune_intervention END));

-- People employed in each structure under the shared filters (the commune filter on where they live): the
-- count of « personnes employées » by structure, read by the structures table and the commune sheet.
CREATE MACRO employes_par_structure(annee_debut, annee_fin, communes, types, structures, marches, secteurs) AS TABLE
SELECT structure_id, count(*) AS personnes
FROM (
    SELECT structure_id, personne_id
    FROM heures_f(annee_debut, annee_fin, communes, types, structures, marches, secteurs, true)
    GROUP BY structure_id, personne_id
    HAVING employe(sum(heures_travaillees))
)
GROUP BY structure_id;

-- Trainings under the shared filters: started in the period, in a path of the chosen types and structures,
-- of a person living in the chosen communes (formations_groupes, formations_personnes).
CREATE MACRO formations_f(annee_debut, annee_fin, communes, types, structures) AS TABLE
SELECT fo.*, p.personne_id, p.structure_id, p.structure_nom, p.type
FROM formations fo
JOIN parcours_x p USING (parcours_id)
WHERE year(fo.date_debut) BETWEEN annee_debut AND annee_fin
  AND (types IS NULL OR list_contains(types, p.type))
  AND (structures IS NULL OR list_contains(structures, p.structure_id))
  AND (communes IS NULL OR list_contains(communes, p.commune_residence));

-- Paths under the shared filters (the period applies to the exit date; the commune to the residence;
-- a contract or sector keeps the paths of people who worked on it in that structure).
CREATE MACRO parcours_f(annee_debut, annee_fin, communes, types, structures, marches, secteurs) AS TABLE
SELECT * FROM parcours_x p
WHERE p.annee_sortie BETWEEN annee_debut AND annee_fin
  AND (types IS NULL OR list_contains(types, p.type))
  AND (structures IS NULL OR list_contains(structures, p.structure_id))
  AND (communes IS NULL OR list_contains(communes, p.commune_residence))
  AND travaille_sur(p.activites, marches, secteurs);

-- Revenue under the shared filters (revenue is not localised: the commune filter does not apply).
CREATE MACRO ca_f(annee_debut, annee_fin, types, structures, marches, secteurs) AS TABLE
SELECT ca.*, s.type, s.nom AS structure_nom, m.secteur, COALESCE(m.secteur, 'hors_marche') AS secteur_filtre
FROM chiffre_affaires ca
JOIN structures_x s USING (structure_id)
LEFT JOIN marches m USING (marche_id)
WHERE ca.annee BETWEEN annee_debut AND annee_fin
  AND (types IS NULL OR list_contains(types, s.type))
  AND (structures IS NULL OR list_contains(structures, ca.structure_id))
  AND (marches IS NULL OR list_contains(marches, ca.marche_id))
  AND (secteurs IS NULL OR list_contains(secteurs, COALESCE(m.secteur, 'hors_marche')));

-- Revenue declared on each contract or partnership under the shared filters (rows that name a contract).
CREATE MACRO ca_par_marche(annee_debut, annee_fin, types, structures, marches, secteurs) AS TABLE
SELECT marche_id, sum(montant_ht) AS chiffre_affaires
FROM ca_f(annee_debut, annee_fin, types, structures, marches, secteurs)
WHERE marche_id IS NOT NULL
GROUP BY marche_id;
