-- Ce que les commandes d'un donneur d'ordre ont permis, pour les personnes qui y ont travaillé (au moins une
-- heure sur une intervention de ses marchés ou partenariats $marches pendant les années $annee_debut à
-- $annee_fin) : formations qu'elles ont commencées dans la période (table formations, parcours dans la même
-- structure), et personnes embauchées par un partenaire du collectif d'après le suivi après la sortie (table
-- suivis : situation d'emploi des catégories $en_emploi, employeur partenaire, suivi daté de la période).
WITH ouvriers AS (
    SELECT DISTINCT personne_id, structure_id
    FROM heures_x
    WHERE annee BETWEEN $annee_debut AND $annee_fin AND list_contains($marches, marche_id)
      AND heures_travaillees > 0
),
leurs_parcours AS (
    SELECT p.parcours_id, p.personne_id FROM parcours p JOIN ouvriers o USING (personne_id, structure_id)
)
SELECT
    (SELECT count(*) FROM formations fo JOIN leurs_parcours USING (parcours_id)
      WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin) AS formations,
    (SELECT COALESCE(sum(fo.heures), 0) FROM formations fo JOIN leurs_parcours USING (parcours_id)
      WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin) AS heures_formation,
    (SELECT count(DISTINCT lp.personne_id) FROM formations fo JOIN leurs_parcours lp USING (parcours_id)
      WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin) AS personnes_formees,
    (SELECT count(DISTINCT lp.personne_id) FROM suivis s JOIN leurs_parcours lp USING (parcours_id)
      JOIN ref_motifs_sortie m ON m.code = s.situation
      WHERE s.employeur_partenaire AND list_contains($en_emploi, m.categorie)
        AND year(s.date_suivi) BETWEEN $annee_debut AND $annee_fin) AS embauches_partenaire
