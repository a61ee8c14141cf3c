# The site's one way of writing dates in English: the pages (through the `when` filter) and the
# staff admin read these. A time always carries its zone, because learners and the school may
# be in different ones.
DATE_FORMAT = "D j M Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = "D j M Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
