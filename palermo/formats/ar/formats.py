# Django's Arabic formats give a date but no date and time: the date as they write it, then the time.
DATETIME_FORMAT = "j F، Y، H:i"
