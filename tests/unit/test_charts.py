"""Chart builders: the plotly_white template set without plotly's validation gives plotly's own figure."""

import json

import pandas as pd

from impact import charts


def _built(df):
    return [
        json.loads(fig.to_json())
        for fig in (
            charts.bars(df, "annee", "heures", unit="h"),
            charts.lines(df, "annee", "heures"),
            charts.hbars(df, "annee", "heures"),
        )
    ]


def test_white_template_set_fast_is_the_validated_one(monkeypatch):
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [1200.0, 3400.5]})
    fast = _built(df)
    # plotly's own path: the registered template validated and deep-copied into the figure
    monkeypatch.setattr(charts, "_white_template", lambda fig: fig.update_layout(template="plotly_white"))
    assert fast == _built(df)
    assert fast[0]["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
