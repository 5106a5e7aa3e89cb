-- Les sorties des structures IAE de la période dans leur table la plus fine : par année de sortie, structure
-- (avec son type), motif (avec sa catégorie) et examinée ou non. Chaque compte de sorties que le tableau de bord
-- imprime en est une somme : le masquage des petits effectifs s'en sert pour vérifier qu'aucun compte masqué ne
-- se recalcule à partir des comptes imprimés à côté (impact.privacy.linked_masks).
SELECT annee_sortie AS annee, structure_id, type, coalesce(motif_sortie, '') AS motif, categorie, examinee,
       count(*) AS n
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
WHERE famille = 'IAE'
GROUP BY ALL
