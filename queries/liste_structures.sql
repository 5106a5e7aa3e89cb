-- Les structures membres (identifiant, nom, type, famille), pour les filtres.
SELECT structure_id, nom, type, famille, type_libelle
FROM structures_x
ORDER BY nom
