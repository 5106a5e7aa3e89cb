-- Formations certifiantes (table formations, certifiante = oui) commencées dans la période, par intitulé :
-- nombre de formations et heures. Mêmes filtres que formations_groupes.
SELECT intitule, count(*) AS formations, COALESCE(sum(heures), 0) AS heures
FROM formations_f($annee_debut, $annee_fin, $communes, $types, $structures)
WHERE certifiante
GROUP BY intitule
ORDER BY formations DESC, intitule
