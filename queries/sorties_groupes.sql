-- Sorties des structures IAE dont la date de sortie tombe dans la période, par année de sortie et par
-- structure (avec son type) : sorties examinées (hors retraits, durée minimale de présence atteinte, colonne
-- examinee de parcours_x) et, parmi elles, emploi durable, emploi de transition, sorties positives et autres ;
-- sorties dynamiques : les sorties examinées des catégories $dynamiques (contract.DYNAMIC_CATEGORIES).
-- C'est la seule définition des comptes de sorties : les chiffres clés et chaque regroupement en sont la somme.
SELECT
    annee_sortie AS annee, type, structure_id, structure_nom,
    count(*) AS sorties,
    count(*) FILTER (WHERE examinee) AS sorties_examinees,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_durable') AS sorties_emploi_durable,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_transition') AS sorties_emploi_transition,
    count(*) FILTER (WHERE examinee AND categorie = 'sortie_positive') AS sorties_positives,
    count(*) FILTER (WHERE examinee AND categorie = 'autre_sortie') AS autres_sorties,
    count(*) FILTER (WHERE examinee AND list_contains($dynamiques, categorie)) AS sorties_dynamiques,
    count(*) FILTER (WHERE categorie = 'retrait') AS retraits
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
WHERE famille = 'IAE'
GROUP BY ALL
ORDER BY annee, type, structure_nom
