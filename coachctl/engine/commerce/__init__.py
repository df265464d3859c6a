"""Commerce: the catalog, money, orders and their payment providers, and session credits."""
