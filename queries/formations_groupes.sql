-- Formations suivies (table formations) par année de début, structure du parcours et domaine : nombre de
-- formations, heures (durée déclarée) et formations certifiantes. C'est la seule définition de ces comptes :
-- chaque total en est la somme. Filtres : période (date de début), types, structures, commune de résidence.
SELECT year(fo.date_debut) AS annee, p.structure_id, p.structure_nom, p.type,
       COALESCE(fo.domaine, 'non_renseigne') AS domaine,
       count(*) AS formations,
       COALESCE(sum(fo.heures), 0) AS heures,
       count(*) FILTER (WHERE fo.certifiante) AS certifiantes
FROM formations fo
JOIN parcours_x p USING (parcours_id)
WHERE year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin
  AND ($types IS NULL OR list_contains($types, p.type))
  AND ($structures IS NULL OR list_contains($structures, p.structure_id))
  AND ($communes IS NULL OR list_contains($communes, p.commune_residence))
GROUP BY ALL
ORDER BY annee, p.structure_nom, domaine
