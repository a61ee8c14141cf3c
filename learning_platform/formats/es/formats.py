# The site's one way of writing dates in Spanish (see the English module).
DATE_FORMAT = r"D j \d\e b \d\e Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = r"D j \d\e b \d\e Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
