-- Les marchés et partenariats (identifiant, intitulé, donneur d'ordre, secteur), pour les filtres.
SELECT marche_id, intitule, donneur_ordre, secteur, dispositif, date_debut, date_fin
FROM marches
ORDER BY date_debut, intitule
