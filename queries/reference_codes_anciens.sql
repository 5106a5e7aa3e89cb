-- Les anciens codes INSEE acceptés et le code actuel auquel ils sont rattachés (reference/codes_anciens.csv),
-- avec le nom de la commune actuelle.
SELECT a.code_ancien, a.code_actuel, c.nom AS nom_actuel
FROM ref_codes_anciens a
LEFT JOIN communes_x c ON c.code_insee = a.code_actuel
ORDER BY a.code_ancien
