"""Style sheets shared across the app's windows.

Inline messages get a tinted box as well as a colour, so they read as messages in light and
dark themes and for people who do not see red. A style that sets a text colour sets the
background behind it too: a fixed dark red straight on the window is fine on a light theme and
unreadable on a dark one. Every pair here keeps at least 4.5:1 contrast (WCAG AA), which
tests/gui/test_accessibility.py checks; muted notes use the palette's placeholder grey, which
ui/palette.py keeps readable in both schemes. The words always carry the meaning ("⚠ Required",
"DRILL"); the colour only helps.
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
# A hint beside one field ("⚠ Required"): a small tinted chip, readable on any window colour.
FIELD_HINT_STYLE = (
    "QLabel { color: #8a1c14; background: #fdecea; border-radius: 3px; padding: 1px 6px; }"
)
# A count of overdue things in a header strip ("⚠ 2 reviews overdue").
WARNING_CHIP_STYLE = (
    "QLabel { color: #8a1c14; background: #fdecea; border-radius: 3px; padding: 2px 8px;"
    " font-weight: bold; }"
)
# A concern on legal hold: amber, with the words.
HOLD_STYLE = (
    "QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
    " border-radius: 4px; padding: 2px 8px; font-weight: bold; }"
)
# Immediate danger on the concern form: a heavy red border and the words "call 999".
DANGER_STYLE = (
    "QLabel { color: #8a1c14; background: #fdecea; border: 3px solid #b3261e;"
    " border-radius: 4px; padding: 8px 10px; font-weight: bold; font-size: 11pt; }"
)
# The banner of an incident log: a drill is dashed blue, a real incident solid red; each says
# which it is in words.
DRILL_STYLE = (
    "QLabel { color: #1d3b5c; background: #eaf2fb; border: 2px dashed #1d3b5c;"
    " padding: 6px; font-size: 14pt; font-weight: 700; }"
)
INCIDENT_STYLE = (
    "QLabel { color: #8a1c14; background: #fdecea; border: 2px solid #8a1c14;"
    " padding: 6px; font-size: 14pt; font-weight: 700; }"
)
