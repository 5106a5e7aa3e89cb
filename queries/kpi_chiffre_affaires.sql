-- Chiffre d'affaires HT des structures sur la période (somme de montant_ht des années de la période).
SELECT COALESCE(sum(montant_ht), 0) AS chiffre_affaires
FROM ca_f($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs)
