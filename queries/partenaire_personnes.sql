-- Ce que les commandes d'un donneur d'ordre ont permis, pour les personnes qui y ont travaillé (au moins une
-- heure sur une intervention de ses marchés ou partenariats $marches pendant les années $annee_debut à
-- $annee_fin) : formations qu'elles ont commencées dans la période (table formations, parcours dans la même
-- structure). Leurs embauches par un partenaire sont le chiffre du suivi à 6 mois (suivi_6_mois.sql, filtre
-- des marchés), pas une seconde définition.
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
      WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin) AS personnes_formees
