-- Sorties de l'IAE des habitants de la commune sur la période, par catégorie : les sorties examinées
-- par catégorie (emploi durable, de transition, positive, autre), les retraits, et les sorties non
-- examinées faute d'avoir atteint la durée minimale de présence. La somme des lignes fait les sorties.
WITH s AS (
    SELECT * FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
    WHERE famille = 'IAE'
)
SELECT c.categorie, c.libelle, CAST(c.ordre AS INTEGER) AS ordre,
       count(s.parcours_id) AS sorties
FROM ref_categories_sortie c
LEFT JOIN s ON s.categorie = c.categorie AND (s.examinee OR c.categorie = 'retrait')
GROUP BY ALL
UNION ALL
SELECT 'non_examinee', 'Durée minimale de présence non atteinte', 99, count(*)
FROM s
WHERE NOT examinee AND categorie IS DISTINCT FROM 'retrait'
ORDER BY ordre
