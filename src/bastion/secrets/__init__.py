"""The encrypted secret store (AES-256-GCM envelope encryption, versions, rotation policy) and references."""
