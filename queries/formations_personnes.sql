-- Personnes formées : personnes distinctes (identifiant pseudonyme) ayant commencé au moins une formation
-- (table formations) dans la période, et parmi elles au moins une formation certifiante. Mêmes filtres que
-- formations_groupes (types, structures, commune de résidence).
SELECT count(DISTINCT p.personne_id) AS personnes_formees,
       count(DISTINCT p.personne_id) FILTER (WHERE fo.certifiante) AS personnes_certifiees
FROM formations fo
JOIN parcours_x p USING (parcours_id)
WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin
  AND ($types IS NULL OR list_contains($types, p.type))
  AND ($structures IS NULL OR list_contains($structures, p.structure_id))
  AND ($communes IS NULL OR list_contains($communes, p.commune_residence))
