from ninja import Schema


class AgencyOut(Schema):
    id: int
    code: str
    name_en: str
    name_es: str
    country: str


class UnitOut(Schema):
    id: int
    agency_id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


class OfficerOut(Schema):
    id: int
    agency_id: int
    unit_id: int | None
    badge_number: str
    given_name: str
    family_name: str
    rank: str
    languages: list[str]
    active: bool


class OfficerIn(Schema):
    badge_number: str
    given_name: str
    family_name: str
    unit_id: int | None = None
    rank: str = ""
    languages: list[str] = []
    email: str = ""
    phone: str = ""


class MeOut(Schema):
    username: str
    officer: OfficerOut | None
    agency_code: str | None
    roles: list[str]
    compartments: list[str]
