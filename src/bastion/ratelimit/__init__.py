"""Rate limiting: pure math (strategies.py), the CounterStore port (store.py), memory and Redis stores."""
