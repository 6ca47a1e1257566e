"""Editing config.toml keeps its comments and layout."""

import tomllib
from pathlib import Path

import pytest

from procedure.config.config_file import default_config, set_keys
from procedure.config.reading import read_settings
from procedure.config.settings import ConfigError


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


def test_a_list_setting_is_read_bounded_and_named_when_wrong(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    default = read_settings(tmp_path)
    assert "SQL Server" in default.suggestions.db_engine  # the default config's lists
    config.write_text('[suggestions]\ntechnician = ["Paolo Bianchi", " ", "Marta Rossi "]\n')
    assert read_settings(tmp_path).suggestions.technician == ("Paolo Bianchi", "Marta Rossi")
    too_many = "[" + ", ".join(['"x"'] * 201) + "]"
    for wrong in ('"Paolo"', "[1, 2]", too_many, f'["{"x" * 101}"]'):
        config.write_text(f"[suggestions]\ntechnician = {wrong}\n")
        with pytest.raises(ConfigError, match=r"\[suggestions\] technician deve essere un elenco"):
            read_settings(tmp_path)
