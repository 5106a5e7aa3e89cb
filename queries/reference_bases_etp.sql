-- Les bases annuelles d'un temps plein par type de structure et année de début (reference/bases_etp.csv du
-- dossier chargé) ; le type « * » vaut pour tout type sans base propre.
SELECT b.*, t.libelle AS type_libelle
FROM ref_bases_etp b
LEFT JOIN ref_types_structure t ON t.type = b.type
ORDER BY (b.type = '*'), b.type, b.annee_debut
