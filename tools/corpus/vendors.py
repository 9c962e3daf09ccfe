"""The fictional merchants, banks, payment processors and people the documents are about.

Merchant names are invented so that an extension cannot do well by knowing brands; payment
processors keep their real names because the point is that they are *not* the vendor.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vendor:
    """A merchant: `brand` is what its mail calls it, `legal` what its invoices and receipts print."""

    brand: str
    legal: str
    kind: str
    domain: str
    currency: str
    lang: str = "en"
    us: bool = False  # prints dates month first
    country: str = "US"


# Items per vendor kind: (description, low price, high price) in the vendor's currency units of ~1 USD.
ITEMS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "airline": (
        ("Economy fare", 89, 620),
        ("Seat selection 14C", 9, 45),
        ("Checked bag 23kg", 25, 70),
        ("Priority boarding", 6, 20),
        ("Carrier-imposed fee", 10, 90),
    ),
    "ride": (("Trip fare", 6, 48), ("Booking fee", 1, 3), ("Tip", 1, 8), ("Airport surcharge", 2, 6)),
    "marketplace": (
        ("USB-C charging cable 2m", 6, 19),
        ("Stainless steel water bottle", 12, 30),
        ("Paperback: The Quiet Garden", 8, 18),
        ("Wireless mouse M220", 14, 35),
        ("Cotton bath towel set", 18, 45),
        ("LED desk lamp", 20, 60),
    ),
    "games": (
        ("Starfall Odyssey - Deluxe Edition", 30, 70),
        ("Hollow Keep (DLC)", 5, 20),
        ("1000 Crystals", 5, 50),
        ("Season Pass", 15, 40),
    ),
    "hotel": (
        ("Room charge (2 nights)", 160, 640),
        ("City tax", 3, 12),
        ("Breakfast", 12, 30),
        ("Minibar", 4, 25),
    ),
    "saas": (
        ("Pro plan (monthly)", 8, 49),
        ("Additional seats x3", 15, 60),
        ("Compute usage", 3, 120),
        ("Storage 500 GB", 5, 25),
    ),
    "food": (
        ("Margherita pizza", 9, 16),
        ("Chicken tikka masala", 10, 18),
        ("Garlic naan", 2, 5),
        ("Pad thai", 9, 15),
        ("Delivery fee", 1, 6),
        ("Service fee", 1, 4),
    ),
    "utility": (("Electricity 412 kWh", 45, 160), ("Standing charge", 6, 15), ("Water and sewer", 25, 80)),
    "pharmacy": (
        ("Ibuprofen 200mg 24ct", 4, 9),
        ("Vitamin D3 1000IU", 6, 14),
        ("Hand sanitizer", 2, 6),
        ("Prescription copay", 5, 30),
    ),
    "telecom": (("Monthly plan", 20, 70), ("Roaming data 1 GB", 5, 15), ("Device instalment", 15, 45)),
    "grocery": (
        ("MILK 1L", 1, 3),
        ("WHITE BREAD", 1, 4),
        ("EGGS 10PCS", 2, 5),
        ("BANANAS 1KG", 1, 3),
        ("COFFEE BEANS 250G", 5, 12),
        ("RICE 5KG", 6, 15),
        ("CHICKEN BREAST", 4, 11),
        ("TOMATOES", 1, 4),
        ("MINERAL WATER 1.5L", 1, 2),
    ),
    "cafe": (
        ("Flat white", 3, 5),
        ("Croissant", 2, 4),
        ("Iced latte", 4, 6),
        ("Avocado toast", 8, 13),
        ("Nasi lemak", 4, 9),
        ("Teh tarik", 1, 3),
    ),
    "hardware": (
        ("WOOD SCREWS 4X40", 3, 8),
        ("PAINT BRUSH 50MM", 3, 9),
        ("MASKING TAPE", 2, 5),
        ("HAMMER", 9, 25),
    ),
    "streaming": (("Premium membership", 9, 20), ("Family add-on", 3, 8)),
    "tickets": (("General admission", 25, 90), ("Reserved seat, row F", 45, 150), ("Service fee", 3, 12)),
    "charity": (("Monthly donation", 10, 50), ("One-off gift", 20, 200)),
}

VENDORS: tuple[Vendor, ...] = (
    Vendor("Skyward Airlines", "Skyward Airlines Inc.", "airline", "skywardair.com", "USD", us=True),
    Vendor("Nordvik Air", "Nordvik Air AB", "airline", "nordvikair.se", "SEK", country="SE"),
    Vendor("Air Meridian", "Air Meridian S.A.", "airline", "airmeridian.fr", "EUR", "fr", country="FR"),
    Vendor(
        "Pacific Crest Airways",
        "Pacific Crest Airways Pty Ltd",
        "airline",
        "pacificcrest.com.au",
        "AUD",
        country="AU",
    ),
    Vendor("Zipride", "Zipride Technologies Inc.", "ride", "zipride.com", "USD", us=True),
    Vendor("CabGo", "CabGo UK Ltd", "ride", "cabgo.co.uk", "GBP", country="GB"),
    Vendor("Grabwell", "Grabwell Malaysia Sdn Bhd", "ride", "grabwell.my", "MYR", country="MY"),
    Vendor("Rydo", "Rydo Mobility Pvt Ltd", "ride", "rydo.in", "INR", country="IN"),
    Vendor("Bazaarly", "Bazaarly Inc.", "marketplace", "bazaarly.com", "USD", us=True),
    Vendor("Bazaarly", "Bazaarly Canada Ltd", "marketplace", "bazaarly.ca", "CAD", country="CA"),
    Vendor("Marktplatz24", "Marktplatz24 GmbH", "marketplace", "marktplatz24.de", "EUR", "de", country="DE"),
    Vendor("Shopora", "Shopora Pte Ltd", "marketplace", "shopora.sg", "SGD", country="SG"),
    Vendor("Pixelforge", "Pixelforge Entertainment LLC", "games", "pixelforge.games", "USD", us=True),
    Vendor("Arcadia Store", "Arcadia Digital B.V.", "games", "arcadia-store.nl", "EUR", "nl", country="NL"),
    Vendor("Harborview Hotel", "Harborview Hospitality LLC", "hotel", "harborviewhotel.com", "USD", us=True),
    Vendor(
        "Hotel Goldener Hirsch",
        "Hotel Goldener Hirsch GmbH",
        "hotel",
        "goldener-hirsch.at",
        "EUR",
        "de",
        country="AT",
    ),
    Vendor("Sakura Inn Kyoto", "Sakura Inn K.K.", "hotel", "sakurainn.jp", "JPY", "ja", country="JP"),
    Vendor(
        "Hotel Bellavista",
        "Bellavista Hotels S.r.l.",
        "hotel",
        "hotelbellavista.it",
        "EUR",
        "it",
        country="IT",
    ),
    Vendor("Nimbus Cloud", "Nimbus Cloud Inc.", "saas", "nimbuscloud.io", "USD", us=True),
    Vendor("Codehive", "Codehive Ltd", "saas", "codehive.dev", "GBP", country="GB"),
    Vendor("Inkwell Docs", "Inkwell Software AG", "saas", "inkwell.ch", "CHF", "de", country="CH"),
    Vendor("Stackpoint Hosting", "Stackpoint Hosting Ltd", "saas", "stackpoint.co.uk", "GBP", country="GB"),
    Vendor("Dashbite", "Dashbite Inc.", "food", "dashbite.com", "USD", us=True),
    Vendor("Foodrun", "Foodrun Australia Pty Ltd", "food", "foodrun.com.au", "AUD", country="AU"),
    Vendor("Lieferfix", "Lieferfix GmbH", "food", "lieferfix.de", "EUR", "de", country="DE"),
    Vendor("Comida Ya", "Comida Ya S.L.", "food", "comidaya.es", "EUR", "es", country="ES"),
    Vendor("Metro Power & Light", "Metro Power & Light Company", "utility", "metropower.com", "USD", us=True),
    Vendor(
        "Stadtwerke Lindenau",
        "Stadtwerke Lindenau GmbH",
        "utility",
        "stadtwerke-lindenau.de",
        "EUR",
        "de",
        country="DE",
    ),
    Vendor("Aqua Regional", "Aqua Regional Water plc", "utility", "aquaregional.co.uk", "GBP", country="GB"),
    Vendor("CareWell Pharmacy", "CareWell Pharmacy Inc.", "pharmacy", "carewell.com", "USD", us=True),
    Vendor(
        "Apotheke am Markt",
        "Apotheke am Markt OHG",
        "pharmacy",
        "apotheke-am-markt.de",
        "EUR",
        "de",
        country="DE",
    ),
    Vendor(
        "Farmacia San Marco",
        "Farmacia San Marco S.n.c.",
        "pharmacy",
        "farmaciasanmarco.it",
        "EUR",
        "it",
        country="IT",
    ),
    Vendor("Telewave", "Telewave Mobile Ltd", "telecom", "telewave.ca", "CAD", country="CA"),
    Vendor("Streamly", "Streamly Media Inc.", "streaming", "streamly.tv", "USD", us=True),
    Vendor("Ticketbay", "Ticketbay Inc.", "tickets", "ticketbay.com", "USD", us=True),
    Vendor(
        "Billetterie Lumière",
        "Lumière Spectacles SAS",
        "tickets",
        "billetterie-lumiere.fr",
        "EUR",
        "fr",
        country="FR",
    ),
    Vendor("Open Harbor Foundation", "Open Harbor Foundation", "charity", "openharbor.org", "USD", us=True),
    Vendor("Stiftung Waldgrün", "Stiftung Waldgrün", "charity", "waldgruen.de", "EUR", "de", country="DE"),
    Vendor("Green Basket", "Green Basket Market LLC", "grocery", "greenbasket.com", "USD", us=True),
    Vendor("Sri Aman", "Kedai Runcit Sri Aman Sdn Bhd", "grocery", "sriaman.my", "MYR", country="MY"),
    Vendor(
        "Kopitiam Seri Murni", "Seri Murni Food Trading Sdn Bhd", "cafe", "serimurni.my", "MYR", country="MY"
    ),
    Vendor("Blue Door Coffee", "Blue Door Coffee Roasters Inc.", "cafe", "bluedoor.coffee", "USD", us=True),
    Vendor(
        "Boulangerie du Coin",
        "Boulangerie du Coin SARL",
        "cafe",
        "boulangerieducoin.fr",
        "EUR",
        "fr",
        country="FR",
    ),
    Vendor(
        "Bakkerij de Molen", "Bakkerij de Molen B.V.", "cafe", "bakkerijdemolen.nl", "EUR", "nl", country="NL"
    ),
    Vendor(
        "Panificio Rossi", "Panificio Rossi S.r.l.", "cafe", "panificiorossi.it", "EUR", "it", country="IT"
    ),
    Vendor("Corner Hardware", "Corner Hardware Ltd", "hardware", "cornerhardware.co.uk", "GBP", country="GB"),
    Vendor(
        "Bauhof Weber", "Bauhof Weber GmbH & Co. KG", "hardware", "bauhof-weber.de", "EUR", "de", country="DE"
    ),
    Vendor(
        "Ferreteria Sol", "Ferreteria Sol S.L.", "hardware", "ferreteriasol.es", "EUR", "es", country="ES"
    ),
    Vendor("Mumbai Chai House", "Mumbai Chai House Pvt Ltd", "cafe", "chaihouse.in", "INR", country="IN"),
)

# Kinds whose receipts come on paper (scanned, photographed) rather than by mail.
PAPER_KINDS = frozenset({"grocery", "cafe", "hardware", "pharmacy"})

# Rough value of one unit of each currency in USD, to keep prices plausible.
UNITS_PER_USD: dict[str, float] = {
    "USD": 1,
    "EUR": 0.92,
    "GBP": 0.79,
    "JPY": 150,
    "CAD": 1.36,
    "AUD": 1.52,
    "CHF": 0.88,
    "INR": 83,
    "MYR": 4.7,
    "SGD": 1.34,
    "SEK": 10.5,
}
TAX_RATES: dict[str, tuple[str, float]] = {
    "US": ("Sales tax", 0.0825),
    "GB": ("VAT", 0.20),
    "DE": ("MwSt.", 0.19),
    "AT": ("MwSt.", 0.10),
    "FR": ("TVA", 0.20),
    "ES": ("IVA", 0.21),
    "NL": ("BTW", 0.21),
    "IT": ("IVA", 0.22),
    "CH": ("MWST", 0.081),
    "CA": ("GST/HST", 0.13),
    "AU": ("GST", 0.10),
    "IN": ("GST", 0.18),
    "MY": ("SST", 0.06),
    "SG": ("GST", 0.09),
    "SE": ("Moms", 0.25),
    "JP": ("消費税", 0.10),
}


@dataclass(frozen=True)
class Processor:
    """A payment processor that sends receipts on a merchant's behalf."""

    name: str
    sender: str


PROCESSORS: tuple[Processor, ...] = (
    Processor("Stripe", "receipts+acct_1Nx7Q2@stripe.com"),
    Processor("PayPal", "service@paypal.com"),
    Processor("Square", "messenger@messaging.squareup.com"),
)
# Small merchants that bill through a processor.
SMALL_MERCHANTS: tuple[Vendor, ...] = (
    Vendor("Lumen Yoga Studio", "Lumen Yoga Studio LLC", "services", "lumenyoga.com", "USD", us=True),
    Vendor(
        "Fernhill Ceramics",
        "Fernhill Ceramics Ltd",
        "services",
        "fernhillceramics.co.uk",
        "GBP",
        country="GB",
    ),
    Vendor("Quillpad", "Quillpad Inc.", "saas", "quillpad.app", "USD", us=True),
    Vendor("Atelier Morel", "Atelier Morel SARL", "services", "ateliermorel.fr", "EUR", "fr", country="FR"),
    Vendor("Tidewater Bikes", "Tidewater Bikes Inc.", "services", "tidewaterbikes.com", "CAD", country="CA"),
    Vendor(
        "Kaffeerösterei Braun",
        "Kaffeerösterei Braun GmbH",
        "cafe",
        "braun-kaffee.de",
        "EUR",
        "de",
        country="DE",
    ),
)
SERVICE_ITEMS = (("Drop-in class", 15, 30), ("Workshop deposit", 40, 120), ("Monthly membership", 30, 90))

BANKS: tuple[tuple[str, str, str], ...] = (
    ("Northgate Bank", "alerts@northgatebank.com", "USD"),
    ("Banque Lumière", "notifications@banquelumiere.fr", "EUR"),
    ("Sparkasse Lindenau", "service@sparkasse-lindenau.de", "EUR"),
    ("Kingsbridge Building Society", "alerts@kingsbridge.co.uk", "GBP"),
    ("Maple Leaf Credit Union", "alerts@mapleleafcu.ca", "CAD"),
    ("Bank Rakyat Timur", "ealerts@bankrakyattimur.my", "MYR"),
)

PEOPLE: tuple[tuple[str, str], ...] = (
    ("Alex Morgan", "alex.morgan@example.com"),
    ("Priya Raman", "priya.raman@example.org"),
    ("Jonas Becker", "jonas.becker@example.net"),
    ("Camille Laurent", "camille.laurent@example.com"),
    ("Sam Okafor", "sam.okafor@example.org"),
    ("Mei Tanaka", "mei.tanaka@example.net"),
    ("Lucía Fernández", "lucia.fernandez@example.com"),
    ("Daan de Vries", "daan.devries@example.org"),
)


#: The expense category (one of `ai.classify_text`'s ``finance.category`` labels) a person
#: would file each kind of merchant under; kinds with no one answer are left out.
CATEGORY_OF_KIND: dict[str, str] = {
    "airline": "Travel",
    "hotel": "Travel",
    "ride": "Transportation",
    "cafe": "Food & Dining",
    "food": "Food & Dining",
    "grocery": "Food & Dining",
    "marketplace": "Shopping",
    "saas": "Software & Subscriptions",
    "utility": "Utilities",
    "telecom": "Utilities",
    "pharmacy": "Health",
    "games": "Entertainment",
    "tickets": "Entertainment",
    "charity": "Other",
}


def category_of(name: str | None) -> str | None:
    """The category of the merchant named ``name`` (brand or legal name), if its kind has one."""
    for v in VENDORS:
        if name in (v.brand, v.legal):
            return CATEGORY_OF_KIND.get(v.kind)
    return None
