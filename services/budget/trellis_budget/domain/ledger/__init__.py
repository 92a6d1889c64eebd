"""The cost ledger's rules, free of storage: what each fact costs and which entries book it."""
