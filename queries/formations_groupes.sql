-- Formations suivies (table formations) par année de début, structure du parcours et domaine : nombre de
-- formations, heures (durée déclarée) et formations certifiantes. C'est la seule définition de ces comptes :
-- chaque total en est la somme. Filtres : période (date de début), types, structures, commune de résidence.
SELECT year(date_debut) AS annee, structure_id, structure_nom, type,
       COALESCE(domaine, 'non_renseigne') AS domaine,
       count(*) AS formations,
       COALESCE(sum(heures), 0) AS heures,
       count(*) FILTER (WHERE certifiante) AS certifiantes
FROM formations_f($annee_debut, $annee_fin, $communes, $types, $structures)
GROUP BY ALL
ORDER BY annee, structure_nom, domaine
