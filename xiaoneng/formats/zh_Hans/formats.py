# Dates as a government office writes them: 5月3日, not Django's 05月3日 (the rest is Django's).
MONTH_DAY_FORMAT = "n月j日"
