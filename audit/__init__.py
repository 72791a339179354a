"""Supply-chain and code audits (`make audit`): see ``python -m audit --help``."""
