"""Sans-I/O HTTP vocabulary: headers, request/response heads, RFC 9457 problems, path normalisation."""
