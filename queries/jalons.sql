-- Les étapes de l'histoire du collectif (table jalons), dans l'ordre chronologique.
SELECT date, titre, description FROM jalons ORDER BY date, titre
