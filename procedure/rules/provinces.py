"""Italian province abbreviations (sigle automobilistiche), current and recently reinstated."""

_SIGLE = """
    AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CL CN CO CR CS CT
    CZ EN FC FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA
    NO NU OR PA PC PD PE PG PI PN PO PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR
    SS SU SV TA TE TN TO TP TR TS TV UD VA VB VC VE VI VR VT VV
    CI OG OT VS
"""

PROVINCES = frozenset(_SIGLE.split())
"""The 107 current sigle plus the Sardinian ones (CI, OG, OT, VS) still found on addresses."""
