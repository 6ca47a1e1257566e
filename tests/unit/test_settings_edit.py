"""Editing config.toml keeps its comments and layout."""

import tomllib

from procedure.config.config_file import default_config, set_keys


def test_keys_are_replaced_added_and_comments_kept() -> None:
    text = set_keys(default_config(), {
        ("company", "name"): "ACME & Söhne S.r.l.",
        ("travel", "rate_per_km"): "0.65",
        ("company", "fax"): "049 1",
        ("newsection", "key"): "v",
    })  # fmt: skip
    data = tomllib.loads(text)
    assert data["company"]["name"] == "ACME & Söhne S.r.l."
    assert data["company"]["fax"] == "049 1"
    assert data["travel"]["rate_per_km"] == "0.65"
    assert data["newsection"]["key"] == "v"
    assert data["archive"]["root"] == "archivio"
    assert "# Dati dell'azienda mostrati nei documenti" in text
    assert "# Ragione sociale." in text
    assert text.count("rate_per_km") == 1
