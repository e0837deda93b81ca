# GOV.UK's style for dates: "7 December 2026", a time on the 24-hour clock after a comma.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
