"""Every page on the sample data, each on a report period of a municipality it shows best."""

SAMPLE_PAGES = [
    ("views/overblik.py", "kommune=510&periode=510-2024"),
    ("views/tendenser.py", "kommune=766&periode=766-2024"),
    ("views/aar_for_aar.py", "kommune=510&periode=510-2025"),
    ("views/ankestyrelsen.py", "kommune=165&periode=165-2024"),
    ("views/anbefalinger.py", "kommune=165&periode=165-2024"),
    ("views/kommuner.py", "kommune=157&periode=157-2023"),
    ("views/data.py", "kommune=510&periode=510-2024"),
    ("views/krydstabel.py", "kommune=510&periode=510-2024"),
]
