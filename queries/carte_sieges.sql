-- Sièges des structures membres à la fin de la période (adhésion au plus tard le 31 décembre de la dernière
-- année, ou date inconnue), sous les filtres de type et de structure : code et nom de la commune du siège.
SELECT structure_id, nom, type, type_libelle, famille, commune_insee, commune_siege_nom,
       commune_nouvelle_siege
FROM structures_x
WHERE (date_adhesion IS NULL OR date_adhesion <= make_date($annee_fin, 12, 31))
  AND ($types IS NULL OR list_contains($types, type))
  AND ($structures IS NULL OR list_contains($structures, structure_id))
ORDER BY nom
