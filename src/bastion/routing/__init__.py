"""The compiled route table: ``RouteTable.match(method, host, path)`` (sans-I/O)."""
