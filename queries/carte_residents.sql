-- Personnes employées (au moins 1 heure sur la période, toutes structures retenues) par commune de résidence :
-- code déclaré dans le dernier parcours de la personne et sa commune nouvelle ; code vide si non renseigné.
WITH employees AS (
    SELECT personne_id
    FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, true)
    GROUP BY personne_id
    HAVING employe(sum(heures_travaillees))
)
SELECT pe.commune_residence_insee AS code, pe.commune_residence AS commune_nouvelle, count(*) AS personnes
FROM employees e
LEFT JOIN personnes pe USING (personne_id)
GROUP BY ALL
ORDER BY ALL
