-- Heures travaillées par année et par secteur : marchés publics (clauses, marchés réservés), partenariats
-- privés hors commande publique (Veolia), et heures hors marché (sans marché ni partenariat).
SELECT annee, secteur_filtre AS secteur, sum(heures_travaillees) AS heures_travaillees
FROM heures_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs, false)
GROUP BY annee, secteur_filtre
ORDER BY annee, CASE secteur_filtre WHEN 'public' THEN 1 WHEN 'prive' THEN 2 ELSE 3 END
