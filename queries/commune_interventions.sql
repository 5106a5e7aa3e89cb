-- Interventions situées dans la commune sur la période : structure, activité, lieu, commune déléguée,
-- marché éventuel, point GPS, heures travaillées et personnes (au moins 1 heure sur l'intervention).
WITH h AS (
    SELECT intervention_id, personne_id, sum(heures_travaillees) AS heures
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
    WHERE intervention_id IS NOT NULL
    GROUP BY intervention_id, personne_id
), par_intervention AS (
    SELECT intervention_id, sum(heures) AS heures_travaillees, count(*) FILTER (WHERE employe(heures)) AS personnes
    FROM h GROUP BY intervention_id
    HAVING sum(heures) > 0
)
SELECT i.intervention_id, i.structure_id, s.nom AS structure, s.type, i.activite, i.lieu,
       i.commune_localisee, COALESCE(cd.nom, i.commune_nom) AS commune_deleguee, i.marche_id,
       i.marche_intitule, i.latitude, i.longitude, p.heures_travaillees, p.personnes
FROM par_intervention p
JOIN interventions_x i USING (intervention_id)
JOIN structures_x s ON s.structure_id = i.structure_id
LEFT JOIN ref_communes cd ON cd.code_insee = i.commune_localisee AND cd.niveau = 'commune_deleguee'
ORDER BY p.heures_travaillees DESC, i.intervention_id
