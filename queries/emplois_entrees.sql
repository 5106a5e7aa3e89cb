-- Entrées en parcours : parcours dont la date d'entrée tombe dans la période, par type de structure
-- (parcours, et personnes distinctes), plus une ligne de total (type vide) où chaque personne compte une
-- fois même entrée dans deux types. Mêmes filtres que les sorties (macro parcours_f) : commune de
-- résidence du parcours, type, structure ; un marché ou un secteur garde les parcours des personnes qui y
-- ont travaillé dans cette structure.
SELECT p.type, p.famille, grouping(p.type) = 1 AS total, count(*) AS entrees, count(DISTINCT p.personne_id) AS personnes
FROM parcours_x p
WHERE p.annee_entree BETWEEN $annee_debut AND $annee_fin
  AND ($types IS NULL OR list_contains($types, p.type))
  AND ($structures IS NULL OR list_contains($structures, p.structure_id))
  AND ($communes IS NULL OR list_contains($communes, p.commune_residence))
  AND travaille_sur(p.activites, $marches, $secteurs)
GROUP BY GROUPING SETS ((p.type, p.famille), ())
ORDER BY total, entrees DESC, p.type
