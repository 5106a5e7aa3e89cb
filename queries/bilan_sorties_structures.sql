-- Sorties de l'IAE par structure sur la période (date de sortie dans la période) : sorties, sorties
-- examinées et, parmi elles, emploi durable, emploi de transition, sorties positives et autres sorties ;
-- retraits à part.
SELECT structure_id, structure_nom AS structure, type,
    count(*) AS sorties,
    count(*) FILTER (WHERE examinee) AS sorties_examinees,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_durable') AS sorties_emploi_durable,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_transition') AS sorties_emploi_transition,
    count(*) FILTER (WHERE examinee AND categorie = 'sortie_positive') AS sorties_positives,
    count(*) FILTER (WHERE examinee AND categorie = 'autre_sortie') AS autres_sorties,
    count(*) FILTER (WHERE categorie = 'retrait') AS retraits
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
WHERE famille = 'IAE'
GROUP BY structure_id, structure_nom, type
ORDER BY sorties DESC, structure
