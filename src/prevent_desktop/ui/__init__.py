"""The desktop interface: the only package that imports PySide6.

Everything below works through the services on the one database worker (`ui.worker`), so the
UI thread never waits on SQL or key derivation. `prevent_desktop.app` wires the windows together.
"""
