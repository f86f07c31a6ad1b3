"""Test support shipped with the package: fakes for ports and exchange builders."""
