-- Sorties des structures IAE dont la date de sortie tombe dans la période ; sorties examinées (hors
-- retraits, durée minimale de présence atteinte) et, parmi elles, sorties en emploi durable, de transition
-- et positives.
SELECT
    count(*) AS sorties,
    count(*) FILTER (WHERE examinee) AS sorties_examinees,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_durable') AS sorties_emploi_durable,
    count(*) FILTER (WHERE examinee AND categorie = 'emploi_transition') AS sorties_emploi_transition,
    count(*) FILTER (WHERE examinee AND categorie = 'sortie_positive') AS sorties_positives,
    count(*) FILTER (WHERE examinee AND categorie = 'autre_sortie') AS autres_sorties,
    count(*) FILTER (WHERE categorie = 'retrait') AS retraits
FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs)
WHERE famille = 'IAE'
