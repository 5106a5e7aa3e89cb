-- Les communes nouvelles (ou communes voisines) où une structure est intervenue, d'après ses interventions
-- commencées au plus tard l'année $annee : pour la carte de sa fiche d'identité.
SELECT DISTINCT commune_nouvelle AS commune
FROM interventions_x
WHERE structure_id = $structure_id AND year(date_debut) <= $annee AND commune_nouvelle IS NOT NULL
ORDER BY commune
