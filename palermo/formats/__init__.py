"""Date formats where Django's own for a language do not say dates as Palermo's pages do (settings'
FORMAT_MODULE_PATH); any format not set here is Django's for that language."""
