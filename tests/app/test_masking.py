"""Rate tiles in presentation mode: a hidden rate never keeps its "n / N" underneath (N − n would be small)."""

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import kpis
from tests.app.conftest import run_app


def test_rate_tiles_hide_n_over_big_n_with_the_rate(demo_db):
    k = kpis(demo_db, Filtres(2023, 2023, types=("ETTI",)))
    n, big_n = k["sorties_dynamiques"], k["sorties_examinees"]
    # The demo's ETTI of 2023: a rate is computed, and only N − n exits are not dynamic (a small count).
    assert k["taux_sortie_dynamique"] is not None and privacy.is_small(big_n - n)
    team = {m.label: m for m in run_app(periode=["2023", "2023"], types="ETTI").metric}
    assert team["Sorties dynamiques"].value == fmt.percent(k["taux_sortie_dynamique"])
    assert team["Sorties dynamiques"].delta == f"{fmt.integer(n)} / {fmt.integer(big_n)} sorties examinées"
    shown = {m.label: m for m in run_app(periode=["2023", "2023"], types="ETTI", mode="presentation").metric}
    assert shown["Sorties dynamiques"].value == privacy.MASQUE_SECONDAIRE
    assert shown["Sorties dynamiques"].delta == f"petit effectif, sur {fmt.integer(big_n)} sorties examinées"
    assert f"{fmt.integer(n)} /" not in " ".join(str(m.delta) for m in shown.values())
