"""Encrypted storage: SQLCipher engine, key slots, keychain, models, migrations, backups, audit."""
