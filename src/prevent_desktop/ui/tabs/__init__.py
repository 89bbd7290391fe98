"""The main window's tabs, one module each. Tabs never call one another: they learn about
changes from the ChangeSets the main window broadcasts."""
