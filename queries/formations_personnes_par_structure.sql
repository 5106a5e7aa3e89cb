-- Personnes formées par structure : la définition de formations_personnes (personnes distinctes ayant commencé
-- au moins une formation dans la période), comptée dans chaque structure du parcours. Mêmes filtres.
SELECT structure_id,
       count(DISTINCT personne_id) AS personnes_formees,
       count(DISTINCT personne_id) FILTER (WHERE certifiante) AS personnes_certifiees
FROM formations_f($annee_debut, $annee_fin, $communes, $types, $structures)
GROUP BY structure_id
