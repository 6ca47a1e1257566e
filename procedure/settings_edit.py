"""Editing the company data and rates of config.toml from the TUI, keeping its comments."""

import dataclasses
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from procedure.office import Office
from procedure.problems import InvalidInput, Problem
from procedure.settings import load_settings
from procedure.validation import check_iban, check_vat_number, is_email
from store.files import atomic_write


@dataclass
class CompanyForm:
    name: str = ""
    vat_number: str = ""
    address: str = ""
    iban: str = ""
    email: str = ""
    phone: str = ""
    service_hours: str = ""
    sla: str = ""
    extra_rate: Decimal = Decimal(0)
    rate_per_km: Decimal = Decimal(0)
    call_out_fee: Decimal = Decimal(0)
    hourly_rate: Decimal = Decimal(0)


KEYS = {  # form field → (section, key) in config.toml
    "name": ("company", "name"), "vat_number": ("company", "vat_number"),
    "address": ("company", "address"), "iban": ("company", "iban"),
    "email": ("company", "email"), "phone": ("company", "phone"),
    "service_hours": ("company", "service_hours"), "sla": ("company", "sla"),
    "extra_rate": ("company", "extra_rate"), "rate_per_km": ("travel", "rate_per_km"),
    "call_out_fee": ("travel", "call_out_fee"), "hourly_rate": ("travel", "hourly_rate"),
}  # fmt: skip


def company_form(office: Office) -> CompanyForm:
    s = office.settings
    return CompanyForm(s.company_name, s.company_vat, s.company_address, s.company_iban,
                       s.company_email, s.company_phone, s.service_hours, s.sla, s.extra_rate,
                       s.rate_per_km, s.call_out_fee, s.hourly_rate)  # fmt: skip


def validate_company(form: CompanyForm) -> list[Problem]:
    problems = []
    if not form.name.strip():
        problems.append(Problem("name", "ragione sociale obbligatoria"))
    if form.vat_number and (msg := check_vat_number(form.vat_number)):
        problems.append(Problem("vat_number", msg))
    if form.iban and (msg := check_iban(form.iban)):
        problems.append(Problem("iban", msg))
    if form.email and not is_email(form.email):
        problems.append(Problem("email", "indirizzo e-mail non valido"))
    for name in ("extra_rate", "rate_per_km", "call_out_fee", "hourly_rate"):
        if getattr(form, name) < 0:
            problems.append(Problem(name, "non può essere negativo"))
    return problems


def set_keys(text: str, values: dict[tuple[str, str], str]) -> str:
    """``text`` (TOML) with each ``[section] key`` set to its value; comments are kept,
    a missing key is added at the end of its section, a missing section at the end."""
    for (section, key), value in values.items():
        header = re.search(rf"(?m)^\[{re.escape(section)}\]\s*$", text)
        line = f"{key} = {value}"
        if header is None:
            text = text.rstrip("\n") + f"\n\n[{section}]\n{line}\n"
            continue
        start = header.end()
        following = re.search(r"(?m)^\[", text[start:])
        end = start + following.start() if following else len(text)
        body = text[start:end]
        pattern = rf"(?m)^{re.escape(key)}\s*=.*$"
        if re.search(pattern, body):
            body = re.sub(pattern, line.replace("\\", "\\\\"), body, count=1)
        else:
            body = body.rstrip("\n") + f"\n{line}\n" + ("\n" if following else "")
        text = text[:start] + body + text[end:]
    return text


def save_company(office: Office, form: CompanyForm) -> None:
    """Write the company data and rates into config.toml and reload the settings.

    Raises InvalidInput. Other open TUIs see the new values when they restart.
    """
    problems = validate_company(form)
    if problems:
        raise InvalidInput(problems)
    values = {}
    for f in dataclasses.fields(form):
        value = getattr(form, f.name)
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        values[KEYS[f.name]] = json.dumps(text, ensure_ascii=False)  # a TOML basic string
    path: Path = office.settings.config_path
    atomic_write(path, set_keys(path.read_text(encoding="utf-8"), values).encode("utf-8"))
    office.settings = load_settings(office.settings.data_dir)
