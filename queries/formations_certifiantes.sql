-- Formations certifiantes (table formations, certifiante = oui) commencées dans la période, par intitulé :
-- nombre de formations et heures. Mêmes filtres que formations_groupes.
SELECT fo.intitule, count(*) AS formations, COALESCE(sum(fo.heures), 0) AS heures
FROM formations fo
JOIN parcours_x p USING (parcours_id)
WHERE fo.certifiante
  AND year(fo.date_debut) BETWEEN $annee_debut AND $annee_fin
  AND ($types IS NULL OR list_contains($types, p.type))
  AND ($structures IS NULL OR list_contains($structures, p.structure_id))
  AND ($communes IS NULL OR list_contains($communes, p.commune_residence))
GROUP BY fo.intitule
ORDER BY formations DESC, fo.intitule
