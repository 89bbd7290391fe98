"""Style sheets shared by the unlock window and the setup wizard.

Inline messages get a tinted box as well as a colour, so they read as messages in light and
dark themes and for people who do not see red.
"""

ERROR_STYLE = (
    "QLabel { color: #8a1c14; background: #fdecea; border: 1px solid #f1b5b0;"
    " border-radius: 4px; padding: 6px 8px; }"
)
NOTICE_STYLE = (
    "QLabel { color: #1d3b5c; background: #eaf2fb; border: 1px solid #bcd4ee;"
    " border-radius: 4px; padding: 6px 8px; }"
)
NOTE_STYLE = "QLabel { color: palette(placeholder-text); }"
# A hint beside one field ("⚠ Required"): the words carry the meaning, the colour only helps.
FIELD_HINT_STYLE = "QLabel { color: #8a1c14; }"
