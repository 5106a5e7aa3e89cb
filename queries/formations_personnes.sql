-- Personnes formées : personnes distinctes (identifiant pseudonyme) ayant commencé au moins une formation
-- (table formations) dans la période, et parmi elles au moins une formation certifiante. Mêmes filtres que
-- formations_groupes (types, structures, commune de résidence).
SELECT count(DISTINCT personne_id) AS personnes_formees,
       count(DISTINCT personne_id) FILTER (WHERE certifiante) AS personnes_certifiees
FROM formations_f($annee_debut, $annee_fin, $communes, $types, $structures)
