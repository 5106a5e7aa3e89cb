-- Chiffre d'affaires HT par année et par secteur : marchés publics, partenariats privés (hors commande
-- publique), et chiffre d'affaires sans marché rattaché (hors marché). Non localisé : pas de filtre de commune.
SELECT annee, secteur_filtre AS secteur, sum(montant_ht) AS chiffre_affaires
FROM ca_f($annee_debut, $annee_fin, $types, $structures, $marches, $secteurs)
GROUP BY annee, secteur_filtre
ORDER BY annee, CASE secteur_filtre WHEN 'public' THEN 1 WHEN 'prive' THEN 2 ELSE 3 END
