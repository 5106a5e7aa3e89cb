-- Années présentes dans les données (heures déclarées ou sorties), pour le choix de la période.
SELECT DISTINCT annee FROM (
    SELECT year(mois) AS annee FROM heures
    UNION SELECT year(date_sortie) FROM parcours WHERE date_sortie IS NOT NULL
    UNION SELECT annee FROM chiffre_affaires
)
WHERE annee IS NOT NULL
ORDER BY annee
