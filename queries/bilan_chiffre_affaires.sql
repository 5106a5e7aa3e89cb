-- Chiffre d'affaires déclaré par structure et par année sur la période (montants HT, poids économique
-- du collectif) ; le chiffre d'affaires n'est pas localisé.
SELECT ca.annee, ca.structure_id, ca.structure_nom AS structure, ca.type, sum(ca.montant_ht) AS chiffre_affaires
FROM ca_f($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs) ca
GROUP BY ALL
ORDER BY ca.annee, chiffre_affaires DESC
